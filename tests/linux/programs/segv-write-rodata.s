# segv-write-rodata: a read, then a write, of a constant in .rodata (mapped read-only, no exec).
# What to look for: the read succeeds (value=0x1122334455667788); the write raises SIGSEGV with si_code
# SEGV_ACCERR (2) and REG_ERR 0x7 (user write, page present: the read mapped it). si_addr = CR2 = the constant
# (addr=ro_value+0x0). The value is unchanged after the fault.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	lea s_value(%rip), %rdi
	mov ro_value(%rip), %rsi
	call lib_print_kv_hex
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	movq $0, ro_value(%rip)
1:	lea ro_value(%rip), %rdi
	lea s_name(%rip), %rsi
	call lib_report_fault
	lea s_value(%rip), %rdi
	mov ro_value(%rip), %rsi
	call lib_print_kv_hex
	xor %edi, %edi
	call lib_exit

	.section .rodata
	.p2align 3
ro_value:	.quad 0x1122334455667788
s_value:	.asciz "value"
s_name:	.asciz "ro_value"
