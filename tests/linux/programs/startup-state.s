# startup-state: what the kernel hands a new program at _start (the harness runs it with argv = ["./prog"] and
# an empty environment).
# What to look for: regs_or=0x0 (execve zeroes every general register but %rsp: ELF_PLAT_INIT), rsp_mod_16=0,
# argc=1, argv0=./prog, argv_end=0 (argv[argc] is NULL), envc=0, and in the auxiliary vector (type/value pairs
# after envp's NULL, ended by type 0) AT_PAGESZ (6) = 4096 and AT_ENTRY (9) = _start.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov %rax, %r14
	or %rbx, %r14
	or %rcx, %r14
	or %rdx, %r14
	or %rsi, %r14
	or %rdi, %r14
	or %rbp, %r14
	or %r8, %r14
	or %r9, %r14
	or %r10, %r14
	or %r11, %r14
	or %r12, %r14
	or %r13, %r14
	or %r15, %r14
	mov %rsp, %r15
	lea s_regs(%rip), %rdi
	mov %r14, %rsi
	call lib_print_kv_hex
	lea s_mod(%rip), %rdi
	mov %r15, %rsi
	and $15, %esi
	call lib_print_kv_dec
	lea s_argc(%rip), %rdi
	mov (%r15), %rsi
	call lib_print_kv_dec
	lea s_argv0(%rip), %rdi
	call lib_print_str
	mov 8(%r15), %rdi
	call lib_print_str
	call lib_print_nl
	mov (%r15), %rax
	lea 16(%r15,%rax,8), %rbx
	lea s_argv_end(%rip), %rdi
	mov -8(%rbx), %rsi
	call lib_print_kv_dec
	xor %ecx, %ecx
1:	cmpq $0, (%rbx)
	je 2f
	inc %rcx
	add $8, %rbx
	jmp 1b
2:	lea s_envc(%rip), %rdi
	mov %rcx, %rsi
	call lib_print_kv_dec
	add $8, %rbx
3:	mov (%rbx), %rax
	test %rax, %rax
	jz 6f
	cmp $6, %rax
	jne 4f
	lea s_pagesz(%rip), %rdi
	mov 8(%rbx), %rsi
	call lib_print_kv_dec
4:	cmp $9, %rax
	jne 5f
	lea s_entry(%rip), %rdi
	mov 8(%rbx), %rsi
	lea _start(%rip), %rdx
	lea s_start(%rip), %rcx
	call lib_print_kv_rel
5:	add $16, %rbx
	jmp 3b
6:	xor %edi, %edi
	call lib_exit

	.section .rodata
s_regs:	.asciz "regs_or"
s_mod:	.asciz "rsp_mod_16"
s_argc:	.asciz "argc"
s_argv0:	.asciz "argv0="
s_argv_end:	.asciz "argv_end"
s_envc:	.asciz "envc"
s_pagesz:	.asciz "at_pagesz"
s_entry:	.asciz "at_entry"
s_start:	.asciz "_start"
