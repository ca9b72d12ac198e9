# map-fixed-over: MAP_FIXED over the middle of an existing mapping replaces those pages.
# A 4-page anonymous mapping is filled with 0xa; then mmap(base + 1 page, 2 pages, MAP_FIXED|MAP_PRIVATE|
# MAP_ANONYMOUS) maps fresh memory over pages 1 and 2 (the old VMA is split around the new one).
# What to look for: fixed=map+0x1000 (MAP_FIXED returns exactly the address asked for); the pages read
# 0xa, 0x0, 0x0, 0xa; read_faults=2: only the two new pages fault (zero page), pages 0 and 3 kept their PTEs.
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	mov $16384, %edi
	mov $3, %esi
	call lib_mmap_anon
	mov %rax, %rbx
	mov %rbx, %rdi
	mov $4, %esi
	mov $0xa, %edx
	call lib_write_pages
	lea 4096(%rbx), %rdi
	mov $8192, %esi
	mov $3, %edx
	mov $0x32, %ecx
	call lib_mmap
	lea s_fixed(%rip), %rdi
	mov %rax, %rsi
	mov %rbx, %rdx
	lea s_map(%rip), %rcx
	call lib_print_kv_rel
	call lib_minflt
	mov %rax, %r12
	mov (%rbx), %r8
	mov 4096(%rbx), %r9
	mov 8192(%rbx), %r10
	mov 12288(%rbx), %r11
	call lib_minflt
	sub %r12, %rax
	mov %rax, %r12
	lea s_p0(%rip), %rdi
	mov %r8, %rsi
	call lib_print_kv_hex
	lea s_p1(%rip), %rdi
	mov %r9, %rsi
	call lib_print_kv_hex
	lea s_p2(%rip), %rdi
	mov %r10, %rsi
	call lib_print_kv_hex
	lea s_p3(%rip), %rdi
	mov %r11, %rsi
	call lib_print_kv_hex
	lea s_faults(%rip), %rdi
	mov %r12, %rsi
	call lib_print_kv_dec
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_fixed:	.asciz "fixed"
s_map:	.asciz "map"
s_p0:	.asciz "page0"
s_p1:	.asciz "page1"
s_p2:	.asciz "page2"
s_p3:	.asciz "page3"
s_faults:	.asciz "read_faults"
