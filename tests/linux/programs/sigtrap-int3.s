# sigtrap-int3: execute int3 (#BP, vector 3) with a SIGTRAP handler, then again with none.
# What to look for: signo=5, si_code SI_KERNEL (128) (do_int3_user -> do_trap -> force_sig), si_addr 0,
# REG_TRAPNO 3, REG_ERR 0. #BP is a trap, not a fault: REG_RIP is the instruction AFTER int3 (rip=at+0x1).
# REG_CR2 stays 0 (no page fault has sent a signal in this process). Then, with SIG_DFL restored, a second
# int3 kills the process: signal=5.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $5, %edi
	call lib_install_handler
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	int3
	nop
1:	xor %edi, %edi
	xor %esi, %esi
	call lib_report_fault
	mov $5, %edi
	xor %esi, %esi
	xor %edx, %edx
	call lib_sigaction
	lea s_dfl(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	int3
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_dfl:	.asciz "sigaction_dfl"
