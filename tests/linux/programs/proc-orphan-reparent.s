# proc-orphan-reparent: a grandchild whose parent exits is reparented (to init, or to the nearest child
# subreaper natively), so its getppid changes. Only that fact is printed: the new parent's pid differs
# between systems.
# The original process reaps the child, prints its status and sets flag 1 in a MAP_SHARED page; the grandchild
# waits (sched_yield) for that flag and until getppid differs from the pid of its original parent, prints,
# then sets flag 2, which the original process waits for before exiting: all output comes in one order. What to look for: child_status=0x0, then reparented=1.
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
	call lib_fork
	test %rax, %rax
	jnz top
	mov $39, %eax
	syscall
	mov %rax, %rbx
	call lib_fork
	test %rax, %rax
	jz grandchild
	xor %edi, %edi
	call lib_exit
grandchild:
1:	cmpq $0, (%r14)
	jne 3f
	mov $24, %eax
	syscall
	jmp 1b
3:	mov $110, %eax
	syscall
	cmp %rbx, %rax
	jne 2f
	mov $24, %eax
	syscall
	jmp 3b
2:	lea s_reparented(%rip), %rdi
	mov $1, %esi
	call lib_print_kv_dec
	movq $1, 8(%r14)
	xor %edi, %edi
	call lib_exit
top:
	mov %rax, %rdi
	call lib_wait4
	lea s_status(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_hex
	movq $1, (%r14)
1:	cmpq $0, 8(%r14)
	jne 2f
	mov $24, %eax
	syscall
	jmp 1b
2:	xor %edi, %edi
	call lib_exit

	.section .rodata
s_status:	.asciz "child_status"
s_reparented:	.asciz "reparented"
