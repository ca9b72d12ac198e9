# stack-guard-gap: the stack may not grow to within stack_guard_gap (256 pages = 1 MiB) of the mapping below it.
# A one-page mapping is placed with MAP_FIXED 4 MiB below the page of %rsp; map_end is its end. Addresses are
# printed relative to map_end.
# What to look for:
#   a write at map_end + 0xff000 (1 MiB - 4 KiB above the mapping): expand_downwards finds
#   address - prev->vm_end < stack_guard_gap and refuses: SIGSEGV SEGV_MAPERR (1), REG_ERR 0x6
#   at_gap=1       a write at map_end + 0x100000 (exactly 1 MiB) is allowed: the stack grows, one fault
#   the write at map_end + 0xff000 still fails
#   mprotect=0, below_gap_prot_none=1: once the mapping is PROT_NONE it no longer counts (the gap is only
#   enforced against an accessible neighbour, vma_is_accessible), so the same write now grows the stack
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	mov %rsp, %rdi
	and $-4096, %rdi
	sub $0x400000, %rdi
	mov $4096, %esi
	mov $3, %edx
	mov $0x32, %ecx
	call lib_mmap
	mov %rax, %r15
	add $4096, %r15

	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	movq $1, 0xff000(%r15)
1:	mov %r15, %rdi
	lea s_map_end(%rip), %rsi
	call lib_report_fault

	call lib_minflt
	mov %rax, %r12
	movq $1, 0x100000(%r15)
	call lib_minflt
	sub %r12, %rax
	lea s_at_gap(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	movq $1, 0xff000(%r15)
1:	mov %r15, %rdi
	lea s_map_end(%rip), %rsi
	call lib_report_fault

	lea -4096(%r15), %rdi
	mov $4096, %esi
	xor %edx, %edx
	mov $10, %eax
	syscall
	lea s_mprotect(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	call lib_minflt
	mov %rax, %r12
	movq $1, 0xff000(%r15)
	call lib_minflt
	sub %r12, %rax
	lea s_below(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_map_end:	.asciz "map_end"
s_at_gap:	.asciz "at_gap"
s_mprotect:	.asciz "mprotect"
s_below:	.asciz "below_gap_prot_none"
