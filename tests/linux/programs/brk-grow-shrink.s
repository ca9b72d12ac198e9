# brk-grow-shrink: the program break.
# What to look for:
#   brk0=bss_end+0x0    brk(0), the initial break, is the end of .bss (bss_end, the last label of the
#                       library's .bss) rounded up to a page: no randomization under setarch -R.
#   grow=brk0+0x4000    brk(brk0 + 4 pages) returns the new break
#   read_new=4, sum=0   reading the 4 new pages: 4 faults mapping the zero page (anonymous memory)
#   write_new=4         writing them: 4 zero-page COW faults
#   shrink=0x2000       brk(brk0 + 2 pages) returns the lowered break; the top 2 pages are unmapped
#   a write to the first removed page: SIGSEGV SEGV_MAPERR (1), REG_ERR 0x6 (addr=brk0+0x2000)
#   below_start=0x2000  brk below the initial break is refused: it returns the current break unchanged
#   kept=0x7            the page below the new break still holds what was written
# Depends on: zero-page (a read fault maps the shared zero page, so the write after it faults again)
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	xor %edi, %edi
	mov $12, %eax
	syscall
	mov %rax, %rbx
	lea lib_bss_end+4095(%rip), %rsi
	and $-4096, %rsi
	lea s_brk0(%rip), %rdi
	mov %rbx, %rdx
	lea s_bss_end(%rip), %rcx
	call lib_print_kv_rel

	lea 0x4000(%rbx), %rdi
	mov $12, %eax
	syscall
	lea s_grow(%rip), %rdi
	mov %rax, %rsi
	mov %rbx, %rdx
	lea s_brk0name(%rip), %rcx
	call lib_print_kv_rel

	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $4, %esi
	call lib_read_pages
	mov %rax, %r13
	call lib_minflt
	sub %r12, %rax
	lea s_read(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea s_sum(%rip), %rdi
	mov %r13, %rsi
	call lib_print_kv_dec
	call lib_minflt
	mov %rax, %r12
	mov %rbx, %rdi
	mov $4, %esi
	mov $7, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_write(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	lea 0x2000(%rbx), %rdi
	mov $12, %eax
	syscall
	lea s_shrink(%rip), %rdi
	mov %rax, %rsi
	mov %rbx, %rdx
	lea s_brk0name(%rip), %rcx
	call lib_print_kv_rel

	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	movq $1, 0x2000(%rbx)
1:	mov %rbx, %rdi
	lea s_brk0name(%rip), %rsi
	call lib_report_fault

	lea -0x1000(%rbx), %rdi
	mov $12, %eax
	syscall
	lea s_below(%rip), %rdi
	mov %rax, %rsi
	mov %rbx, %rdx
	lea s_brk0name(%rip), %rcx
	call lib_print_kv_rel
	lea s_kept(%rip), %rdi
	mov 0x1000(%rbx), %rsi
	call lib_print_kv_hex
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_brk0:	.asciz "brk0"
s_bss_end:	.asciz "bss_end"
s_brk0name:	.asciz "brk0"
s_grow:	.asciz "grow"
s_read:	.asciz "read_new"
s_write:	.asciz "write_new"
s_sum:	.asciz "sum"
s_shrink:	.asciz "shrink"
s_below:	.asciz "below_start"
s_kept:	.asciz "kept"
