# segv-exec-stack: jump to instruction bytes written on the stack (the stack is mapped NX: the ELF's
# PT_GNU_STACK has no X flag).
# What to look for: SIGSEGV, si_code SEGV_ACCERR (2), REG_ERR 0x15 = user (0x4) + instruction fetch (0x10)
# + present (0x1): the page is present (we just wrote the bytes) but NX. si_addr = CR2 = REG_RIP = the
# bytes themselves (addr=target+0x0, rip=at+0x0 with at = target). Stack addresses are never printed raw.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	sub $64, %rsp
	movb $0xc3, 16(%rsp)
	lea 16(%rsp), %rbx
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	mov %rbx, lib_fault_at(%rip)
	jmp *%rbx
1:	mov %rbx, %rdi
	lea s_target(%rip), %rsi
	call lib_report_fault
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_target:	.asciz "target"
