# proc-three-generations: a page written before any fork, then written by a grandchild, a child and the
# original process, in that order (each waits for its child first).
# What to look for: every generation sees before=100 (nobody's write leaks into another process) and takes
# exactly one fault for its write (faults=1): the grandchild and the child copy (the page is still mapped
# by an older generation), the original process reuses it (it is the last one left), but the PTE was
# write-protected at fork either way. Each prints after its own write: after=102, 101 and 200.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $4096, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	movq $100, (%rbx)
	call lib_fork
	test %rax, %rax
	jnz gen0
	call lib_fork
	test %rax, %rax
	jnz gen1
	lea s_gen2(%rip), %rdi
	mov $102, %esi
	call write_and_report
	xor %edi, %edi
	call lib_exit
gen1:
	mov %rax, %rdi
	call lib_wait4
	lea s_gen1(%rip), %rdi
	mov $101, %esi
	call write_and_report
	xor %edi, %edi
	call lib_exit
gen0:
	mov %rax, %rdi
	call lib_wait4
	lea s_gen0(%rip), %rdi
	mov $200, %esi
	call write_and_report
	xor %edi, %edi
	call lib_exit

# write_and_report(rdi=prefix, rsi=value): print "prefix before=.. faults=.. after=.." for a write of value
# to the page at %rbx
write_and_report:
	mov %rsi, %r15
	call lib_print_str
	mov (%rbx), %r13
	call lib_minflt
	mov %rax, %r12
	mov %r15, (%rbx)
	call lib_minflt
	sub %r12, %rax
	mov %rax, %r12
	lea s_before(%rip), %rdi
	call lib_print_str
	mov %r13, %rdi
	call lib_print_dec
	lea s_faults(%rip), %rdi
	call lib_print_str
	mov %r12, %rdi
	call lib_print_dec
	lea s_after(%rip), %rdi
	call lib_print_str
	mov (%rbx), %rdi
	call lib_print_dec
	call lib_print_nl
	ret

	.section .rodata
s_gen0:	.asciz "gen0:"
s_gen1:	.asciz "gen1:"
s_gen2:	.asciz "gen2:"
s_before:	.asciz " before="
s_faults:	.asciz " faults="
s_after:	.asciz " after="
