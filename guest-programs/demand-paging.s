# demand-paging.s: memory is mapped when it is first touched, one page fault at a time.
# Run it with the fault trace (this is what `npm start` does):
#     faultline run guest-programs/demand-paging.s --trace faults
# What to watch, step by step (each step prints the minor faults getrusage counted during it; the same
# .s built with GNU as + ld prints the same numbers on Linux 5.10, the kernel faultline follows by default,
# --kernel 5.10; a kernel running without the shared zero page counts the read of page 0 as the page's
# only fault, and 0 for the write after it):
#   (before the first line) the trace shows exec and the first instructions faulting in the text and
#                 rodata from the ELF's page cache (do_read_fault, with fault-around mapping neighbours
#                 too) and the stack pages (anonymous memory)
#   mmap 4 pages  0 faults: mmap only creates a VMA; no page table entry exists yet
#   read page 0   1 fault, not-present read: do_anonymous_page maps the shared zero page read-only
#   write page 0  1 fault, present + write (a protection fault): do_wp_page replaces the zero page with
#                 a fresh zeroed page of its own (no copy needed)
#   write 1..3    3 faults, not-present writes: do_anonymous_page allocates one zeroed page each
#   write again   0 faults: the pages are mapped and writable; the TLB and page tables just work
#   munmap, remap 1 fault: munmap freed the pages (and flushed their TLB entries); the new mapping
#                 starts empty again, so the first read maps the zero page once more
# Exit status 0.

	.globl	_start
	.text
_start:
	movq	$0, -4096(%rsp)		# touch the stack the helpers below use, so they never fault in a step
	call	minflt
	mov	%rax, %r12		# r12: the count at the end of the previous step

	mov	$9, %eax		# mmap(NULL, 4 pages, PROT_READ|PROT_WRITE,
	xor	%edi, %edi
	mov	$4 * 4096, %esi
	mov	$3, %edx
	mov	$0x22, %r10d		#      MAP_PRIVATE|MAP_ANONYMOUS,
	mov	$-1, %r8		#      fd -1, offset 0)
	xor	%r9d, %r9d
	syscall
	mov	%rax, %rbx		# rbx: the new area
	lea	s_mmap(%rip), %rdi
	call	report

	movb	(%rbx), %al		# read page 0
	lea	s_read0(%rip), %rdi
	call	report

	movb	$1, (%rbx)		# write page 0
	lea	s_write0(%rip), %rdi
	call	report

	movb	$1, 4096(%rbx)		# write pages 1, 2, 3
	movb	$1, 8192(%rbx)
	movb	$1, 12288(%rbx)
	lea	s_write13(%rip), %rdi
	call	report

	movb	$2, (%rbx)		# write every page again
	movb	$2, 4096(%rbx)
	movb	$2, 8192(%rbx)
	movb	$2, 12288(%rbx)
	lea	s_again(%rip), %rdi
	call	report

	mov	$11, %eax		# munmap(area, 4 pages)
	mov	%rbx, %rdi
	mov	$4 * 4096, %esi
	syscall
	mov	$9, %eax		# mmap the same size again (the same address comes back)
	xor	%edi, %edi
	mov	$4 * 4096, %esi
	mov	$3, %edx
	mov	$0x22, %r10d
	mov	$-1, %r8
	xor	%r9d, %r9d
	syscall
	movb	(%rax), %al		# read page 0 of the fresh mapping
	lea	s_remap(%rip), %rdi
	call	report

	mov	$60, %eax		# exit(0)
	xor	%edi, %edi
	syscall

# minflt() -> rax: ru_minflt of getrusage(RUSAGE_SELF)
minflt:
	sub	$152, %rsp		# struct rusage (144 bytes), rsp stays 16-byte aligned
	mov	$98, %eax
	xor	%edi, %edi
	mov	%rsp, %rsi
	syscall
	mov	64(%rsp), %rax		# ru_minflt
	add	$152, %rsp
	ret

# report(rdi = label): prints "label: N faults" with N = minflt() - r12, then r12 = minflt()
report:
	push	%rbx
	mov	%rdi, %rbx
	call	minflt
	mov	%rax, %r13
	sub	%r12, %rax
	mov	%rax, %r14		# r14: faults in this step
	mov	%rbx, %rdi
	call	print_str
	mov	%r14, %rdi
	call	print_dec
	lea	s_faults(%rip), %rdi
	call	print_str
	call	minflt			# printing may itself fault (a first touch of its pages): not counted
	mov	%rax, %r12
	pop	%rbx
	ret

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
	lea	32(%rsp), %rsi		# digits are written backwards from here
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
s_mmap:		.asciz	"mmap 4 pages: "
s_read0:	.asciz	"read page 0:  "
s_write0:	.asciz	"write page 0: "
s_write13:	.asciz	"write 1..3:   "
s_again:	.asciz	"write again:  "
s_remap:	.asciz	"munmap, remap: "
s_faults:	.asciz	" faults\n"

	.section .note.GNU-stack,"",@progbits
