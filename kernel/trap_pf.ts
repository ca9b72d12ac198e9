// The #PF error code as the kernel names its bits (Linux 5.10 arch/x86/include/asm/trap_pf.h
// enum x86_pf_error_code; the hardware's own names are vm/exceptions.ts PF_*).

export const X86_PF_PROT = 1 << 0; // 0: not-present page, 1: protection violation
export const X86_PF_WRITE = 1 << 1; // 0: read access, 1: write access
export const X86_PF_USER = 1 << 2; // 0: kernel-mode access, 1: user-mode access
export const X86_PF_RSVD = 1 << 3; // a reserved bit was set in a paging entry
export const X86_PF_INSTR = 1 << 4; // an instruction fetch
export const X86_PF_PK = 1 << 5; // a protection key refused the access

/** X86_TRAP_PF: the vector, as thread.trap_nr records it. */
export const X86_TRAP_PF = 14;
