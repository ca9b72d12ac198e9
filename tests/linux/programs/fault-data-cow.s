# fault-data-cow: first writes and first reads of initialized .data (a private, writable file mapping).
# Two arrays of 4 pages, each 64 KiB-aligned (so each sits alone in its fault-around window).
# What to look for:
#   write_a=4        a first write to a page: do_fault -> do_cow_fault copies the file page into a new
#                    anonymous page, one fault per page (write faults never fault around)
#   read_b=1         a first read: do_read_fault with fault-around maps all 4 file pages read-only at once
#   b=0x2222222222222222   the file's contents
#   write_b=4        writes to those read-only file PTEs: do_wp_page -> wp_page_copy, one copy per page
#   write_b_again=0, read_a=0 (all present now)
#   a=0x5 (the value written), and the .data file contents of a page not written stay: a_unwritten=0x1111...
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	call lib_minflt
	mov %rax, %r12
	lea arr_a(%rip), %rdi
	mov $4, %esi
	mov $5, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_write_a(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	call lib_minflt
	mov %rax, %r12
	mov arr_b(%rip), %r13
	call lib_minflt
	sub %r12, %rax
	lea s_read_b(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea s_b(%rip), %rdi
	mov %r13, %rsi
	call lib_print_kv_hex

	call lib_minflt
	mov %rax, %r12
	lea arr_b(%rip), %rdi
	mov $4, %esi
	mov $6, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_write_b(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	call lib_minflt
	mov %rax, %r12
	lea arr_b(%rip), %rdi
	mov $4, %esi
	mov $7, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_write_b2(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	call lib_minflt
	mov %rax, %r12
	lea arr_a(%rip), %rdi
	mov $4, %esi
	call lib_read_pages
	call lib_minflt
	sub %r12, %rax
	lea s_read_a(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea s_a(%rip), %rdi
	mov arr_a(%rip), %rsi
	call lib_print_kv_hex
	lea s_a_unwritten(%rip), %rdi
	mov arr_a+8(%rip), %rsi
	call lib_print_kv_hex
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_write_a:	.asciz "write_a"
s_read_b:	.asciz "read_b"
s_b:	.asciz "b"
s_write_b:	.asciz "write_b"
s_write_b2:	.asciz "write_b_again"
s_read_a:	.asciz "read_a"
s_a:	.asciz "a"
s_a_unwritten:	.asciz "a_unwritten"

	.data
	.p2align 16
arr_a:	.fill 4*4096, 1, 0x11
	.p2align 16
arr_b:	.fill 4*4096, 1, 0x22
	.p2align 16
