# proc-kill-child: the parent kills a child that spins forever (sched_yield loop) with SIGKILL.
# What to look for: kill=0, then wait4 reports wifsignaled=1 and wtermsig=9; the child never prints.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	call lib_fork
	test %rax, %rax
	jnz parent
1:	mov $24, %eax
	syscall
	jmp 1b
	lea s_never(%rip), %rdi
	call lib_print_str
parent:
	mov %rax, %rbx
	mov %rbx, %rdi
	mov $9, %esi
	mov $62, %eax
	syscall
	lea s_kill(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	mov %rbx, %rdi
	call lib_wait4
	mov %rax, %rbx
	mov %ebx, %eax
	and $0x7f, %eax
	setne %al
	movzbl %al, %esi
	lea s_signaled(%rip), %rdi
	call lib_print_kv_dec
	mov %ebx, %esi
	and $0x7f, %esi
	lea s_termsig(%rip), %rdi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_never:	.asciz "child escaped (must not be printed)\n"
s_kill:	.asciz "kill"
s_signaled:	.asciz "wifsignaled"
s_termsig:	.asciz "wtermsig"
