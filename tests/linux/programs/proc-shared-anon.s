# proc-shared-anon: MAP_SHARED|MAP_ANONYMOUS memory stays shared across fork (it is a shmem object, reached
# through do_fault, not anonymous COW memory).
# What to look for (status=0x0 is the child's exit status):
#   child_write=4    4 pages never touched before fork: each first write allocates a shmem page
#                    (do_shared_fault), one fault per page; writes never fault around
#   parent_sum=10    the parent sees the child's values 1..4: no copy-on-write for shared mappings
#   parent_read=1    the parent had never touched the pages: its first read is do_read_fault, and fault-around
#                    maps the 4 pages the child created in the shmem page cache with one fault
#   parent_write=0   a shared shmem mapping needs no dirty tracking, so its vm_page_prot is writable and
#                    fault-around already mapped the pages writable: the writes do not fault
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	xor %edi, %edi
	mov $16384, %esi
	mov $3, %edx
	mov $0x21, %ecx
	call lib_mmap
	mov %rax, %rbx
	call lib_fork
	test %rax, %rax
	jnz parent
	call lib_minflt
	mov %rax, %r12
	movq $1, (%rbx)
	movq $2, 4096(%rbx)
	movq $3, 8192(%rbx)
	movq $4, 12288(%rbx)
	call lib_minflt
	sub %r12, %rax
	lea s_child_write(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit
parent:
	mov %rax, %rdi
	call lib_wait4
	lea s_status(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_hex
	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $4, %esi
	call lib_read_pages
	mov %rax, %r13
	call lib_minflt
	sub %r12, %rax
	mov %rax, %r12
	lea s_parent_sum(%rip), %rdi
	mov %r13, %rsi
	call lib_print_kv_dec
	lea s_parent_read(%rip), %rdi
	mov %r12, %rsi
	call lib_print_kv_dec
	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $4, %esi
	mov $5, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_parent_write(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_child_write:	.asciz "child_write"
s_status:	.asciz "status"
s_parent_sum:	.asciz "parent_sum"
s_parent_read:	.asciz "parent_read"
s_parent_write:	.asciz "parent_write"
