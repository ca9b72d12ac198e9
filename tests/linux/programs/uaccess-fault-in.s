# uaccess-fault-in: system calls given valid pointers to pages that are mapped but not yet present.
# The kernel's copy_from_user / copy_to_user take a kernel-mode #PF on the user address; do_user_addr_fault
# finds the VMA and handle_mm_fault pages it in, exactly as for a user access, and the copy resumes. The fault
# is counted in the process's ru_minflt.
# What to look for:
#   the line "text from an untouched .data page" is printed by write() straight from a never-touched page of
#   .data: write_faults=1 (do_read_fault, the page cache page of the executable is mapped read-only)
#   read=4, read_faults=1: read(0) into a never-touched anonymous page (a write fault: do_anonymous_page
#   allocates the page), then data=0123 (the harness feeds "0123456789\n" on stdin)
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $4096, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	call lib_minflt
	mov %rax, %r12
	mov $1, %edi
	lea dtext(%rip), %rsi
	mov $dtext_len, %edx
	mov $1, %eax
	syscall
	mov %rax, %r13
	call lib_minflt
	sub %r12, %rax
	mov %rax, %r12
	lea s_write(%rip), %rdi
	mov %r13, %rsi
	call lib_print_kv_dec
	lea s_wfaults(%rip), %rdi
	mov %r12, %rsi
	call lib_print_kv_dec

	call lib_minflt
	mov %rax, %r12
	xor %edi, %edi
	mov %rbx, %rsi
	mov $4, %edx
	xor %eax, %eax
	syscall
	mov %rax, %r13
	call lib_minflt
	sub %r12, %rax
	mov %rax, %r12
	lea s_read(%rip), %rdi
	mov %r13, %rsi
	call lib_print_kv_dec
	lea s_rfaults(%rip), %rdi
	mov %r12, %rsi
	call lib_print_kv_dec
	lea s_data(%rip), %rdi
	call lib_print_str
	movb $10, 4(%rbx)
	mov %rbx, %rdi
	call lib_print_str
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_write:	.asciz "write"
s_wfaults:	.asciz "write_faults"
s_read:	.asciz "read"
s_rfaults:	.asciz "read_faults"
s_data:	.asciz "data="

	.data
	.p2align 16
dtext:	.ascii "text from an untouched .data page\n"
	.equ dtext_len, . - dtext
	.p2align 16
