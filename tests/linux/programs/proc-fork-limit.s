# proc-fork-limit: a bounded fork bomb stopped by the process limit: fork returns -EAGAIN (-11).
# Children exit at once but stay zombies (not reaped yet), so they keep counting against the limit.
# The program asks for RLIMIT_NPROC = 16 with prlimit64 (302; its result is ignored). faultline implements
# prlimit64 for RLIMIT_NPROC and enforces it in fork (its guest is never root), so the same limit stops it.
# Linux does not apply RLIMIT_NPROC to root, so when the tests run as root the harness runs this program as
# user nobody (see harness.ts, RUN_AS_NOBODY).
# At most 64 forks are tried. What to look for: fork_error=-11 (a limit was reached; the number of children
# that got created depends on the limit and is not printed), then all children are reaped: reaped_all=1.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	xor %edi, %edi
	mov $6, %esi
	lea limit(%rip), %rdx
	xor %r10d, %r10d
	mov $302, %eax
	syscall
	xor %r13d, %r13d
	xor %r14d, %r14d
1:	cmp $64, %r13
	je 3f
	call lib_fork
	test %rax, %rax
	jz child
	js 2f
	inc %r13
	jmp 1b
2:	mov %rax, %r14
3:	lea s_error(%rip), %rdi
	call lib_print_str
	test %r14, %r14
	jz 4f
	mov %r14, %rdi
	call lib_print_dec
	call lib_print_nl
	jmp 5f
4:	lea s_none(%rip), %rdi
	call lib_print_str
5:	xor %r15d, %r15d
6:	mov $-1, %rdi
	call lib_wait4
	test %rax, %rax
	js 7f
	inc %r15
	jmp 6b
7:	lea s_reaped(%rip), %rdi
	xor %esi, %esi
	cmp %r13, %r15
	sete %sil
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit
child:
	xor %edi, %edi
	mov $60, %eax
	syscall

	.section .rodata
s_error:	.asciz "fork_error="
s_none:	.asciz "none (64 forks succeeded)\n"
s_reaped:	.asciz "reaped_all"
	.p2align 3
limit:	.quad 16, 16
