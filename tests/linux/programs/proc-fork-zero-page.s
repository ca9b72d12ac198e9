# proc-fork-zero-page: a mapping that was only ever READ before fork (its pages are the shared zero page).
# What to look for:
#   parent_read=4         zero-page read faults before fork
#   child_read=4          the child faults again on every read: only zero-page reads happened, so the VMA has
#                         no anon_vma, and copy_page_range skips such VMAs (the child refaults instead of
#                         copying PTEs)
#   child_write=4, child_sum=4
#   parent_write=4        the parent's zero-page PTEs: each write is a zero-page COW (new zeroed page)
#   parent_sum=8          (2 per page: the child's writes are not visible)
# Depends on: zero-page (pages only read are zero-page PTEs, so the VMA has no anon_vma and fork does not copy it)
	.text
	.globl _start
_start:
	mov $16384, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $4, %esi
	call lib_read_pages
	call lib_minflt
	sub %r12, %rax
	lea s_parent_read(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	call lib_fork
	test %rax, %rax
	jnz parent
	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $4, %esi
	call lib_read_pages
	call lib_minflt
	sub %r12, %rax
	lea s_child_read(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $4, %esi
	mov $1, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_child_write(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	mov %rbx, %rdi
	mov $4, %esi
	call lib_read_pages
	lea s_child_sum(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit
parent:
	mov %rax, %rdi
	call lib_wait4
	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $4, %esi
	mov $2, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_parent_write(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	mov %rbx, %rdi
	mov $4, %esi
	call lib_read_pages
	lea s_parent_sum(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_parent_read:	.asciz "parent_read"
s_child_read:	.asciz "child_read"
s_child_write:	.asciz "child_write"
s_child_sum:	.asciz "child_sum"
s_parent_write:	.asciz "parent_write"
s_parent_sum:	.asciz "parent_sum"
