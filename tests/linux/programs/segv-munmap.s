# segv-munmap: mmap two pages, write both, munmap the first, then read each.
# What to look for: munmap returns 0; the second page still reads its value (second=0x2222); the read of the
# unmapped page raises SIGSEGV with si_code SEGV_MAPERR (1) (no VMA any more) and REG_ERR 0x4 (not present:
# munmap cleared the PTE and flushed the TLB -- a stale TLB entry would have let the read through).
# Addresses are printed relative to the mapping base (addr=map+0x0).
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	mov $8192, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	movq $0x1111, (%rbx)
	movq $0x2222, 4096(%rbx)
	mov %rbx, %rdi
	mov $4096, %esi
	mov $11, %eax
	syscall
	lea s_munmap(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea s_second(%rip), %rdi
	mov 4096(%rbx), %rsi
	call lib_print_kv_hex
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	mov (%rbx), %rax
1:	mov %rbx, %rdi
	lea s_map(%rip), %rsi
	call lib_report_fault
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_map:	.asciz "map"
s_munmap:	.asciz "munmap"
s_second:	.asciz "second"
