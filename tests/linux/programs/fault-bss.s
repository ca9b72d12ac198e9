# fault-bss: a page-aligned 4-page array in .bss. Past the last file page of the data segment, .bss is plain
# anonymous memory set up by the ELF loader: it behaves like fault-anon-zero-page, not like .data.
# What to look for: read_all=4 (zero page), sum=0, write_all=4 (zero-page COW), write_again=0.
# Depends on: zero-page (.bss reads map the shared zero page; the writes after them fault again)
	.text
	.globl _start
_start:
	call lib_minflt
	mov %rax, %r12
	lea zbuf(%rip), %rdi
	mov $4, %esi
	call lib_read_pages
	mov %rax, %r13
	call lib_minflt
	sub %r12, %rax
	lea s_read(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea s_sum(%rip), %rdi
	mov %r13, %rsi
	call lib_print_kv_dec

	call lib_minflt
	mov %rax, %r12
	lea zbuf(%rip), %rdi
	mov $4, %esi
	mov $9, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_write(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	call lib_minflt
	mov %rax, %r12
	lea zbuf(%rip), %rdi
	mov $4, %esi
	mov $9, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_write2(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_read:	.asciz "read_all"
s_sum:	.asciz "sum"
s_write:	.asciz "write_all"
s_write2:	.asciz "write_again"

	.bss
	.p2align 12
zbuf:	.skip 4*4096
