// struct pt_regs (arch/x86/include/asm/ptrace.h): the interrupted context as the kernel sees it.
// faultline's kernel runs in TypeScript, so the "saved" registers are the CPU's own: a pt_regs is a
// view over the CPU that reads and writes them as canonical 64-bit numbers (exact in a double).

import type { Cpu } from '../vm/cpu.js';

const TWO32 = 4294967296;

/** The low int32 half of a canonical address or small 64-bit value held as a number. */
export function lo32(v: number): number {
  return (v - Math.floor(v / TWO32) * TWO32) | 0;
}

/** The high int32 half (sign included) of a number in (-2^53, 2^53). */
export function hi32(v: number): number {
  return Math.floor(v / TWO32) | 0;
}

/** A 64-bit value from its halves, as a signed number: exact for canonical addresses and |v| < 2^53. */
export function from32(lo: number, hi: number): number {
  return (hi | 0) * TWO32 + (lo >>> 0);
}

/** The same halves read as an unsigned 64-bit number (syscall arguments: sizes, lengths); exact below 2^53. */
export function fromU32(lo: number, hi: number): number {
  return (hi >>> 0) * TWO32 + (lo >>> 0);
}

// GPR numbers in the CPU's register file (and in the x86 encoding).
export const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
export const R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;

export class pt_regs {
  /** The syscall number as it entered (regs->orig_ax), -1 outside a syscall. */
  orig_ax = -1;

  constructor(readonly cpu: Cpu) {}

  /** Register n as a signed 64-bit number. */
  get(n: number): number {
    return from32(this.cpu.regs[2 * n], this.cpu.regs[2 * n + 1]);
  }
  /** Register n as an unsigned 64-bit number (exact below 2^53). */
  getU(n: number): number {
    return fromU32(this.cpu.regs[2 * n], this.cpu.regs[2 * n + 1]);
  }
  set(n: number, v: number): void {
    this.cpu.regs[2 * n] = lo32(v);
    this.cpu.regs[2 * n + 1] = hi32(v);
  }

  get ip(): number {
    return from32(this.cpu.ripLo, this.cpu.ripHi);
  }
  set ip(v: number) {
    this.cpu.ripLo = lo32(v);
    this.cpu.ripHi = hi32(v);
  }
  get sp(): number {
    return this.get(RSP);
  }
  set sp(v: number) {
    this.set(RSP, v);
  }
  get ax(): number {
    return this.get(RAX);
  }
  set ax(v: number) {
    this.set(RAX, v);
  }
  get flags(): number {
    return this.cpu.getRflags();
  }
  set flags(v: number) {
    this.cpu.setRflags(v);
  }
}

// arch/x86/include/asm/ptrace.h user_mode: was the interrupted context at CPL 3?
export function user_mode(regs: pt_regs): boolean {
  return regs.cpu.cpl === 3;
}
