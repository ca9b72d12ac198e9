// The fixed part of every generated memory-management fuzz program (see gen.ts): the prologue that reserves
// the arena, and the helper routines the steps call. Register roles, kept for the whole program:
//   %r12 base of the arena (addresses print as base+off), %r13 the initial program break (brk+off),
//   %r14 the arena's top (no range operation reaches above it), %r15 the top-level %rsp (restored after a
//   fault inside executed code).
// Every helper preserves every register except %rax and the flags, like the routines of tests/linux/lib.s.

export const PAGE = 4096;
/** Pages of the arena that fixed mappings and range operations use. */
export const ARENA_PAGES = 192;
/**
 * PROT_NONE pages kept mapped above the arena, so that nothing ever lands between it and the vDSO, and no
 * touch (a region's start, below the arena's top, plus at most 65 pages) reaches past them.
 */
export const WALL_PAGES = 72;
/** Pages below the arena whose mprotect "taint" is tracked one by one (beyond: one flag for all). */
export const TRACK_BELOW = 2048;
/** Regions the steps refer to by number; each starts at base + slot * 32 pages. */
export const SLOTS = 6;

const TRACK_PAGES = TRACK_BELOW + ARENA_PAGES;
const PMD_SIZE = 0x200000;

/**
 * _start's beginning: handlers, brk base, the arena, the slot table. The arena starts on a 2 MiB boundary
 * (the reservation's slack below it is unmapped, above the wall it stays PROT_NONE), so that an address
 * has the same offset in its page table natively and in faultline: fault-around's window (64 KiB aligned,
 * within one page table) depends on it, and the vDSO moves the native mmap area by a few pages.
 */
export function prologue(): string {
  const slots = Array.from({ length: SLOTS }, (_, s) => `\tlea ${s * 32 * PAGE}(%r12), %rax\n\tmov %rax, fz_slots+${8 * s}(%rip)`);
  return `\t.text
\t.globl _start
_start:
\tmov $11, %edi
\tcall lib_install_handler
\tmov $7, %edi
\tcall lib_install_handler
\tlea fz_taint(%rip), %rdi
\tmov $${TRACK_PAGES + 8}, %ecx
\txor %eax, %eax
\trep stosb
\txor %edi, %edi
\tmov $12, %eax
\tsyscall
\tmov %rax, %r13
\txor %edi, %edi
\tmov $${(ARENA_PAGES + WALL_PAGES) * PAGE + PMD_SIZE}, %esi
\txor %edx, %edx
\tmov $0x22, %ecx
\tcall lib_mmap
\tmov %rax, %rbx
\tlea ${PMD_SIZE - 1}(%rax), %r12
\tand $-${PMD_SIZE}, %r12
\tmov %rbx, %rdi
\tmov %r12, %rsi
\tsub %rbx, %rsi
\tjz 1f
\tmov $11, %eax
\tsyscall
1:\tlea ${ARENA_PAGES * PAGE}(%r12), %r14
\tmov %r12, %rdi
\tmov $${ARENA_PAGES * PAGE}, %esi
\tmov $11, %eax
\tsyscall
${slots.join('\n')}
\tmov %rsp, %r15
`;
}

/** The helper routines and their data. */
export function helpers(): string {
  return `
# fz_print_addr(rdi=address): base+off or brk+off when within 1 GiB of either, else raw hex
fz_print_addr:
\tpush %rcx
\tpush %rdx
\tpush %rsi
\tpush %rdi
\tmov %rdi, %rsi
\tmov $0x80000000, %ecx
\tmov %rdi, %rax
\tsub %r12, %rax
\tadd $0x40000000, %rax
\tcmp %rcx, %rax
\tjae 1f
\tmov %r12, %rdx
\tlea fz_s_base(%rip), %rcx
\tjmp 3f
1:\tmov %rdi, %rax
\tsub %r13, %rax
\tadd $0x40000000, %rax
\tcmp %rcx, %rax
\tjae 2f
\tmov %r13, %rdx
\tlea fz_s_brk(%rip), %rcx
\tjmp 3f
2:\txor %ecx, %ecx
3:\tcall lib_print_rel
\tpop %rdi
\tpop %rsi
\tpop %rdx
\tpop %rcx
\tret

# fz_print_ret(rdi=syscall result): -errno and small values in decimal, an address as fz_print_addr; then
# a newline
fz_print_ret:
\tcmp $-4095, %rdi
\tjae 1f
\tcmp $0x10000, %rdi
\tjb 1f
\tcall fz_print_addr
\tjmp 2f
1:\tcall lib_print_dec
2:\tcall lib_print_nl
\tret

# fz_clip(rdi=addr, rsi=len) -> rsi clipped so that [addr, addr+len) stays below %r14; rax=1: skip it
fz_clip:
\txor %eax, %eax
\tpush %rcx
\tlea ${WALL_PAGES * PAGE}(%r14), %rcx
\tcmp %rcx, %rdi
\tjae 1f
\tlea (%rdi,%rsi), %rcx
\tcmp %r14, %rcx
\tjbe 1f
\tcmp %r14, %rdi
\tjae 2f
\tmov %r14, %rsi
\tsub %rdi, %rsi
\tjmp 1f
2:\tmov $1, %eax
1:\tpop %rcx
\tret

# fz_taint_index(rdi=addr) -> rax = index of its page in fz_taint, or -1 when untracked
fz_taint_index:
\tmov %rdi, %rax
\tsub %r12, %rax
\tadd $${TRACK_BELOW * PAGE}, %rax
\tshr $12, %rax
\tcmp $${TRACK_PAGES}, %rax
\tjb 1f
\tmov $-1, %rax
1:\tret

# fz_taint_range(rdi=addr, rsi=len): mprotect added PROT_WRITE there, so the next write's fault count is
# not comparable (Linux 6.x makes an exclusive anonymous page writable at once; 5.10 faults once more)
# (a page count, not an end address: the range may wrap past 2^64 when a slot holds -errno)
fz_taint_range:
\tpush %rdi
\tpush %rsi
\tpush %rcx
\tmov %rdi, %rcx
\tand $4095, %ecx
\tadd %rsi, %rcx
\tadd $4095, %rcx
\tshr $12, %rcx
\tand $-4096, %rdi
1:\ttest %rcx, %rcx
\tjz 3f
\tcall fz_taint_index
\ttest %rax, %rax
\tjns 4f
\tmovb $1, fz_taint(%rip)
\tjmp 2f
4:\tpush %rdi
\tlea fz_taint+8(%rip), %rdi
\tmovb $1, (%rdi,%rax)
\tpop %rdi
2:\tadd $4096, %rdi
\tdec %rcx
\tjmp 1b
3:\tpop %rcx
\tpop %rsi
\tpop %rdi
\tret

# fz_taint_take(rdi=addr) -> rax = 1 when the page is tainted (and clears it); untracked pages count as
# tainted once any mprotect added PROT_WRITE (byte 0 of fz_taint; page bytes start at fz_taint+8)
fz_taint_take:
\tpush %rdi
\tcall fz_taint_index
\ttest %rax, %rax
\tjs 1f
\tlea fz_taint+8(%rip), %rdi
\tadd %rax, %rdi
\tmovzbl (%rdi), %eax
\tmovb $0, (%rdi)
\tpop %rdi
\tret
1:\tmovzbl fz_taint(%rip), %eax
\tpop %rdi
\tret

# fz_report(rdi=value read, rsi=1 for a read): "ok", "ok 0x.." or the signal record; clears the record
fz_report:
\tpush %rdi
\tcmpq $0, lib_si_signo(%rip)
\tjne 2f
\tlea fz_s_ok(%rip), %rdi
\tcall lib_print_str
\tpop %rdi
\ttest %rsi, %rsi
\tjz 1f
\tpush %rdi
\tmov $32, %edi
\tcall lib_putc
\tpop %rdi
\tcall lib_print_hex
1:\tcall lib_clear_fault
\tret
2:\tlea fz_s_sig(%rip), %rdi
\tcall lib_print_str
\tmov lib_si_signo(%rip), %rdi
\tcall lib_print_dec
\tlea fz_s_code(%rip), %rdi
\tcall lib_print_str
\tmov lib_si_code(%rip), %rdi
\tcall lib_print_dec
\tlea fz_s_addr(%rip), %rdi
\tcall lib_print_str
\tmov lib_si_addr(%rip), %rdi
\tcall fz_print_addr
\tlea fz_s_err(%rip), %rdi
\tcall lib_print_str
\tmov lib_err(%rip), %rdi
\tcall lib_print_hex
\tpop %rdi
\tcall lib_clear_fault
\tret

# fz_print_flt(rdi=minflt delta, rsi=1 when not comparable): " flt=N\\n" or " flt=?\\n"
fz_print_flt:
\tpush %rdi
\tlea fz_s_flt(%rip), %rdi
\tcall lib_print_str
\tpop %rdi
\ttest %rsi, %rsi
\tjnz 1f
\tcall lib_print_dec
\tjmp 2f
1:\tpush %rdi
\tmov $63, %edi
\tcall lib_putc
\tpop %rdi
2:\tcall lib_print_nl
\tret

\t.section .rodata
fz_s_base:\t.asciz "base"
fz_s_brk:\t.asciz "brk"
fz_s_ok:\t.asciz "ok"
fz_s_sig:\t.asciz "sig="
fz_s_code:\t.asciz " code="
fz_s_addr:\t.asciz " addr="
fz_s_err:\t.asciz " err="
fz_s_flt:\t.asciz " flt="
fz_s_skip:\t.asciz "skip\\n"

\t.bss
\t.p2align 3
fz_slots:\t.skip ${8 * SLOTS}
fz_taint:\t.skip ${TRACK_PAGES + 8}
`;
}
