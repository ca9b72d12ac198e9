# segv-in-handler: the SIGSEGV handler itself does a NULL read (handler installed without SA_NODEFER).
# What to look for: "in handler" is printed once, then the process dies: signal=11. While the handler runs,
# SIGSEGV is blocked; a fault with the signal blocked makes force_sig_fault unblock it and reset the action to
# SIG_DFL (force_sig_info_to_task: blocked or ignored -> default), so the second SIGSEGV kills the process.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	lea handler(%rip), %rsi
	mov $4, %edx
	call lib_sigaction
	xor %ebx, %ebx
	mov (%rbx), %rax
	lea s_after(%rip), %rdi
	call lib_print_str
	xor %edi, %edi
	call lib_exit

handler:
	lea s_in(%rip), %rdi
	call lib_print_str
	xor %ebx, %ebx
	mov 8(%rbx), %rax
	lea s_back(%rip), %rdi
	call lib_print_str
	ret

	.section .rodata
s_in:	.asciz "in handler\n"
s_back:	.asciz "second fault survived (must not be printed)\n"
s_after:	.asciz "after (must not be printed)\n"
