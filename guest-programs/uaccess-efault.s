# uaccess-efault.s: a bad pointer handed to a syscall is an error code, never a crash of the kernel.
# Run it with the fault and syscall traces:
#     faultline run guest-programs/uaccess-efault.s --trace faults,syscalls
# What to watch:
#   case 1  write(1, 0x10000, 8): 0x10000 is a user address, so access_ok lets it through; the kernel's
#           copy_from_user (rep movsb in kernel/uaccess.s) then faults in kernel mode: error 0x0
#           (supervisor read, not present). do_user_addr_fault finds no VMA -> bad_area -> no_context ->
#           fixup_exception finds that instruction in __ex_table and resumes at its fixup, and the
#           syscall returns -EFAULT (-14). No signal: the program goes on.
#   case 2  write(1, 0xffff888000000000, 8): a kernel address; access_ok refuses it before any access,
#           so -EFAULT comes back without a single fault.
#   case 3  write(1, msg, 8) where msg is in .data and no one has touched its page yet: the kernel's own
#           read faults it in from the executable's page cache (do_read_fault, supervisor read), the copy
#           resumes and the 8 bytes are written.
# The same .s built with GNU as + ld prints the same lines on Linux; exit status 0.

	.globl	_start
	.text
_start:
	mov	$1, %eax		# case 1: an unmapped user address
	mov	$1, %edi
	mov	$0x10000, %esi
	mov	$8, %edx
	syscall
	lea	s_case1(%rip), %rdi
	call	report

	mov	$1, %eax		# case 2: a kernel address
	mov	$1, %edi
	movabs	$0xffff888000000000, %rsi
	mov	$8, %edx
	syscall
	lea	s_case2(%rip), %rdi
	call	report

	mov	$1, %eax		# case 3: a valid page, not yet mapped
	mov	$1, %edi
	lea	msg(%rip), %rsi
	mov	$8, %edx
	syscall
	lea	s_case3(%rip), %rdi
	call	report

	mov	$60, %eax
	xor	%edi, %edi
	syscall

# report(rdi = label, rax = syscall result): "label -EFAULT" or "label returned N"
report:
	push	%rax
	call	print_str
	pop	%rax
	cmp	$-14, %rax
	jne	1f
	lea	s_efault(%rip), %rdi
	jmp	print_str
1:	push	%rax
	lea	s_returned(%rip), %rdi
	call	print_str
	pop	%rdi
	add	$'0', %dil		# results here are single digits
	sub	$8, %rsp
	mov	%dil, (%rsp)
	movb	$10, 1(%rsp)
	mov	$1, %eax
	mov	$1, %edi
	mov	%rsp, %rsi
	mov	$2, %edx
	syscall
	add	$8, %rsp
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

	.section .rodata
s_case1:	.asciz	"case 1: write(1, 0x10000, 8) = "
s_case2:	.asciz	"case 2: write(1, 0xffff888000000000, 8) = "
s_case3:	.asciz	"\ncase 3: write(1, msg, 8) = "
s_efault:	.asciz	"-EFAULT\n"
s_returned:	.asciz	"returned "

	.data
	.p2align 12			# msg starts a page of its own, untouched until the kernel reads it
msg:	.ascii	"message!"

	.section .note.GNU-stack,"",@progbits
