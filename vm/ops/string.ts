// movs and stos, with or without rep. A rep instruction is interruptible as on hardware: each element
// commits RSI/RDI/RCX as it completes, so a fault leaves the progress made and RIP at the instruction;
// a long one yields after a chunk (RIP left at the instruction) so the run loop keeps control.

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { F_DF } from '../flags.js';
import { Op, load, store } from './common.js';

const RCX = 1, RSI = 6, RDI = 7;
/** Elements per execution of a rep instruction before it yields to the run loop. */
const CHUNK = 65536;

function step(r: Int32Array, reg: number, delta: number): void {
  const lo = r[2 * reg];
  const n = (lo + delta) | 0;
  r[2 * reg + 1] = (r[2 * reg + 1] + (delta > 0 ? (n >>> 0 < lo >>> 0 ? 1 : 0) : n >>> 0 > lo >>> 0 ? -1 : 0)) | 0;
  r[2 * reg] = n;
}

export function compileString(cpu: Cpu, d: Decoded): Op {
  const size = d.opsize;
  const isMovs = d.mnemonic === 'movs';
  const rep = d.rep !== 0;
  const r = cpu.regs;
  const selfLo = d.ripLo, selfHi = d.ripHi;
  const one = (): void => {
    const delta = cpu.rflags & F_DF ? -size : size;
    let v: number, vH = 0;
    if (isMovs) {
      v = load(cpu, r[2 * RSI], r[2 * RSI + 1], size);
      vH = cpu.vH;
    } else {
      v = r[0];
      vH = r[1];
    }
    store(cpu, r[2 * RDI], r[2 * RDI + 1], size, v, vH);
    if (isMovs) step(r, RSI, delta);
    step(r, RDI, delta);
  };
  if (!rep) return one;
  return () => {
    for (let k = 0; k < CHUNK; k++) {
      if ((r[2 * RCX] | r[2 * RCX + 1]) === 0) return;
      one();
      step(r, RCX, -1);
    }
    if ((r[2 * RCX] | r[2 * RCX + 1]) !== 0) {
      // Not finished: run it again (it has not retired yet).
      cpu.ripLo = selfLo;
      cpu.ripHi = selfHi;
      cpu.instret--;
    }
  };
}
