# mm-args-near-2-64: start addresses just below 2^64 (what a program gets from adding an offset to a failed
# mmap's -errno) are checked on their exact low bits: an unaligned start is -EINVAL, and a MAP_FIXED
# address that is itself an -errno comes back unchanged.
# What to look for: mprotect, munmap and madvise of start -4118 (0xffffffffffffefea, not page aligned) give
# -22 (EINVAL) even with length 0; mprotect of the aligned -4096 gives -12 (ENOMEM: no VMA there), madvise
# of it -22 (the range wraps past 2^64); mmap(MAP_FIXED) at -22 and at -17 return -22 and -17, at -4118
# -12 (above TASK_SIZE).
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $-4118, %rdi
	xor %esi, %esi
	mov $1, %edx
	mov $10, %eax
	syscall
	lea s_mprotect0(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	mov $-4118, %rdi
	mov $4096, %esi
	mov $1, %edx
	mov $10, %eax
	syscall
	lea s_mprotect(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	mov $-4118, %rdi
	mov $4096, %esi
	mov $11, %eax
	syscall
	lea s_munmap(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	mov $-4118, %rdi
	xor %esi, %esi
	mov $4, %edx
	mov $28, %eax
	syscall
	lea s_madvise0(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	mov $-4096, %rdi
	mov $4096, %esi
	mov $1, %edx
	mov $10, %eax
	syscall
	lea s_mprotect_al(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	mov $-4096, %rdi
	mov $4096, %esi
	mov $4, %edx
	mov $28, %eax
	syscall
	lea s_madvise_al(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	mov $-22, %rdi
	call fixed_map
	lea s_mmap22(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	mov $-17, %rdi
	call fixed_map
	lea s_mmap17(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	mov $-4118, %rdi
	call fixed_map
	lea s_mmap4118(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	xor %edi, %edi
	call lib_exit

# fixed_map(rdi=addr) -> rax = mmap(addr, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED)
fixed_map:
	mov $4096, %esi
	mov $3, %edx
	mov $0x32, %ecx
	call lib_mmap
	ret

	.section .rodata
s_mprotect0:	.asciz "mprotect(-4118, 0)"
s_mprotect:	.asciz "mprotect(-4118, 4096)"
s_munmap:	.asciz "munmap(-4118, 4096)"
s_madvise0:	.asciz "madvise(-4118, 0)"
s_mprotect_al:	.asciz "mprotect(-4096, 4096)"
s_madvise_al:	.asciz "madvise(-4096, 4096)"
s_mmap22:	.asciz "mmap(-22, MAP_FIXED)"
s_mmap17:	.asciz "mmap(-17, MAP_FIXED)"
s_mmap4118:	.asciz "mmap(-4118, MAP_FIXED)"
