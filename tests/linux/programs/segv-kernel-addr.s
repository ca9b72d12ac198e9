# segv-kernel-addr: user-mode read and write of a kernel address (0xffffffff81000000, kernel text).
# What to look for: SIGSEGV, si_code SEGV_MAPERR (1) (fault_in_kernel_space -> do_kern_addr_fault ->
# bad_area_nosemaphore), si_addr = CR2 = 0xffffffff81000000. REG_ERR is 0x5 for the read and 0x7 for the
# write: Linux ORs in X86_PF_PROT for every user access to a kernel address ("pretend that user-mode accesses
# to kernel addresses are always protection faults", so the page-table layout of the kernel does not leak).
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	movabs $0xffffffff81000000, %rbx
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	mov (%rbx), %rax
1:	xor %edi, %edi
	xor %esi, %esi
	call lib_report_fault
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	lea 2f(%rip), %rax
	mov %rax, lib_fault_at(%rip)
2:	movb $1, (%rbx)
1:	xor %edi, %edi
	xor %esi, %esi
	call lib_report_fault
	xor %edi, %edi
	call lib_exit
