// movs stos lods scas cmps, with or without rep/repe/repne. A rep instruction is interruptible as on
// hardware: each element commits RSI/RDI/RCX as it completes, so a fault leaves the progress made and RIP
// at the instruction; a long one yields after a chunk (RIP left at the instruction) so the run loop keeps
// control. With 0x67 the instruction uses ESI, EDI and ECX (written as 32-bit registers).

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { F_DF, getZF } from '../flags.js';
import { CMP, alu } from './alu.js';
import { Op, load, setReg, store } from './common.js';

const RCX = 1, RSI = 6, RDI = 7;
/** Elements per execution of a rep instruction before it yields to the run loop. */
const CHUNK = 65536;

function step64(r: Int32Array, reg: number, delta: number): void {
  const lo = r[2 * reg];
  const n = (lo + delta) | 0;
  r[2 * reg + 1] = (r[2 * reg + 1] + (delta > 0 ? (n >>> 0 < lo >>> 0 ? 1 : 0) : n >>> 0 > lo >>> 0 ? -1 : 0)) | 0;
  r[2 * reg] = n;
}

function step32(r: Int32Array, reg: number, delta: number): void {
  r[2 * reg] = (r[2 * reg] + delta) | 0;
  r[2 * reg + 1] = 0;
}

export function compileString(cpu: Cpu, d: Decoded): Op {
  const size = d.opsize;
  const kind = d.mnemonic;
  const r = cpu.regs;
  const a32 = d.addrsize === 4;
  const step = a32 ? step32 : step64;
  const hiOf = (reg: number): number => (a32 ? 0 : r[2 * reg + 1]);
  const reads = kind === 'movs' || kind === 'lods' || kind === 'cmps';
  const writesDi = kind === 'movs' || kind === 'stos';
  const usesDi = kind !== 'lods';
  const one = (): void => {
    const delta = cpu.rflags & F_DF ? -size : size;
    let v = r[0], vH = r[1];
    if (reads) {
      v = load(cpu, r[2 * RSI], hiOf(RSI), size);
      vH = cpu.vH;
    }
    if (writesDi) store(cpu, r[2 * RDI], hiOf(RDI), size, v, vH);
    else if (kind === 'lods') setReg(r, 0, size, v, vH);
    else {
      // scas: accumulator - [rdi]; cmps: [rsi] - [rdi]
      const w = load(cpu, r[2 * RDI], hiOf(RDI), size), wH = cpu.vH;
      if (kind === 'scas') alu(cpu, CMP, size, r[0], r[1], w, wH);
      else alu(cpu, CMP, size, v, vH, w, wH);
    }
    if (reads) step(r, RSI, delta);
    if (usesDi) step(r, RDI, delta);
  };
  if (d.rep === 0) return one;
  // f3 on scas/cmps is repe (stop when ZF = 0), f2 repne (stop when ZF = 1); on the others both mean rep.
  const until = kind === 'scas' || kind === 'cmps' ? (d.rep === 0xf3 ? 0 : 1) : -1;
  const selfLo = d.ripLo, selfHi = d.ripHi;
  const countZero = (): boolean => (a32 ? r[2 * RCX] : r[2 * RCX] | r[2 * RCX + 1]) === 0;
  return () => {
    for (let k = 0; k < CHUNK; k++) {
      if (countZero()) return;
      one();
      step(r, RCX, -1);
      if (until >= 0 && getZF(cpu) === until) return;
    }
    if (!countZero()) {
      // Not finished: run it again (it has not retired yet).
      cpu.ripLo = selfLo;
      cpu.ripHi = selfHi;
      cpu.instret--;
    }
  };
}
