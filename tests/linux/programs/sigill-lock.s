# sigill-lock: the lock prefix on instructions that may not take it, and 0f b8 without its f3 prefix.
# The SDM allows lock only on the read-modify-write instructions (add adc and btc btr bts cmpxchg dec inc
# neg not or sbb sub xor xadd xchg) with a memory destination; anything else raises #UD (vector 6).
# What to look for: each of the three bad forms gives signo=4, si_code ILL_ILLOPN (2), si_addr and REG_RIP
# at the instruction's first byte (the prefix), REG_TRAPNO 6, REG_ERR 0; the locked forms that are allowed
# (lock addl, lock xadd, lock cmpxchg, lock btsq on memory) run, and their results are printed at the end.
# The bad forms are written as .byte: GNU as refuses to assemble them.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $4, %edi
	call lib_install_handler
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	.byte 0xf0, 0x01, 0xc3		# lock add %eax, %ebx: a register destination
1:	lea 2b(%rip), %rdi
	lea s_at(%rip), %rsi
	call lib_report_fault
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	.byte 0xf0, 0x83, 0x3c, 0x24, 0x00	# lock cmpl $0, (%rsp): cmp only reads
1:	lea 2b(%rip), %rdi
	lea s_at(%rip), %rsi
	call lib_report_fault
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	.byte 0x0f, 0xb8, 0xc1		# popcnt's opcode without f3
1:	lea 2b(%rip), %rdi
	lea s_at(%rip), %rsi
	call lib_report_fault
	# the allowed ones
	lea word(%rip), %rbx
	lock addl $5, (%rbx)
	mov $3, %eax
	lock xadd %eax, (%rbx)
	mov $8, %eax
	mov $100, %ecx
	lock cmpxchg %ecx, (%rbx)
	mov $33, %edx
	lock btsq %rdx, (%rbx)
	lea s_word(%rip), %rdi
	mov (%rbx), %rsi
	call lib_print_kv_hex
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_at:	.asciz "at"
s_word:	.asciz "word"
	.data
word:	.quad 0
