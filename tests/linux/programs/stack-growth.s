# stack-growth: touching the stack far below %rsp, within RLIMIT_STACK (8 MiB; the harness sets ulimit -s 8192).
# rsp0 is %rsp at _start; every address is printed relative to it.
# What to look for:
#   near=1         a write 64 KiB below rsp0: inside the stack VMA exec set up (it spans at least 128 KiB),
#                  one ordinary demand fault
#   far16=16       16 pages written at rsp0 - 1 MiB, lowest first: the first write is below vm_start, so
#                  do_user_addr_fault calls expand_stack (VM_GROWSDOWN) and the fault succeeds; 16 faults
#   deep=1         a write 7 MiB below rsp0: still within the 8 MiB limit (5.10 has no check against %rsp,
#                  unlike 4.19's "address + 65536 + 32 * sizeof(long) < sp")
#   big_sub=1      sub $0x300000, %rsp then push: an ordinary fault on an already-expanded stack
#   a write at rsp0 - 8 MiB - 64 KiB: the stack would exceed RLIMIT_STACK, acct_stack_growth refuses,
#                  expand_stack fails -> bad_area: SIGSEGV SEGV_MAPERR (1), REG_ERR 0x6
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov %rsp, %r15
	mov $11, %edi
	call lib_install_handler

	call lib_minflt
	mov %rax, %r12
	movq $1, -0x10000(%r15)
	call lib_minflt
	sub %r12, %rax
	lea s_near(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	call lib_minflt
	mov %rax, %r12
	lea -0x100000(%r15), %rdi
	and $-4096, %rdi
	mov $16, %esi
	mov $2, %edx
	call lib_write_pages
	call lib_minflt
	sub %r12, %rax
	lea s_far16(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	call lib_minflt
	mov %rax, %r12
	movq $3, -0x700000(%r15)
	call lib_minflt
	sub %r12, %rax
	lea s_deep(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	call lib_minflt
	mov %rax, %r12
	mov %rsp, %r13
	sub $0x300000, %rsp
	push $4
	mov %r13, %rsp
	call lib_minflt
	sub %r12, %rax
	lea s_sub(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	lea -0x810000(%r15), %rbx
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	movq $5, (%rbx)
1:	mov %r15, %rdi
	lea s_rsp0(%rip), %rsi
	call lib_report_fault
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_near:	.asciz "near"
s_far16:	.asciz "far16"
s_deep:	.asciz "deep"
s_sub:	.asciz "big_sub"
s_rsp0:	.asciz "rsp0"
