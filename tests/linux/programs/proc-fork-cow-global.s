# proc-fork-cow-global: after fork, parent and child have separate copies of .data (copy-on-write).
# What to look for: the child sees global=1, writes 2 and sees child_after=2; the parent, after wait4, still
# sees parent_after=1 and the child's exit status (status=0x0). The child's write faulted on a PTE that
# fork had write-protected in both processes (copy_page_range); do_wp_page copied the page for the child.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	movq $1, global(%rip)
	call lib_fork
	test %rax, %rax
	jnz parent
	lea s_child_before(%rip), %rdi
	mov global(%rip), %rsi
	call lib_print_kv_dec
	movq $2, global(%rip)
	lea s_child_after(%rip), %rdi
	mov global(%rip), %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit
parent:
	mov %rax, %rdi
	call lib_wait4
	lea s_status(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_hex
	lea s_parent_after(%rip), %rdi
	mov global(%rip), %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_child_before:	.asciz "child_before"
s_child_after:	.asciz "child_after"
s_status:	.asciz "status"
s_parent_after:	.asciz "parent_after"

	.data
global:	.quad 0
