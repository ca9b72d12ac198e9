# proc-cow-while-child-lives: the parent writes 8 pages shared with a child that is still alive.
# A MAP_SHARED|MAP_ANONYMOUS page holds a flag: the child waits (sched_yield) until the parent has written.
# What to look for:
#   parent_write=8   each page is mapped by both processes: do_wp_page must copy (wp_page_copy), one fault each
#   child_sum=8      the child still sees the values from before fork (1 per page), not the parent's 5s
#   parent_sum=40, status=0x0
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	xor %edi, %edi
	mov $4096, %esi
	mov $3, %edx
	mov $0x21, %ecx
	call lib_mmap
	mov %rax, %r14
	movq $0, (%r14)
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
1:	cmpq $0, (%r14)
	jne 2f
	mov $24, %eax
	syscall
	jmp 1b
2:	mov %rbx, %rdi
	mov $8, %esi
	call lib_read_pages
	lea s_child_sum(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

parent:
	mov %rax, %r13
	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $8, %esi
	mov $5, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_parent_write(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	movq $1, (%r14)
	mov %r13, %rdi
	call lib_wait4
	mov %rax, %r13
	mov %rbx, %rdi
	mov $8, %esi
	call lib_read_pages
	lea s_parent_sum(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea s_status(%rip), %rdi
	mov %r13, %rsi
	call lib_print_kv_hex
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_parent_write:	.asciz "parent_write"
s_child_sum:	.asciz "child_sum"
s_parent_sum:	.asciz "parent_sum"
s_status:	.asciz "status"
