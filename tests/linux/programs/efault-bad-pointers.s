# efault-bad-pointers: system calls given bad user pointers return -EFAULT (-14) instead of crashing.
# The kernel touches user memory only through uaccess routines; a fault there is a kernel-mode #PF on a user
# address: do_user_addr_fault finds no VMA -> bad_area -> no_context -> fixup_exception jumps to the routine's
# fixup, which makes the syscall return -EFAULT. A kernel address is refused earlier by access_ok. No signal.
# What to look for: every result below is -14; "unmapped" is a page mmap'd then munmap'd. Then:
#   read_ok=4 data=0123: the failed reads consumed nothing from stdin (the harness feeds "0123456789\n").
#   signals=0: the SIGSEGV handler never ran.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	mov $4096, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %r14
	mov %r14, %rdi
	mov $4096, %esi
	mov $11, %eax
	syscall
	movabs $0xffffffff81000000, %r15

	mov $1, %edi
	xor %esi, %esi
	mov $4, %edx
	mov $1, %eax
	syscall
	lea s_w_null(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	mov $1, %edi
	mov %r15, %rsi
	mov $4, %edx
	mov $1, %eax
	syscall
	lea s_w_kernel(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	mov $1, %edi
	mov %r14, %rsi
	mov $4, %edx
	mov $1, %eax
	syscall
	lea s_w_unmapped(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	xor %edi, %edi
	xor %esi, %esi
	mov $4, %edx
	xor %eax, %eax
	syscall
	lea s_r_null(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	mov %r15, %rsi
	mov $4, %edx
	xor %eax, %eax
	syscall
	lea s_r_kernel(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	mov %r14, %rsi
	mov $4, %edx
	xor %eax, %eax
	syscall
	lea s_r_unmapped(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	mov $10, %edi
	mov %r14, %rsi
	xor %edx, %edx
	mov $8, %r10d
	mov $13, %eax
	syscall
	lea s_sa_unmapped(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	mov $10, %edi
	mov %r15, %rsi
	xor %edx, %edx
	mov $8, %r10d
	mov $13, %eax
	syscall
	lea s_sa_kernel(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	xor %edi, %edi
	xor %esi, %esi
	mov $98, %eax
	syscall
	lea s_ru_null(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	mov %r15, %rsi
	mov $98, %eax
	syscall
	lea s_ru_kernel(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	xor %edi, %edi
	lea inbuf(%rip), %rsi
	mov $4, %edx
	xor %eax, %eax
	syscall
	lea s_read_ok(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea s_data(%rip), %rdi
	call lib_print_str
	movb $10, inbuf+4(%rip)
	lea inbuf(%rip), %rdi
	call lib_print_str
	lea s_signals(%rip), %rdi
	mov lib_nfaults(%rip), %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_w_null:	.asciz "write_null"
s_w_kernel:	.asciz "write_kernel"
s_w_unmapped:	.asciz "write_unmapped"
s_r_null:	.asciz "read_null"
s_r_kernel:	.asciz "read_kernel"
s_r_unmapped:	.asciz "read_unmapped"
s_sa_unmapped:	.asciz "rt_sigaction_unmapped"
s_sa_kernel:	.asciz "rt_sigaction_kernel"
s_ru_null:	.asciz "getrusage_null"
s_ru_kernel:	.asciz "getrusage_kernel"
s_read_ok:	.asciz "read_ok"
s_data:	.asciz "data="
s_signals:	.asciz "signals"

	.bss
inbuf:	.skip 16
