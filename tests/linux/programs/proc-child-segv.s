# proc-child-segv: a child dies of SIGSEGV (NULL write, no handler); the parent sees it through wait4.
# What to look for: the child's "child: faulting" line, then in the parent: pid_matches=1 (wait4 returned the
# pid fork gave), wifsignaled=1, wtermsig=11, core=0 (the harness runs with ulimit -c 0), and the parent
# itself exits normally (exit=0).
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	call lib_fork
	test %rax, %rax
	jnz parent
	lea s_child(%rip), %rdi
	call lib_print_str
	xor %ebx, %ebx
	movq $1, (%rbx)
	lea s_survived(%rip), %rdi
	call lib_print_str
	xor %edi, %edi
	call lib_exit
parent:
	mov %rax, %rbx
	mov %rbx, %rdi
	xor %r10d, %r10d
	xor %edx, %edx
	sub $16, %rsp
	mov %rsp, %rsi
	mov $61, %eax
	syscall
	cmp %rbx, %rax
	sete %al
	movzbl %al, %esi
	lea s_pid(%rip), %rdi
	call lib_print_kv_dec
	mov (%rsp), %ebx
	mov %ebx, %eax
	and $0x7f, %eax
	cmp $0, %eax
	setne %cl
	mov %ebx, %edx
	and $0xff00, %edx
	test %edx, %edx
	sete %dl
	and %dl, %cl
	movzbl %cl, %esi
	lea s_signaled(%rip), %rdi
	call lib_print_kv_dec
	mov %ebx, %esi
	and $0x7f, %esi
	lea s_termsig(%rip), %rdi
	call lib_print_kv_dec
	mov %ebx, %esi
	shr $7, %esi
	and $1, %esi
	lea s_core(%rip), %rdi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_child:	.asciz "child: faulting\n"
s_survived:	.asciz "child survived (must not be printed)\n"
s_pid:	.asciz "pid_matches"
s_signaled:	.asciz "wifsignaled"
s_termsig:	.asciz "wtermsig"
s_core:	.asciz "core"
