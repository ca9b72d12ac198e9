# segv-no-stack-for-signal: %rsp points at unmapped memory (0x10000) when ud2 raises SIGILL, whose handler is
# installed. The kernel cannot write the signal frame (rt_sigframe) onto the stack.
# What to look for: the handler never runs ("handler ran" is not printed); the failed frame setup makes the
# kernel force SIGSEGV (signal_setup_done -> force_sigsegv), and with no SIGSEGV handler the process is killed:
# signal=11, although the original signal was SIGILL.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $4, %edi
	lea handler(%rip), %rsi
	mov $4, %edx
	call lib_sigaction
	lea s_before(%rip), %rdi
	call lib_print_str
	mov $0x10000, %esp
	ud2

handler:
	mov $1, %edi
	lea s_ran(%rip), %rsi
	mov $12, %edx
	mov $1, %eax
	syscall
	mov $0, %edi
	mov $231, %eax
	syscall

	.section .rodata
s_before:	.asciz "before\n"
s_ran:	.ascii "handler ran\n"
