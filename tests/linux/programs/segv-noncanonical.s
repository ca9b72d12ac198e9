# segv-noncanonical: loads from non-canonical addresses (bits 63..47 not all equal): 0x0000800000000000 and
# 0x8000000000000000. The CPU raises #GP(0) (vector 13), not #PF: there is no CR2 and no page walk.
# What to look for: SIGSEGV with si_code SI_KERNEL (128) and si_addr 0 (force_sig(SIGSEGV) from
# exc_general_protection), REG_TRAPNO 13, REG_ERR 0 (the #GP error code).
# REG_CR2 is NOT the address: the kernel copies thread.cr2, which only a page fault that sent a signal sets.
# So the program first takes an ordinary fault at 0x1234 and both #GP reports then show cr2=0x1234 (stale).
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	mov $0x1234, %ebx
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	mov (%rbx), %rax
1:	xor %edi, %edi
	xor %esi, %esi
	call lib_report_fault
	movabs $0x0000800000000000, %rbx
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	mov (%rbx), %rax
1:	xor %edi, %edi
	xor %esi, %esi
	call lib_report_fault
	movabs $0x8000000000000000, %rbx
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	movq $7, (%rbx)
1:	xor %edi, %edi
	xor %esi, %esi
	call lib_report_fault
	xor %edi, %edi
	call lib_exit
