# munmap-split: munmap and mprotect in the middle of one mapping split its VMA into pieces.
# A 4-page RW anonymous mapping, page i holding i+1. munmap(page 1) leaves [0] and [2,3]; mprotect(page 2,
# PROT_READ) splits [2,3] into [2] read-only and [3] read-write.
# What to look for: munmap=0, mprotect=0; page0=0x1, page2=0x3, page3=0x4 (the pages outside the hole keep
# their contents); a read of page 1: SIGSEGV SEGV_MAPERR (1), REG_ERR 0x4 (addr=map+0x1000); a write to
# page 2: SEGV_ACCERR (2), REG_ERR 0x7; a write to page 3 works (page3=0x5).
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	mov $16384, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	movq $1, (%rbx)
	movq $2, 4096(%rbx)
	movq $3, 8192(%rbx)
	movq $4, 12288(%rbx)
	lea 4096(%rbx), %rdi
	mov $4096, %esi
	mov $11, %eax
	syscall
	lea s_munmap(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea 8192(%rbx), %rdi
	mov $4096, %esi
	mov $1, %edx
	mov $10, %eax
	syscall
	lea s_mprotect(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea s_p0(%rip), %rdi
	mov (%rbx), %rsi
	call lib_print_kv_hex
	lea s_p2(%rip), %rdi
	mov 8192(%rbx), %rsi
	call lib_print_kv_hex
	lea s_p3(%rip), %rdi
	mov 12288(%rbx), %rsi
	call lib_print_kv_hex

	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	mov 4096(%rbx), %rax
1:	mov %rbx, %rdi
	lea s_map(%rip), %rsi
	call lib_report_fault
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	movq $9, 8192(%rbx)
1:	mov %rbx, %rdi
	lea s_map(%rip), %rsi
	call lib_report_fault
	movq $5, 12288(%rbx)
	lea s_p3(%rip), %rdi
	mov 12288(%rbx), %rsi
	call lib_print_kv_hex
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_map:	.asciz "map"
s_munmap:	.asciz "munmap"
s_mprotect:	.asciz "mprotect"
s_p0:	.asciz "page0"
s_p2:	.asciz "page2"
s_p3:	.asciz "page3"
