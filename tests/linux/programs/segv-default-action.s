# segv-default-action: a NULL write with no handler installed.
# What to look for: nothing after "before" is printed; the default action of SIGSEGV terminates the process:
# the last line is signal=11 (a shell would report exit status 139 = 128 + 11).
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	lea s_before(%rip), %rdi
	call lib_print_str
	xor %ebx, %ebx
	movq $1, (%rbx)
	lea s_after(%rip), %rdi
	call lib_print_str
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_before:	.asciz "before\n"
s_after:	.asciz "after (must not be printed)\n"
