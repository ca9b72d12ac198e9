# proc-fork-readonly-private: PROT_READ private mappings across fork.
# A (4 pages) was mapped PROT_READ and only read: zero-page PTEs, no anon_vma. B (4 pages) was mapped
# read-write, written (7 per page), then mprotect'd PROT_READ: it has anonymous pages. A PROT_NONE page between
# them keeps the two VMAs from merging.
# What to look for (all printed by the child; the parent only waits and reports the child's status):
#   child_read_a=4    A was not copied by fork (no anon_vma): the child refaults each zero page
#   child_read_b=0    B's PTEs were copied: no faults; child_sum_b=28
#   a write to B in the child: SIGSEGV SEGV_ACCERR (2), REG_ERR 0x7 (present, read-only VMA; no COW is
#   attempted for a VMA without VM_WRITE). addr=b+0x0
#   status=0x0, parent_sum_b=28
# Depends on: zero-page (pages only read are zero-page PTEs, so the VMA has no anon_vma and fork does not copy it)
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	mov $16384, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %r14
	mov $4096, %edi
	xor %esi, %esi
	call lib_mmap_anon
	mov $16384, %edi
	mov $1, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	mov %r14, %rdi
	mov $4, %esi
	mov $7, %edx
	call lib_write_pages
	mov %r14, %rdi
	mov $16384, %esi
	mov $1, %edx
	mov $10, %eax
	syscall
	mov %rbx, %rdi
	mov $4, %esi
	call lib_read_pages
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
	lea s_read_a(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	call lib_minflt
	mov %rax, %r12
	mov %r14, %rdi
	mov $4, %esi
	call lib_read_pages
	mov %rax, %r13
	call lib_minflt
	sub %r12, %rax
	lea s_read_b(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea s_sum_b(%rip), %rdi
	mov %r13, %rsi
	call lib_print_kv_dec
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	movq $8, (%r14)
1:	mov %r14, %rdi
	lea s_b(%rip), %rsi
	call lib_report_fault
	xor %edi, %edi
	call lib_exit

parent:
	mov %rax, %rdi
	call lib_wait4
	lea s_status(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_hex
	mov %r14, %rdi
	mov $4, %esi
	call lib_read_pages
	lea s_psum_b(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_read_a:	.asciz "child_read_a"
s_read_b:	.asciz "child_read_b"
s_sum_b:	.asciz "child_sum_b"
s_b:	.asciz "b"
s_status:	.asciz "status"
s_psum_b:	.asciz "parent_sum_b"
