// CPU exceptions: what the MMU and the instruction semantics raise, and the CPU delivers through
// its IDT-like interface to whatever kernel is attached.

export const VEC_DE = 0; // divide error
export const VEC_DB = 1;
export const VEC_BP = 3; // int3
export const VEC_UD = 6; // invalid opcode
export const VEC_GP = 13; // general protection (non-canonical address, privileged instruction at CPL 3)
export const VEC_PF = 14; // page fault

// #PF error code bits (Intel SDM vol. 3 §4.7)
export const PF_PROT = 1 << 0; // 0: not present, 1: protection violation
export const PF_WRITE = 1 << 1; // the access was a write
export const PF_USER = 1 << 2; // CPL was 3
export const PF_RSVD = 1 << 3; // a reserved bit was set in a paging entry
export const PF_INSTR = 1 << 4; // instruction fetch (reported only when EFER.NXE=1)
export const PF_PK = 1 << 5; // protection key

/**
 * Thrown by the MMU and by instruction semantics; caught by the CPU's run loop, which rolls the
 * instruction back and delivers the vector. Not an Error: no stack is captured, so raising is cheap.
 * `address` is the faulting linear address for #PF (becomes CR2), as a canonical signed number.
 */
export class CpuException {
  constructor(
    public vector: number,
    public errorCode: number,
    public address: number,
  ) {}
}

/**
 * Not a hardware vector: what the CPU passes to its trap handler after a `syscall` instruction
 * (RCX = next RIP, R11 = RFLAGS, CPL 0 already). Above 255 so it can never clash with the IDT.
 */
export const VEC_SYSCALL = 0x100;
