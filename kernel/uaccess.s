# kernel/uaccess.s -- the only code through which faultline's kernel touches user memory.
#
# Follows Linux 5.10 arch/x86/lib/copy_user_64.S (copy_user_enhanced_fast_string and its tail handler),
# getuser.S, putuser.S, usercopy_64.c (__clear_user) and lib/strncpy_from_user.c. The kernel (TypeScript)
# runs these at CPL 0 through Cpu.callKernel with the arguments in registers. Every instruction that
# touches user memory sits between stac and clac (SMAP) and has an __ex_table entry (insn, fixup): when
# it faults on a bad user address, the page-fault handler finds the entry (fixup_exception) and resumes
# at the fixup, which makes the routine return what Linux's does: the bytes left, or -EFAULT.
#
# Entries are pairs of absolute 64-bit addresses, as x86-64 Linux wrote them before relative entries.

	.equ TASK_SIZE_MAX, 0x00007ffffffff000
	.equ EFAULT, 14

# The table gets pages of its own, so the kernel can map it read-only and no-execute apart from the text.
	.section __ex_table,"a"
	.p2align 12
	.text

# copy_user_generic(rdi=to, rsi=from, rdx=len) -> rax = bytes NOT copied (0 on success).
# One of to/from is a user address, the other a kernel one (the direct map). rep movsb commits each byte,
# so after a fault %rcx is exactly what is left.
	.globl copy_user_generic
copy_user_generic:
	stac
	mov %rdx, %rcx
1:	rep movsb
2:	mov %rcx, %rax
	clac
	ret
	.section __ex_table,"a"
	.quad 1b, 2b
	.text

# __get_user_N(rax=user address) -> rax = 0 or -EFAULT, rdx = the value (zero-extended; 0 on error).
# As getuser.S, the last byte read must lie below TASK_SIZE_MAX.
	.globl __get_user_1
__get_user_1:
	movabs $TASK_SIZE_MAX, %rdx
	cmp %rdx, %rax
	jae bad_get_user
	stac
1:	movzbl (%rax), %edx
	xor %eax, %eax
	clac
	ret
	.section __ex_table,"a"
	.quad 1b, bad_get_user_clac
	.text

	.globl __get_user_2
__get_user_2:
	add $1, %rax
	jc bad_get_user
	movabs $TASK_SIZE_MAX, %rdx
	cmp %rdx, %rax
	jae bad_get_user
	stac
1:	movzwl -1(%rax), %edx
	xor %eax, %eax
	clac
	ret
	.section __ex_table,"a"
	.quad 1b, bad_get_user_clac
	.text

	.globl __get_user_4
__get_user_4:
	add $3, %rax
	jc bad_get_user
	movabs $TASK_SIZE_MAX, %rdx
	cmp %rdx, %rax
	jae bad_get_user
	stac
1:	movl -3(%rax), %edx
	xor %eax, %eax
	clac
	ret
	.section __ex_table,"a"
	.quad 1b, bad_get_user_clac
	.text

	.globl __get_user_8
__get_user_8:
	add $7, %rax
	jc bad_get_user
	movabs $TASK_SIZE_MAX, %rdx
	cmp %rdx, %rax
	jae bad_get_user
	stac
1:	movq -7(%rax), %rdx
	xor %eax, %eax
	clac
	ret
	.section __ex_table,"a"
	.quad 1b, bad_get_user_clac
	.text

bad_get_user_clac:
	clac
bad_get_user:
	xor %edx, %edx
	mov $-EFAULT, %rax
	ret

# get_user_call(rsi=__get_user_N, rax=user address, rdi=kernel address for the value) -> rax = 0 or -EFAULT:
# what a C caller of get_user() compiles to, storing the value the routine returned in %rdx.
	.globl get_user_call
get_user_call:
	call *%rsi
	mov %rdx, (%rdi)
	ret

# __put_user_N(rax=value, rcx=user address) -> rax = 0 or -EFAULT. As putuser.S, the limit is lowered by
# N-1 so that the last byte written lies below TASK_SIZE_MAX.
	.globl __put_user_1
__put_user_1:
	movabs $TASK_SIZE_MAX, %rdx
	cmp %rdx, %rcx
	jae bad_put_user
	stac
1:	movb %al, (%rcx)
	xor %eax, %eax
	clac
	ret
	.section __ex_table,"a"
	.quad 1b, bad_put_user_clac
	.text

	.globl __put_user_2
__put_user_2:
	movabs $TASK_SIZE_MAX-1, %rdx
	cmp %rdx, %rcx
	jae bad_put_user
	stac
1:	movw %ax, (%rcx)
	xor %eax, %eax
	clac
	ret
	.section __ex_table,"a"
	.quad 1b, bad_put_user_clac
	.text

	.globl __put_user_4
__put_user_4:
	movabs $TASK_SIZE_MAX-3, %rdx
	cmp %rdx, %rcx
	jae bad_put_user
	stac
1:	movl %eax, (%rcx)
	xor %eax, %eax
	clac
	ret
	.section __ex_table,"a"
	.quad 1b, bad_put_user_clac
	.text

	.globl __put_user_8
__put_user_8:
	movabs $TASK_SIZE_MAX-7, %rdx
	cmp %rdx, %rcx
	jae bad_put_user
	stac
1:	movq %rax, (%rcx)
	xor %eax, %eax
	clac
	ret
	.section __ex_table,"a"
	.quad 1b, bad_put_user_clac
	.text

bad_put_user_clac:
	clac
bad_put_user:
	mov $-EFAULT, %rax
	ret

# strncpy_from_user(rdi=dst kernel, rsi=src user, rdx=count) -> rax = length of the string (without its
# NUL) when a NUL was found within count bytes, count when none was, -EFAULT when a byte could not be read
# (lib/strncpy_from_user.c, one byte at a time). The NUL is copied too.
	.globl strncpy_from_user
strncpy_from_user:
	xor %eax, %eax
	stac
1:	cmp %rdx, %rax
	je 3f
2:	movb (%rsi,%rax), %cl
	movb %cl, (%rdi,%rax)
	test %cl, %cl
	jz 3f
	inc %rax
	jmp 1b
3:	clac
	ret
4:	clac
	mov $-EFAULT, %rax
	ret
	.section __ex_table,"a"
	.quad 2b, 4b
	.text

# __clear_user(rdi=user address, rsi=size) -> rax = bytes NOT cleared (usercopy_64.c): quadwords, then
# the remaining bytes; a fault in the quadword loop counts the quadwords left plus the tail.
	.globl __clear_user
__clear_user:
	stac
	mov %rsi, %rcx
	shr $3, %rcx
	and $7, %esi
	test %rcx, %rcx
	jz 4f
0:	movq $0, (%rdi)
	add $8, %rdi
	dec %rcx
	jnz 0b
4:	mov %rsi, %rcx
	test %rcx, %rcx
	jz 2f
1:	movb $0, (%rdi)
	inc %rdi
	dec %rcx
	jnz 1b
2:	mov %rcx, %rax
	clac
	ret
3:	lea (%rsi,%rcx,8), %rcx
	jmp 2b
	.section __ex_table,"a"
	.quad 0b, 3b
	.quad 1b, 2b
	.text
