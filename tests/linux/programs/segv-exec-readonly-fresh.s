# segv-exec-readonly-fresh: jump into a freshly mmap'd PROT_READ anonymous page that was never touched.
# What to look for: the fetch faults TWICE. First fault: not present (REG_ERR would be 0x14); access_error
# allows it (a not-present read/fetch only needs the VMA to be accessible), so handle_mm_fault maps the zero
# page, read-only and NX -- a successful fault, counted: minflt_delta=1. The CPU retries the fetch: now the
# page is present and NX, REG_ERR 0x15, access_error refuses it (present + not a write) -> SEGV_ACCERR (2).
# The signal reports only the second fault. si_addr = CR2 = REG_RIP = the mapping base (addr=map+0x0).
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $11, %edi
	call lib_install_handler
	mov $4096, %edi
	mov $1, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	call lib_minflt
	mov %rax, %r12
	lea 1f(%rip), %rax
	mov %rax, lib_recover(%rip)
	mov %rbx, lib_fault_at(%rip)
	jmp *%rbx
1:	call lib_minflt
	sub %r12, %rax
	mov %rax, %r12
	mov %rbx, %rdi
	lea s_map(%rip), %rsi
	call lib_report_fault
	lea s_delta(%rip), %rdi
	mov %r12, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_map:	.asciz "map"
s_delta:	.asciz "minflt_delta"
