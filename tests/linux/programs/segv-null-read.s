# segv-null-read: a load from address 0 (nothing is ever mapped below mmap_min_addr = 4096).
# What to look for: SIGSEGV (11) with si_code SEGV_MAPERR (1): find_vma finds no VMA covering 0, so
# do_user_addr_fault takes bad_area. si_addr = CR2 = 0; REG_ERR 0x4 = user-mode read of a not-present page;
# REG_TRAPNO 14 (#PF); REG_RIP is the faulting load itself (rip=at+0x0). A failed fault is not counted in
# ru_minflt (mm_account_fault skips VM_FAULT_ERROR, and bad_area never reaches handle_mm_fault): minflt_delta=0.
# The handler rewrites REG_RIP, so the program continues and exits 0.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	call lib_minflt
	mov %rax, %r12
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
	xor %ebx, %ebx
2:	mov (%rbx), %rax
1:	call lib_minflt
	sub %r12, %rax
	mov %rax, %r12
	xor %edi, %edi
	xor %esi, %esi
	call lib_report_fault
	lea s_delta(%rip), %rdi
	mov %r12, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_delta:	.asciz "minflt_delta"
