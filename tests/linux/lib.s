# lib.s -- routines shared by every program in tests/linux/programs.
# The harness appends this file to a program's source before assembling, so a program just calls them; by
# hand, give it after the program: faultline run tests/linux/programs/X.s tests/linux/lib.s
#
# Convention: arguments in %rdi, %rsi, %rdx, %rcx; result (if any) in %rax. Every routine preserves every
# register except %rax and the flags, so a program can keep its own values in any register across calls.
#
#   lib_print_str(rdi=asciz)                     write the string to stdout
#   lib_putc(rdi=char)                           write one byte to stdout
#   lib_print_dec(rdi=value)                     signed decimal
#   lib_print_hex(rdi=value)                     unsigned hex, "0x" then no leading zeros ("0x0" for 0)
#   lib_print_kv_dec(rdi=name, rsi=value)        "name=value\n" (decimal)
#   lib_print_kv_hex(rdi=name, rsi=value)        "name=0x...\n"
#   lib_print_kv_rel(rdi=name, rsi=value, rdx=base, rcx=basename)   "name=basename+0x...\n" (or "-0x...")
#   lib_sigaction(rdi=signo, rsi=handler, rdx=sa_flags) -> rax = rt_sigaction's result (empty sa_mask)
#   lib_install_handler(rdi=signo) -> rax        lib_fault_handler with SA_SIGINFO|SA_RESTORER
#   lib_fault_handler                            records the signal, then resumes at lib_recover (see below)
#   lib_report_fault(rdi=base, rsi=basename)     one line: "signo=.. code=.. addr=.. err=.. trapno=.. cr2=.. rip=at+.."
#   lib_minflt -> rax                            getrusage(RUSAGE_SELF).ru_minflt
#   lib_mmap(rdi=addr, rsi=len, rdx=prot, rcx=flags) -> rax     mmap with fd -1, offset 0
#   lib_mmap_anon(rdi=len, rsi=prot) -> rax     mmap(NULL, len, prot, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
#   lib_read_pages(rdi=addr, rsi=n) -> rax       sum of the quads at addr, addr+4096, ... (n pages, one load each)
#   lib_write_pages(rdi=addr, rsi=n, rdx=value)  store value at addr, addr+4096, ... (n pages, one store each)
#   lib_fork -> rax                              fork(): child pid in the parent, 0 in the child
#   lib_wait4(rdi=pid) -> rax                    wait4(pid, &status, 0, NULL): the status word, or -errno
#   lib_exit(rdi=code)                           exit_group
#
# Recovering from a fault: store the address to resume at in lib_recover and the address of the instruction
# expected to fault in lib_fault_at, then do the faulting access. lib_fault_handler copies si_signo, si_code,
# si_addr, REG_ERR, REG_TRAPNO, REG_CR2 and REG_RIP into lib_si_* and rewrites REG_RIP to lib_recover, which it
# then clears: a second fault with no new recovery point is unexpected, and the handler prints the record and
# exits with status 99 instead of looping. rt_sigreturn restores every other register, so code at the recovery
# label runs with the registers and %rsp the faulting instruction had. lib_report_fault prints "no fault" when
# nothing was recorded, and clears the record and lib_recover after printing, ready for the next access.
#
# Layout of what the kernel hands a SA_SIGINFO handler (Linux x86-64): siginfo: si_signo +0 (int), si_code +8
# (int), si_addr +16; ucontext: uc_mcontext.gregs at +40, so REG_RIP (16) is +168, REG_ERR (19) +192,
# REG_TRAPNO (20) +200, REG_CR2 (22) +216. struct rusage: ru_minflt at +64 (after two struct timeval and
# ru_maxrss, ru_ixrss, ru_idrss, ru_isrss).

	.text

# lib_strlen(rdi=asciz) -> rax = length
lib_strlen:
	mov %rdi, %rax
1:	cmpb $0, (%rax)
	je 2f
	inc %rax
	jmp 1b
2:	sub %rdi, %rax
	ret

# lib_write(rdi=ptr, rsi=len): write(1, ptr, len); rax = the syscall's result
lib_write:
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r11
	mov %rsi, %rdx
	mov %rdi, %rsi
	mov $1, %edi
	mov $1, %eax
	syscall
	pop %r11
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	ret

lib_print_str:
	push %rsi
	call lib_strlen
	mov %rax, %rsi
	call lib_write
	pop %rsi
	ret

lib_putc:
	push %rsi
	push %rdi
	mov %rsp, %rdi
	mov $1, %esi
	call lib_write
	pop %rdi
	pop %rsi
	ret

# The digits are built backwards in a buffer on the stack (the stack page is already resident, so printing
# never adds a page fault of its own to a measurement).
lib_print_dec:
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	sub $32, %rsp
	mov %rdi, %r8
	mov %rdi, %rax
	test %rax, %rax
	jns 1f
	neg %rax
1:	lea 32(%rsp), %rsi
	mov $10, %ecx
2:	xor %edx, %edx
	div %rcx
	add $48, %dl
	dec %rsi
	mov %dl, (%rsi)
	test %rax, %rax
	jnz 2b
	test %r8, %r8
	jns 3f
	dec %rsi
	movb $45, (%rsi)
3:	mov %rsi, %rdi
	lea 32(%rsp), %rsi
	sub %rdi, %rsi
	call lib_write
	add $32, %rsp
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	ret

lib_print_hex:
	push %rdx
	push %rsi
	push %rdi
	sub $32, %rsp
	mov %rdi, %rax
	lea 32(%rsp), %rsi
1:	mov %eax, %edx
	and $15, %edx
	cmp $10, %edx
	jb 2f
	add $39, %edx
2:	add $48, %edx
	dec %rsi
	mov %dl, (%rsi)
	shr $4, %rax
	jnz 1b
	dec %rsi
	movb $120, (%rsi)
	dec %rsi
	movb $48, (%rsi)
	mov %rsi, %rdi
	lea 32(%rsp), %rsi
	sub %rdi, %rsi
	call lib_write
	add $32, %rsp
	pop %rdi
	pop %rsi
	pop %rdx
	ret

# lib_print_name_eq(rdi=name): "name="
lib_print_name_eq:
	push %rdi
	call lib_print_str
	mov $61, %edi
	call lib_putc
	pop %rdi
	ret

lib_print_nl:
	push %rdi
	mov $10, %edi
	call lib_putc
	pop %rdi
	ret

lib_print_kv_dec:
	push %rdi
	call lib_print_name_eq
	mov %rsi, %rdi
	call lib_print_dec
	call lib_print_nl
	pop %rdi
	ret

lib_print_kv_hex:
	push %rdi
	call lib_print_name_eq
	mov %rsi, %rdi
	call lib_print_hex
	call lib_print_nl
	pop %rdi
	ret

lib_print_kv_rel:
	push %rdi
	call lib_print_name_eq
	call lib_print_rel
	call lib_print_nl
	pop %rdi
	ret

# lib_print_rel(rsi=value, rdx=base, rcx=basename): "basename+0x.." or "basename-0x.."; with basename 0,
# the raw value in hex
lib_print_rel:
	push %rdi
	test %rcx, %rcx
	jnz 1f
	mov %rsi, %rdi
	call lib_print_hex
	pop %rdi
	ret
1:	mov %rcx, %rdi
	call lib_print_str
	mov %rsi, %rdi
	sub %rdx, %rdi
	jb 2f
	push %rdi
	mov $43, %edi
	call lib_putc
	pop %rdi
	call lib_print_hex
	pop %rdi
	ret
2:	neg %rdi
	push %rdi
	mov $45, %edi
	call lib_putc
	pop %rdi
	call lib_print_hex
	pop %rdi
	ret

# lib_sigaction(rdi=signo, rsi=handler, rdx=flags): rt_sigaction(signo, &act, NULL, 8) with SA_RESTORER
# added and lib_restorer as the restorer. struct kernel_sigaction: handler +0, flags +8, restorer +16, mask +24.
lib_sigaction:
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r10
	push %r11
	sub $32, %rsp
	mov %rsi, (%rsp)
	or $0x04000000, %rdx
	mov %rdx, 8(%rsp)
	lea lib_restorer(%rip), %rax
	mov %rax, 16(%rsp)
	movq $0, 24(%rsp)
	mov %rsp, %rsi
	xor %edx, %edx
	mov $8, %r10d
	mov $13, %eax
	syscall
	add $32, %rsp
	pop %r11
	pop %r10
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	ret

# The return address the kernel pushes for a handler installed with SA_RESTORER.
lib_restorer:
	mov $15, %eax
	syscall
	hlt

# lib_install_handler(rdi=signo): lib_fault_handler with SA_SIGINFO. It also clears the fault record, which
# faults the record's page in now, and writes to the five stack pages below %rsp, where the kernel will build
# signal frames (their size depends on the CPU's xsave area); so neither the handler's stores nor the signal
# frame ever adds a page fault to a later measurement.
lib_install_handler:
	push %rdx
	push %rsi
	orb $0, -0x1000(%rsp)
	orb $0, -0x2000(%rsp)
	orb $0, -0x3000(%rsp)
	orb $0, -0x4000(%rsp)
	orb $0, -0x5000(%rsp)
	call lib_clear_fault
	lea lib_fault_handler(%rip), %rsi
	mov $4, %edx
	call lib_sigaction
	pop %rsi
	pop %rdx
	ret

lib_clear_fault:
	movq $0, lib_recover(%rip)
	movq $0, lib_si_signo(%rip)
	movq $0, lib_si_code(%rip)
	movq $0, lib_si_addr(%rip)
	movq $0, lib_err(%rip)
	movq $0, lib_trapno(%rip)
	movq $0, lib_cr2(%rip)
	movq $0, lib_rip(%rip)
	ret

# lib_fault_handler(rdi=signo, rsi=siginfo, rdx=ucontext)
lib_fault_handler:
	mov (%rsi), %eax
	mov %rax, lib_si_signo(%rip)
	movslq 8(%rsi), %rax
	mov %rax, lib_si_code(%rip)
	mov 16(%rsi), %rax
	mov %rax, lib_si_addr(%rip)
	mov 192(%rdx), %rax
	mov %rax, lib_err(%rip)
	mov 200(%rdx), %rax
	mov %rax, lib_trapno(%rip)
	mov 216(%rdx), %rax
	mov %rax, lib_cr2(%rip)
	mov 168(%rdx), %rax
	mov %rax, lib_rip(%rip)
	incq lib_nfaults(%rip)
	mov lib_recover(%rip), %rax
	test %rax, %rax
	jz 1f
	mov %rax, 168(%rdx)
	movq $0, lib_recover(%rip)
	ret
1:	lea lib_s_unexpected(%rip), %rdi
	call lib_print_str
	xor %edi, %edi
	xor %esi, %esi
	call lib_report_fault
	mov $99, %edi
	call lib_exit

# lib_report_fault(rdi=base, rsi=basename): si_addr and REG_CR2 are printed relative to base (raw hex when
# basename is 0, and a CR2 of 0 always as 0x0), REG_RIP relative to lib_fault_at.
lib_report_fault:
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	cmpq $0, lib_si_signo(%rip)
	jne 1f
	lea lib_s_nofault(%rip), %rdi
	call lib_print_str
	jmp 2f
1:	mov %rdi, %rdx
	mov %rsi, %rcx
	lea lib_s_signo(%rip), %rdi
	call lib_print_str
	mov lib_si_signo(%rip), %rdi
	call lib_print_dec
	lea lib_s_code(%rip), %rdi
	call lib_print_str
	mov lib_si_code(%rip), %rdi
	call lib_print_dec
	lea lib_s_addr(%rip), %rdi
	call lib_print_str
	mov lib_si_addr(%rip), %rsi
	call lib_print_rel
	lea lib_s_err(%rip), %rdi
	call lib_print_str
	mov lib_err(%rip), %rdi
	call lib_print_hex
	lea lib_s_trapno(%rip), %rdi
	call lib_print_str
	mov lib_trapno(%rip), %rdi
	call lib_print_dec
	lea lib_s_cr2(%rip), %rdi
	call lib_print_str
	mov lib_cr2(%rip), %rsi
	test %rsi, %rsi
	jnz 3f
	xor %ecx, %ecx
3:	call lib_print_rel
	lea lib_s_rip(%rip), %rdi
	call lib_print_str
	mov lib_rip(%rip), %rsi
	mov lib_fault_at(%rip), %rdx
	lea lib_s_at(%rip), %rcx
	call lib_print_rel
	call lib_print_nl
2:	call lib_clear_fault
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	ret

# lib_minflt -> rax = ru_minflt of getrusage(RUSAGE_SELF). The struct lives on the stack. getrusage is called
# twice: if the first call's copy to the buffer faults a page in, that fault is counted by the time the second
# call reads the counter, so two calls at the same stack depth around an operation measure only the operation.
lib_minflt:
	push %rcx
	push %rdi
	push %rsi
	push %r11
	sub $144, %rsp
	xor %edi, %edi
	mov %rsp, %rsi
	mov $98, %eax
	syscall
	xor %edi, %edi
	mov %rsp, %rsi
	mov $98, %eax
	syscall
	mov 64(%rsp), %rax
	add $144, %rsp
	pop %r11
	pop %rsi
	pop %rdi
	pop %rcx
	ret

lib_mmap_anon:
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	mov %rsi, %rdx
	mov %rdi, %rsi
	xor %edi, %edi
	mov $0x22, %ecx
	call lib_mmap
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	ret

lib_mmap:
	push %rcx
	push %r8
	push %r9
	push %r10
	push %r11
	mov %rcx, %r10
	mov $-1, %r8
	xor %r9d, %r9d
	mov $9, %eax
	syscall
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rcx
	ret

lib_read_pages:
	push %rcx
	push %rdi
	xor %eax, %eax
	mov %rsi, %rcx
	test %rcx, %rcx
	jz 2f
1:	add (%rdi), %rax
	add $4096, %rdi
	dec %rcx
	jnz 1b
2:	pop %rdi
	pop %rcx
	ret

lib_write_pages:
	push %rcx
	push %rdi
	mov %rsi, %rcx
	test %rcx, %rcx
	jz 2f
1:	mov %rdx, (%rdi)
	add $4096, %rdi
	dec %rcx
	jnz 1b
2:	pop %rdi
	pop %rcx
	ret

lib_fork:
	push %rcx
	push %r11
	mov $57, %eax
	syscall
	pop %r11
	pop %rcx
	ret

lib_wait4:
	push %rcx
	push %rdx
	push %rsi
	push %r10
	push %r11
	sub $16, %rsp
	movq $0, (%rsp)
	mov %rsp, %rsi
	xor %edx, %edx
	xor %r10d, %r10d
	mov $61, %eax
	syscall
	test %rax, %rax
	js 1f
	mov (%rsp), %eax
1:	add $16, %rsp
	pop %r11
	pop %r10
	pop %rsi
	pop %rdx
	pop %rcx
	ret

lib_exit:
	mov $231, %eax
	syscall
	hlt

	.section .rodata
lib_s_unexpected:	.asciz "unexpected signal: "
lib_s_nofault:	.asciz "no fault\n"
lib_s_signo:	.asciz "signo="
lib_s_code:	.asciz " code="
lib_s_addr:	.asciz " addr="
lib_s_err:	.asciz " err="
lib_s_trapno:	.asciz " trapno="
lib_s_cr2:	.asciz " cr2="
lib_s_rip:	.asciz " rip="
lib_s_at:	.asciz "at"

	.bss
	.p2align 3
lib_recover:	.skip 8
lib_fault_at:	.skip 8
lib_nfaults:	.skip 8
lib_si_signo:	.skip 8
lib_si_code:	.skip 8
lib_si_addr:	.skip 8
lib_err:	.skip 8
lib_trapno:	.skip 8
lib_cr2:	.skip 8
lib_rip:	.skip 8
# The last label of .bss (lib.s comes last in every program): brk-grow-shrink compares the break with it.
lib_bss_end:
