# madvise-dontneed: MADV_DONTNEED (4) throws away the pages of a private mapping; the next access faults again.
# What to look for:
#   anonymous, 4 pages written with 1..4 (sum_before=10), madvise=0, then a read: sum_after=0 (zero-fill on
#   demand again) and read_faults=4 (each page maps the zero page), write_faults=4 (zero-page COW)
#   .data (private file mapping) written with 0x44: after madvise the page's anonymous copy is gone and a
#   read shows the file's contents again: data_after=0x33 (the value in the executable), data_faults=1
# Depends on: zero-page (the reads after MADV_DONTNEED map the zero page; the writes after them fault again)
	.text
	.globl _start
_start:
	mov $16384, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	movq $1, (%rbx)
	movq $2, 4096(%rbx)
	movq $3, 8192(%rbx)
	movq $4, 12288(%rbx)
	mov %rbx, %rdi
	mov $4, %esi
	call lib_read_pages
	lea s_before(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	mov %rbx, %rdi
	mov $16384, %esi
	mov $4, %edx
	mov $28, %eax
	syscall
	lea s_madvise(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $4, %esi
	call lib_read_pages
	mov %rax, %r13
	call lib_minflt
	sub %r12, %rax
	mov %rax, %r12
	lea s_after(%rip), %rdi
	mov %r13, %rsi
	call lib_print_kv_dec
	lea s_rfaults(%rip), %rdi
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
	lea s_wfaults(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	movq $0x44, dpage(%rip)
	lea s_dbefore(%rip), %rdi
	mov dpage(%rip), %rsi
	call lib_print_kv_hex
	lea dpage(%rip), %rdi
	mov $4096, %esi
	mov $4, %edx
	mov $28, %eax
	syscall
	lea s_madvise(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	call lib_minflt
	mov %rax, %r12
	mov dpage(%rip), %r13
	call lib_minflt
	sub %r12, %rax
	mov %rax, %r12
	lea s_dafter(%rip), %rdi
	mov %r13, %rsi
	call lib_print_kv_hex
	lea s_dfaults(%rip), %rdi
	mov %r12, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_before:	.asciz "sum_before"
s_madvise:	.asciz "madvise"
s_after:	.asciz "sum_after"
s_rfaults:	.asciz "read_faults"
s_wfaults:	.asciz "write_faults"
s_dbefore:	.asciz "data_before"
s_dafter:	.asciz "data_after"
s_dfaults:	.asciz "data_faults"

	.data
	.p2align 12
dpage:	.quad 0x33
	.p2align 12
