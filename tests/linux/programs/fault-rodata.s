# fault-rodata: read one quad in each of the 16 pages of a 64 KiB-aligned array in .rodata.
# What to look for: read_all=1, not 16. .rodata is a private file mapping of the executable; a read fault
# there goes do_fault -> do_read_fault, which first tries do_fault_around: it maps, read-only, every page of
# the file already in the page cache inside a window of fault_around_bytes (64 KiB = 16 pages) that starts at
# the faulting address rounded down to 64 KiB (but not before vm_start) and ends at the window's or the VMA's
# end. The read of page 0 maps all 16 pages; the other 15 reads hit present PTEs. read_again=0.
# sum = 16 * 0x0101010101010101 (every byte of the array is 1).
# The array is 64 KiB-aligned and followed by padding to the next 64 KiB, so nothing else in .rodata (these
# strings, the library's) shares a fault-around window with it.
# Linux 6.18 vs 5.10: the program reads only one window on purpose. On 6.18 with large folios in the page
# cache (ext4 here), fault-around maps a whole large folio even past the 16-page window, so a read of page 16
# did not fault natively (20 pages read: 1 fault), where 5.10 takes a second fault (20 pages read: 2 faults).
# Depends on: nothing host-specific
	.text
	.globl _start
_start:
	call lib_minflt
	mov %rax, %r12
	lea big(%rip), %rdi
	mov $16, %esi
	call lib_read_pages
	mov %rax, %r13
	call lib_minflt
	sub %r12, %rax
	lea s_read(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec

	call lib_minflt
	mov %rax, %r12
	lea big(%rip), %rdi
	mov $16, %esi
	call lib_read_pages
	call lib_minflt
	sub %r12, %rax
	lea s_read2(%rip), %rdi
	mov %rax, %rsi
	call lib_print_kv_dec
	lea s_sum(%rip), %rdi
	mov %r13, %rsi
	call lib_print_kv_hex
	xor %edi, %edi
	call lib_exit

	.section .rodata
s_read:	.asciz "read_all"
s_read2:	.asciz "read_again"
s_sum:	.asciz "sum"
	.p2align 16
big:	.fill 16*4096, 1, 1
	.p2align 16
