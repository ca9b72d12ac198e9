# fault-anon-zero-page: demand paging of a private anonymous mapping of 8 pages, read first.
# What to look for (minor-fault deltas from getrusage around each step):
#   read_all=8     each first read of a page: pte none -> do_anonymous_page maps the shared zero page read-only
#   sum=0          every page reads as zero
#   read_again=0   the zero-page PTEs are present
#   write_all=8    each write hits a read-only zero-page PTE -> do_wp_page -> wp_page_copy: a new zeroed page
#   write_again=0  the new pages are writable and dirty
#   sum=8          the values written (1 per page) are there
# Depends on: zero-page (read faults map the shared zero page; the writes after them fault again)
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
	mov %rbx, %rdi
	mov $8, %esi
	call lib_read_pages
	call lib_minflt
	sub %r12, %rax
	lea s_read2(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

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
	mov $1, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_write2(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	mov %rbx, %rdi
	mov $8, %esi
	call lib_read_pages
	lea s_sum(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_read:	.asciz "read_all"
s_read2:	.asciz "read_again"
s_write:	.asciz "write_all"
s_write2:	.asciz "write_again"
s_sum:	.asciz "sum"
