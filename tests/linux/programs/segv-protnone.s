# segv-protnone: write a value to a page, mprotect it PROT_NONE, read it, then mprotect it PROT_READ again.
# What to look for: mprotect returns 0; the read raises SIGSEGV with si_code SEGV_ACCERR (2) -- the VMA exists
# but has no access -- and REG_ERR 0x4: a PROT_NONE PTE is not present to the hardware (x86 keeps the frame
# with _PAGE_PROTNONE instead of _PAGE_PRESENT), so the error code says not-present although the page exists.
# After PROT_READ the old value is back (value=0xabcd): the page was never freed.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	mov $4096, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	movq $0xabcd, (%rbx)
	mov %rbx, %rdi
	mov $4096, %esi
	xor %edx, %edx
	mov $10, %eax
	syscall
	lea s_mprotect(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	mov 8(%rbx), %rax
1:	mov %rbx, %rdi
	lea s_map(%rip), %rsi
	call lib_report_fault
	mov %rbx, %rdi
	mov $4096, %esi
	mov $1, %edx
	mov $10, %eax
	syscall
	lea s_mprotect(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea s_value(%rip), %rdi
	mov (%rbx), %rsi
	call lib_print_kv_hex
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_map:	.asciz "map"
s_mprotect:	.asciz "mprotect"
s_value:	.asciz "value"
