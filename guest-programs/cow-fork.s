# cow-fork.s: copy-on-write after fork, seen from both sides. A page of .data is written before fork, then
# the parent and the child each write it; each prints what it sees and how many page faults its write took.
# Run it with the copy-on-write trace (add `tlb` to see the flush fork does):
#     faultline run guest-programs/cow-fork.s --trace cow
#     faultline run guest-programs/cow-fork.s --trace cow,tlb --stats
# What to watch:
#   before fork   the parent writes 1: an ordinary anonymous page, mapped writable (and cached writable in
#                 the TLB)
#   fork          copy_page_range write-protects that pte in the parent AND in the child and raises the
#                 page's refcount and mapcount to 2; then the parent's TLB is flushed (--trace tlb shows it),
#                 or the parent's cached writable entry would let it write the shared frame without a fault
#   parent write  1 fault. The cow trace line: `copy: pfn A (refcount 2, mapcount 2 -> refcount 1,
#                 mapcount 1) -> new pfn B`: the child still maps A, so the parent gets a copy B
#   child reads   1: the value from before fork; the parent's 2 is in B, which only the parent maps
#   child write   1 fault. The cow trace line: `reuse: pfn A (refcount 1 -> 1, mapcount 1)`: the parent has
#                 let go of A, so the child is its only user and do_wp_page just makes the pte writable
#   parent, after the child exited: still 2.
#   The stack page goes through the same copy-then-reuse (the trace lines at 0x7fffffffe000: the first
#   call after fork pushes a return address), so --stats counts 2 cow-copies and 2 cow-reuses.
# The child waits (sched_yield) for a flag the parent sets in a MAP_SHARED page, so the lines come in the
# same order on Linux, where the same .s built with GNU as + ld prints exactly the same. Exit status 0.

	.globl	_start
	.text
_start:
	mov	$9, %eax		# mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0)
	xor	%edi, %edi
	mov	$4096, %esi
	mov	$3, %edx
	mov	$0x21, %r10d
	mov	$-1, %r8
	xor	%r9d, %r9d
	syscall
	mov	%rax, %r15		# r15: the flag page, shared with the child for real (no copy-on-write)
	movq	$0, (%r15)

	movq	$1, page(%rip)		# the page shared before fork: written, so it is anonymous and dirty
	lea	s_before(%rip), %rdi
	mov	page(%rip), %rsi
	call	print_kv

	mov	$57, %eax		# fork()
	syscall
	mov	%rax, %rbx		# rbx: the child's pid (0 in the child)
	test	%rax, %rax
	jz	child

	call	minflt			# parent: write at once, while the child has not run yet
	mov	%rax, %r12
	movq	$2, page(%rip)
	call	minflt
	sub	%r12, %rax
	lea	s_pwrite(%rip), %rdi
	mov	%rax, %rsi
	call	print_kv
	lea	s_psees(%rip), %rdi
	mov	page(%rip), %rsi
	call	print_kv
	movq	$1, (%r15)		# let the child go on

	mov	$61, %eax		# wait4(child, NULL, 0, NULL)
	mov	%rbx, %rdi
	xor	%esi, %esi
	xor	%edx, %edx
	xor	%r10d, %r10d
	syscall
	lea	s_pafter(%rip), %rdi
	mov	page(%rip), %rsi
	call	print_kv
	mov	$60, %eax		# exit(0)
	xor	%edi, %edi
	syscall

child:
1:	cmpq	$0, (%r15)		# wait until the parent has written and printed
	jne	2f
	mov	$24, %eax		# sched_yield()
	syscall
	jmp	1b
2:	lea	s_csees(%rip), %rdi
	mov	page(%rip), %rsi
	call	print_kv
	call	minflt
	mov	%rax, %r12
	movq	$3, page(%rip)
	call	minflt
	sub	%r12, %rax
	lea	s_cwrite(%rip), %rdi
	mov	%rax, %rsi
	call	print_kv
	lea	s_cafter(%rip), %rdi
	mov	page(%rip), %rsi
	call	print_kv
	mov	$60, %eax		# exit(0)
	xor	%edi, %edi
	syscall

# minflt() -> rax: ru_minflt of getrusage(RUSAGE_SELF); called twice, so that a fault in the first call's
# copy to the stack buffer is already counted when the second one reads the counter
minflt:
	sub	$152, %rsp
	mov	$98, %eax
	xor	%edi, %edi
	mov	%rsp, %rsi
	syscall
	mov	$98, %eax
	xor	%edi, %edi
	mov	%rsp, %rsi
	syscall
	mov	64(%rsp), %rax
	add	$152, %rsp
	ret

# print_kv(rdi = label, rsi = unsigned number): prints "label N\n"
print_kv:
	push	%rsi
	call	print_str
	pop	%rdi
	call	print_dec
	lea	s_nl(%rip), %rdi
	jmp	print_str

# print_str(rdi = NUL-terminated string)
print_str:
	mov	%rdi, %rsi
	xor	%edx, %edx
1:	cmpb	$0, (%rsi,%rdx)
	je	2f
	inc	%rdx
	jmp	1b
2:	mov	$1, %eax
	mov	$1, %edi
	syscall
	ret

# print_dec(rdi = unsigned number)
print_dec:
	sub	$40, %rsp
	lea	32(%rsp), %rsi
	mov	%rdi, %rax
	mov	$10, %ecx
1:	xor	%edx, %edx
	div	%rcx
	add	$'0', %dl
	dec	%rsi
	mov	%dl, (%rsi)
	test	%rax, %rax
	jnz	1b
	lea	32(%rsp), %rdx
	sub	%rsi, %rdx
	mov	$1, %eax
	mov	$1, %edi
	syscall
	add	$40, %rsp
	ret

	.section .rodata
s_before:	.asciz	"parent: before fork the page holds "
s_pwrite:	.asciz	"parent: wrote 2 after fork, page faults: "
s_psees:	.asciz	"parent: now sees "
s_csees:	.asciz	"child:  sees "
s_cwrite:	.asciz	"child:  wrote 3, page faults: "
s_cafter:	.asciz	"child:  now sees "
s_pafter:	.asciz	"parent: after the child exited, sees "
s_nl:		.asciz	"\n"

	.data
	.p2align 12
page:	.quad	0

	.section .note.GNU-stack,"",@progbits
