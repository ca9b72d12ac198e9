# segv-write-text: a store into the program's own code (the .text segment is mapped R-X).
# What to look for: SIGSEGV with si_code SEGV_ACCERR (2): there is a VMA, but access_error refuses a write to a
# VMA without VM_WRITE. REG_ERR 0x7 = user write to a PRESENT page (the page holding the running code is mapped,
# so bit 0 is set). si_addr = CR2 = the target label (addr=target+0x0), and REG_RIP is the store (rip=at+0x0).
# The code byte is unchanged afterwards (its first byte, 0x48 = REX.W of the store, is printed).
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea target(%rip), %rax
	mov %rax, lib_fault_at(%rip)
target:
	movq $0x90, (%rax)
1:	lea target(%rip), %rdi
	lea s_target(%rip), %rsi
	call lib_report_fault
	lea s_byte(%rip), %rdi
	movzbl target(%rip), %esi
	call lib_print_kv_hex
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_target:	.asciz "target"
s_byte:	.asciz "target_byte"
