# segv-write-readonly-map: writes to a PROT_READ private anonymous mapping of two pages.
# What to look for: a write to the untouched first page: SIGSEGV, si_code SEGV_ACCERR (2), REG_ERR 0x6 (user
# write, page not present -- access_error refuses it before any page is mapped, so minflt_delta=0).
# The second page is read first (value=0 from the zero page, minflt_delta=1), then written: REG_ERR 0x7
# (user write, present), SEGV_ACCERR again.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	mov $8192, %edi
	mov $1, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	call lib_minflt
	mov %rax, %r12
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	movq $5, 16(%rbx)
1:	call lib_minflt
	sub %r12, %rax
	mov %rax, %r12
	mov %rbx, %rdi
	lea s_map(%rip), %rsi
	call lib_report_fault
	lea s_delta(%rip), %rdi
	mov %r12, %rsi
	call lib_print_kv_dec
	call lib_minflt
	mov %rax, %r12
	mov 4096(%rbx), %r13
	call lib_minflt
	sub %r12, %rax
	mov %rax, %r12
	lea s_value(%rip), %rdi
	mov %r13, %rsi
	call lib_print_kv_dec
	lea s_delta(%rip), %rdi
	mov %r12, %rsi
	call lib_print_kv_dec
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	movq $5, 4096(%rbx)
1:	mov %rbx, %rdi
	lea s_map(%rip), %rsi
	call lib_report_fault
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_map:	.asciz "map"
s_delta:	.asciz "minflt_delta"
s_value:	.asciz "value"
