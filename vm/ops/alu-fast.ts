// Hand-specialised closures for the hottest ALU forms: add sub cmp and or xor test on 32/64-bit
// registers with a register or immediate source. Each closure does its one operation inline and
// records only the lazy-flag fields its kind needs (vm/flags.ts), with no switch at run time.
// The general path (alu.ts) computes the same values; the differential test covers both.

import type { Cpu } from '../cpu.js';
import { K_ADD, K_LOGIC, K_SUB } from '../flags.js';
import type { Op } from './common.js';
import { ADD, AND, CMP, OR, SUB, TEST, XOR } from './alu.js';

/** A closure for `op` on register index di (2*reg) with source register si, or immediate lo/hi when si < 0. */
export function fastAlu(cpu: Cpu, op: number, size: number, di: number, si: number, ilo: number, ihi: number): Op | null {
  const r = cpu.regs;
  const imm = si < 0;
  if (size === 4) {
    switch (op) {
      case ADD: return imm
        ? () => { const a = r[di], res = (a + ilo) | 0; cpu.fk = K_ADD; cpu.fs = 4; cpu.fa = a; cpu.fb = ilo; cpu.fr = res; r[di] = res; r[di + 1] = 0; }
        : () => { const a = r[di], b = r[si], res = (a + b) | 0; cpu.fk = K_ADD; cpu.fs = 4; cpu.fa = a; cpu.fb = b; cpu.fr = res; r[di] = res; r[di + 1] = 0; };
      case SUB: return imm
        ? () => { const a = r[di], res = (a - ilo) | 0; cpu.fk = K_SUB; cpu.fs = 4; cpu.fa = a; cpu.fb = ilo; cpu.fr = res; r[di] = res; r[di + 1] = 0; }
        : () => { const a = r[di], b = r[si], res = (a - b) | 0; cpu.fk = K_SUB; cpu.fs = 4; cpu.fa = a; cpu.fb = b; cpu.fr = res; r[di] = res; r[di + 1] = 0; };
      case CMP: return imm
        ? () => { const a = r[di]; cpu.fk = K_SUB; cpu.fs = 4; cpu.fa = a; cpu.fb = ilo; cpu.fr = (a - ilo) | 0; }
        : () => { const a = r[di], b = r[si]; cpu.fk = K_SUB; cpu.fs = 4; cpu.fa = a; cpu.fb = b; cpu.fr = (a - b) | 0; };
      case AND: return imm
        ? () => { const res = r[di] & ilo; cpu.fk = K_LOGIC; cpu.fs = 4; cpu.fr = res; r[di] = res; r[di + 1] = 0; }
        : () => { const res = r[di] & r[si]; cpu.fk = K_LOGIC; cpu.fs = 4; cpu.fr = res; r[di] = res; r[di + 1] = 0; };
      case OR: return imm
        ? () => { const res = r[di] | ilo; cpu.fk = K_LOGIC; cpu.fs = 4; cpu.fr = res; r[di] = res; r[di + 1] = 0; }
        : () => { const res = r[di] | r[si]; cpu.fk = K_LOGIC; cpu.fs = 4; cpu.fr = res; r[di] = res; r[di + 1] = 0; };
      case XOR: return imm
        ? () => { const res = r[di] ^ ilo; cpu.fk = K_LOGIC; cpu.fs = 4; cpu.fr = res; r[di] = res; r[di + 1] = 0; }
        : () => { const res = r[di] ^ r[si]; cpu.fk = K_LOGIC; cpu.fs = 4; cpu.fr = res; r[di] = res; r[di + 1] = 0; };
      case TEST: return imm
        ? () => { cpu.fk = K_LOGIC; cpu.fs = 4; cpu.fr = r[di] & ilo; }
        : () => { cpu.fk = K_LOGIC; cpu.fs = 4; cpu.fr = r[di] & r[si]; };
    }
    return null;
  }
  switch (op) {
    case ADD: return imm
      ? () => {
        const a = r[di], aH = r[di + 1], res = (a + ilo) | 0, rH = (aH + ihi + (res >>> 0 < a >>> 0 ? 1 : 0)) | 0;
        cpu.fk = K_ADD; cpu.fs = 8; cpu.fa = a; cpu.faH = aH; cpu.fb = ilo; cpu.fbH = ihi; cpu.fr = res; cpu.frH = rH;
        r[di] = res; r[di + 1] = rH;
      }
      : () => {
        const a = r[di], aH = r[di + 1], b = r[si], bH = r[si + 1], res = (a + b) | 0, rH = (aH + bH + (res >>> 0 < a >>> 0 ? 1 : 0)) | 0;
        cpu.fk = K_ADD; cpu.fs = 8; cpu.fa = a; cpu.faH = aH; cpu.fb = b; cpu.fbH = bH; cpu.fr = res; cpu.frH = rH;
        r[di] = res; r[di + 1] = rH;
      };
    case SUB: case CMP: {
      const write = op === SUB;
      return imm
        ? () => {
          const a = r[di], aH = r[di + 1], res = (a - ilo) | 0, rH = (aH - ihi - (a >>> 0 < ilo >>> 0 ? 1 : 0)) | 0;
          cpu.fk = K_SUB; cpu.fs = 8; cpu.fa = a; cpu.faH = aH; cpu.fb = ilo; cpu.fbH = ihi; cpu.fr = res; cpu.frH = rH;
          if (write) { r[di] = res; r[di + 1] = rH; }
        }
        : () => {
          const a = r[di], aH = r[di + 1], b = r[si], bH = r[si + 1], res = (a - b) | 0, rH = (aH - bH - (a >>> 0 < b >>> 0 ? 1 : 0)) | 0;
          cpu.fk = K_SUB; cpu.fs = 8; cpu.fa = a; cpu.faH = aH; cpu.fb = b; cpu.fbH = bH; cpu.fr = res; cpu.frH = rH;
          if (write) { r[di] = res; r[di + 1] = rH; }
        };
    }
    case AND: return imm
      ? () => { const res = r[di] & ilo, rH = r[di + 1] & ihi; cpu.fk = K_LOGIC; cpu.fs = 8; cpu.fr = res; cpu.frH = rH; r[di] = res; r[di + 1] = rH; }
      : () => { const res = r[di] & r[si], rH = r[di + 1] & r[si + 1]; cpu.fk = K_LOGIC; cpu.fs = 8; cpu.fr = res; cpu.frH = rH; r[di] = res; r[di + 1] = rH; };
    case OR: return imm
      ? () => { const res = r[di] | ilo, rH = r[di + 1] | ihi; cpu.fk = K_LOGIC; cpu.fs = 8; cpu.fr = res; cpu.frH = rH; r[di] = res; r[di + 1] = rH; }
      : () => { const res = r[di] | r[si], rH = r[di + 1] | r[si + 1]; cpu.fk = K_LOGIC; cpu.fs = 8; cpu.fr = res; cpu.frH = rH; r[di] = res; r[di + 1] = rH; };
    case XOR: return imm
      ? () => { const res = r[di] ^ ilo, rH = r[di + 1] ^ ihi; cpu.fk = K_LOGIC; cpu.fs = 8; cpu.fr = res; cpu.frH = rH; r[di] = res; r[di + 1] = rH; }
      : () => { const res = r[di] ^ r[si], rH = r[di + 1] ^ r[si + 1]; cpu.fk = K_LOGIC; cpu.fs = 8; cpu.fr = res; cpu.frH = rH; r[di] = res; r[di + 1] = rH; };
    case TEST: return imm
      ? () => { cpu.fk = K_LOGIC; cpu.fs = 8; cpu.fr = r[di] & ilo; cpu.frH = r[di + 1] & ihi; }
      : () => { cpu.fk = K_LOGIC; cpu.fs = 8; cpu.fr = r[di] & r[si]; cpu.frH = r[di + 1] & r[si + 1]; };
  }
  return null;
}
