# segv-exec-data: call into a `ret` instruction stored in .data (the data segment is RW-, not executable).
# What to look for: SIGSEGV, si_code SEGV_ACCERR (2), REG_ERR 0x15 (user + instruction fetch + present: the
# page was written by the program first, so it is mapped, but NX). si_addr = CR2 = REG_RIP = code_in_data.
# The handler resumes after the call; the return address the call pushed is popped there.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	movb $0xc3, code_in_data(%rip)
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea code_in_data(%rip), %rax
	mov %rax, lib_fault_at(%rip)
	call *%rax
1:	add $8, %rsp
	lea code_in_data(%rip), %rdi
	lea s_name(%rip), %rsi
	call lib_report_fault
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_name:	.asciz "code_in_data"

	.data
	.p2align 4
code_in_data:	.byte 0x90, 0x90, 0x90, 0x90
