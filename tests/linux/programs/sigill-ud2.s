# sigill-ud2: execute ud2 (#UD, vector 6) with a SIGILL handler.
# What to look for: signo=4, si_code ILL_ILLOPN (2), si_addr = the ud2 instruction (addr=at+0x0), REG_TRAPNO
# 6, REG_ERR 0. #UD is a fault: REG_RIP points at ud2 itself (rip=at+0x0), so returning without changing
# REG_RIP would execute it again forever; the handler moves REG_RIP to the recovery label.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $4, %edi
	call lib_install_handler
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	ud2
1:	lea 2b(%rip), %rdi
	lea s_at(%rip), %rsi
	call lib_report_fault
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_at:	.asciz "at"
