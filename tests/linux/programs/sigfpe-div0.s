# sigfpe-div0: unsigned and signed 64-bit division by zero, and INT64_MIN / -1 (#DE, vector 0, for all three).
# What to look for: signo=8, si_code FPE_INTDIV (1) for each -- Linux reports every #DE as FPE_INTDIV, even
# the overflow of INT64_MIN / -1 --, si_addr = the div instruction (addr=at+0x0), REG_TRAPNO 0, REG_ERR 0,
# REG_RIP = the division (a fault).
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $8, %edi
	call lib_install_handler
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
	mov $100, %eax
	xor %edx, %edx
	xor %ecx, %ecx
2:	div %rcx
1:	mov lib_fault_at(%rip), %rdi
	lea s_at(%rip), %rsi
	call lib_report_fault
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
	mov $-100, %rax
	cqto
	xor %ecx, %ecx
2:	idiv %rcx
1:	mov lib_fault_at(%rip), %rdi
	lea s_at(%rip), %rsi
	call lib_report_fault
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
	movabs $0x8000000000000000, %rax
	cqto
	mov $-1, %rcx
2:	idiv %rcx
1:	mov lib_fault_at(%rip), %rdi
	lea s_at(%rip), %rsi
	call lib_report_fault
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_at:	.asciz "at"
