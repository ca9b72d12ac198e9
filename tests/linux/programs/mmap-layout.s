# mmap-layout: where anonymous mmap puts things and which arguments it refuses.
# What to look for:
#   second=first-0x1000, third=second-0x2000: with no address hint, mappings are placed top-down, each
#   directly below the previous one (the mmap base is under the stack; raw addresses are not printed)
#   page_aligned=1: every returned address is a multiple of 4096
#   len4097_second_page=0x1: a 4097-byte mapping is rounded up to 2 pages; the second page is usable. (What
#   lies above it is not tested: natively the vDSO and vvar pages are mapped at the top of the mmap area.)
#   mmap_len0=-22 (EINVAL), mmap_fixed_unaligned=-22, munmap_unaligned=-22, mprotect_unaligned=-22,
#   munmap_len0=-22; munmap of a range with nothing mapped is not an error: munmap_hole=0
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $4097, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %r15
	movq $1, 0x1000(%r15)
	lea s_len4097(%rip), %rdi
	mov 0x1000(%r15), %rsi
	call lib_print_kv_hex

	mov $4096, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	mov $4096, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %r12
	mov $8192, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %r13
	lea s_second(%rip), %rdi
	mov %r12, %rsi
	mov %rbx, %rdx
	lea s_first(%rip), %rcx
	call lib_print_kv_rel
	lea s_third(%rip), %rdi
	mov %r13, %rsi
	mov %r12, %rdx
	lea s_secondn(%rip), %rcx
	call lib_print_kv_rel
	mov %rbx, %rax
	or %r12, %rax
	or %r13, %rax
	or %r15, %rax
	and $4095, %eax
	sete %al
	movzbl %al, %esi
	lea s_aligned(%rip), %rdi
	call lib_print_kv_dec

	xor %edi, %edi
	xor %esi, %esi
	mov $3, %edx
	mov $0x22, %ecx
	call lib_mmap
	lea s_len0(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea 8(%rbx), %rdi
	mov $4096, %esi
	mov $3, %edx
	mov $0x32, %ecx
	call lib_mmap
	lea s_fixed_unaligned(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea 8(%rbx), %rdi
	mov $4096, %esi
	mov $11, %eax
	syscall
	lea s_munmap_unaligned(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea 8(%rbx), %rdi
	mov $4096, %esi
	mov $1, %edx
	mov $10, %eax
	syscall
	lea s_mprotect_unaligned(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	mov %rbx, %rdi
	xor %esi, %esi
	mov $11, %eax
	syscall
	lea s_munmap_len0(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	mov $0x10000000, %edi
	mov $4096, %esi
	mov $11, %eax
	syscall
	lea s_munmap_hole(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_len4097:	.asciz "len4097_second_page"
s_first:	.asciz "first"
s_second:	.asciz "second"
s_secondn:	.asciz "second"
s_third:	.asciz "third"
s_aligned:	.asciz "page_aligned"
s_len0:	.asciz "mmap_len0"
s_fixed_unaligned:	.asciz "mmap_fixed_unaligned"
s_munmap_unaligned:	.asciz "munmap_unaligned"
s_mprotect_unaligned:	.asciz "mprotect_unaligned"
s_munmap_len0:	.asciz "munmap_len0"
s_munmap_hole:	.asciz "munmap_hole"
