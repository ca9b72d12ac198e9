# mprotect-after-write: a page is written (so its writable PTE is cached in the TLB), then mprotect'd
# PROT_READ, then written again.
# What to look for: value=0x1 is still readable after mprotect(PROT_READ) (mprotect=0); the second write
# raises SIGSEGV SEGV_ACCERR (2) with REG_ERR 0x7 (present page, write). change_protection must flush the
# TLB: with a stale writable entry the write would have gone through. After mprotect(PROT_READ|PROT_WRITE)
# the write works (value=0x3).
# Fault counts are deliberately not printed after the second mprotect: Linux 6.x (since 6.0,
# can_change_pte_writable) makes an exclusive anonymous page writable right in mprotect, so the next write
# does not fault natively, while 5.10 leaves the PTE read-only and takes one do_wp_page (reuse) fault.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	mov $4096, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	movq $1, (%rbx)
	mov %rbx, %rdi
	mov $4096, %esi
	mov $1, %edx
	mov $10, %eax
	syscall
	lea s_mprotect(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea s_value(%rip), %rdi
	mov (%rbx), %rsi
	call lib_print_kv_hex
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	movq $2, (%rbx)
1:	mov %rbx, %rdi
	lea s_map(%rip), %rsi
	call lib_report_fault
	mov %rbx, %rdi
	mov $4096, %esi
	mov $3, %edx
	mov $10, %eax
	syscall
	lea s_mprotect(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	movq $3, (%rbx)
	lea s_value(%rip), %rdi
	mov (%rbx), %rsi
	call lib_print_kv_hex
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_map:	.asciz "map"
s_mprotect:	.asciz "mprotect"
s_value:	.asciz "value"
