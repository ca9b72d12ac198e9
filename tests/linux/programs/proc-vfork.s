# proc-vfork: vfork (58) shares the address space with the parent and suspends the parent until the child
# exits.
# What to look for: the child's lines come first (child_first=1: the flag the parent has not yet set), the
# child's write to .data is visible to the parent (parent_sees=2: no copy, same mm), and the status is the
# child's exit code: status=0x700 (7 << 8). The child does not return from anything and leaves by exit (60),
# since it runs on the parent's stack.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	movq $1, global(%rip)
	movq $0, parent_ran(%rip)
	mov $58, %eax
	syscall
	test %rax, %rax
	jnz parent
	cmpq $0, parent_ran(%rip)
	sete %al
	movzbl %al, %esi
	lea s_first(%rip), %rdi
	call lib_print_kv_dec
	movq $2, global(%rip)
	mov $7, %edi
	mov $60, %eax
	syscall
parent:
	movq $1, parent_ran(%rip)
	mov %rax, %rdi
	call lib_wait4
	mov %rax, %rbx
	lea s_sees(%rip), %rdi
	mov global(%rip), %rsi
	call lib_print_kv_dec
	lea s_status(%rip), %rdi
	mov %rbx, %rsi
	call lib_print_kv_hex
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_first:	.asciz "child_first"
s_sees:	.asciz "parent_sees"
s_status:	.asciz "status"

	.data
global:	.quad 0
parent_ran:	.quad 0
