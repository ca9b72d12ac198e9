# fault-anon-write: the first access to each of 8 fresh anonymous pages is a write.
# What to look for: write_all=8 (do_anonymous_page with FAULT_FLAG_WRITE allocates a zeroed page, writable and
# dirty, in one fault -- no zero page in between), write_again=0, read_all=0, sum=16 (2 per page).
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $32768, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $8, %esi
	mov $1, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_write(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $8, %esi
	mov $2, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_write2(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $8, %esi
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
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_write:	.asciz "write_all"
s_write2:	.asciz "write_again"
s_read:	.asciz "read_all"
s_sum:	.asciz "sum"
