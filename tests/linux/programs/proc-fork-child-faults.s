# proc-fork-child-faults: minor faults in a child touching 8 pages its parent wrote before fork, then in the
# parent after the child has exited.
# What to look for:
#   child_read=0     fork copied the PTEs of the anonymous VMA (it has an anon_vma), write-protected: reads
#                    hit present PTEs
#   child_write=8    each first write is a COW fault: do_wp_page, the page is shared -> wp_page_copy
#   child_write_again=0, child_sum=16 (its own values, 2 per page)
#   parent_sum_before=8 (the parent's pages still hold 1 per page)
#   parent_write=8   the child is gone, so each page has a single user again, but the parent's PTEs are still
#                    write-protected: each write faults, and do_wp_page reuses the page (no copy) -- still a
#                    minor fault each
#   parent_write_again=0
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $32768, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	mov %rbx, %rdi
	mov $8, %esi
	mov $1, %edx
	call lib_write_pages
	call lib_fork
	test %rax, %rax
	jnz parent

	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $8, %esi
	call lib_read_pages
	call lib_minflt
	sub %r12, %rax
	lea s_child_read(%rip), %rdi
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
	lea s_child_write(%rip), %rdi
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
	lea s_child_write2(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	mov %rbx, %rdi
	mov $8, %esi
	call lib_read_pages
	lea s_child_sum(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

parent:
	mov %rax, %rdi
	call lib_wait4
	mov %rbx, %rdi
	mov $8, %esi
	call lib_read_pages
	lea s_parent_sum(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $8, %esi
	mov $3, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_parent_write(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $8, %esi
	mov $3, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_parent_write2(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_child_read:	.asciz "child_read"
s_child_write:	.asciz "child_write"
s_child_write2:	.asciz "child_write_again"
s_child_sum:	.asciz "child_sum"
s_parent_sum:	.asciz "parent_sum_before"
s_parent_write:	.asciz "parent_write"
s_parent_write2:	.asciz "parent_write_again"
