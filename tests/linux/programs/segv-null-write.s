# segv-null-write: a store to address 0.
# What to look for: SIGSEGV, si_code SEGV_MAPERR (1) (no VMA), si_addr = CR2 = 0, and REG_ERR 0x6: user-mode
# (bit 2) write (bit 1) to a not-present page (bit 0 clear). Compare with segv-null-read, whose REG_ERR is 0x4.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
	xor %ebx, %ebx
2:	movq $42, (%rbx)
1:	xor %edi, %edi
	xor %esi, %esi
	call lib_report_fault
	xor %edi, %edi
	call lib_exit
