// Syscall arguments as the x86-64 ABI passes them (rdi rsi rdx r10 r8 r9) and the handler type.

import type { Machine } from '../machine.js';
import { R10, R8, R9, RDI, RDX, RSI, type pt_regs } from '../ptrace.js';

/** A syscall: reads its arguments from regs, returns the value for %rax (-errno on failure). */
export type syscall_fn = (k: Machine, regs: pt_regs) => number;

const ARG_REGS = [RDI, RSI, RDX, R10, R8, R9] as const;

/** Argument n (0-based) as an unsigned long (exact below 2^53; kernel addresses come out >= 2^63). */
export function argU(regs: pt_regs, n: number): number {
  return regs.getU(ARG_REGS[n]);
}

/** Argument n as a pointer: the canonical signed value (user pointers are below 2^47, others fail access_ok). */
export function argPtr(regs: pt_regs, n: number): number {
  return regs.get(ARG_REGS[n]);
}

/** Argument n as a C int (the low 32 bits, signed). */
export function argInt(regs: pt_regs, n: number): number {
  return regs.cpu.regs[2 * ARG_REGS[n]];
}

/** Argument n as a C unsigned int. */
export function argUInt(regs: pt_regs, n: number): number {
  return regs.cpu.regs[2 * ARG_REGS[n]] >>> 0;
}
