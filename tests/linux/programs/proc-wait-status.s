# proc-wait-status: process ids and exit statuses, printed only as facts (pid values differ between runs).
# What to look for:
#   pid_positive=1, ppid_positive=1, pid_stable=1 (two getpid calls agree), pid_not_ppid=1
#   in the child: child_ppid_is_parent=1 (getppid = the parent's getpid), child_pid_differs=1
#   in the parent: fork_ret_is_child_pid=1 (the child stored its getpid in a MAP_SHARED page),
#   wait_ret_is_child=1, status=0x2a00, wifexited=1, wexitstatus=42, then a second wait4(-1): -10 (ECHILD)
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	xor %edi, %edi
	mov $4096, %esi
	mov $3, %edx
	mov $0x21, %ecx
	call lib_mmap
	mov %rax, %r14
	mov $39, %eax
	syscall
	mov %rax, %rbx
	mov $110, %eax
	syscall
	mov %rax, %r12
	lea s_pid_pos(%rip), %rdi
	xor %esi, %esi
	test %rbx, %rbx
	setg %sil
	call lib_print_kv_dec
	lea s_ppid_pos(%rip), %rdi
	xor %esi, %esi
	test %r12, %r12
	setg %sil
	call lib_print_kv_dec
	mov $39, %eax
	syscall
	lea s_stable(%rip), %rdi
	xor %esi, %esi
	cmp %rbx, %rax
	sete %sil
	call lib_print_kv_dec
	lea s_not_ppid(%rip), %rdi
	xor %esi, %esi
	cmp %rbx, %r12
	setne %sil
	call lib_print_kv_dec

	call lib_fork
	test %rax, %rax
	jnz parent
	mov $110, %eax
	syscall
	lea s_child_ppid(%rip), %rdi
	xor %esi, %esi
	cmp %rbx, %rax
	sete %sil
	call lib_print_kv_dec
	mov $39, %eax
	syscall
	mov %rax, (%r14)
	lea s_child_pid(%rip), %rdi
	xor %esi, %esi
	cmp %rbx, %rax
	setne %sil
	call lib_print_kv_dec
	mov $42, %edi
	call lib_exit
parent:
	mov %rax, %r13
	mov %r13, %rdi
	xor %edx, %edx
	xor %r10d, %r10d
	sub $16, %rsp
	mov %rsp, %rsi
	mov $61, %eax
	syscall
	lea s_wait_ret(%rip), %rdi
	xor %esi, %esi
	cmp %r13, %rax
	sete %sil
	call lib_print_kv_dec
	lea s_fork_ret(%rip), %rdi
	xor %esi, %esi
	cmp (%r14), %r13
	sete %sil
	call lib_print_kv_dec
	mov (%rsp), %ebx
	lea s_status(%rip), %rdi
	mov %rbx, %rsi
	call lib_print_kv_hex
	lea s_exited(%rip), %rdi
	xor %esi, %esi
	test $0x7f, %ebx
	sete %sil
	call lib_print_kv_dec
	lea s_exitstatus(%rip), %rdi
	mov %ebx, %esi
	shr $8, %esi
	and $0xff, %esi
	call lib_print_kv_dec
	mov $-1, %rdi
	call lib_wait4
	lea s_again(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_pid_pos:	.asciz "pid_positive"
s_ppid_pos:	.asciz "ppid_positive"
s_stable:	.asciz "pid_stable"
s_not_ppid:	.asciz "pid_not_ppid"
s_child_ppid:	.asciz "child_ppid_is_parent"
s_child_pid:	.asciz "child_pid_differs"
s_wait_ret:	.asciz "wait_ret_is_child"
s_fork_ret:	.asciz "fork_ret_is_child_pid"
s_status:	.asciz "status"
s_exited:	.asciz "wifexited"
s_exitstatus:	.asciz "wexitstatus"
s_again:	.asciz "wait_again"
