// rcl and rcr: rotates through CF, a (size * 8 + 1)-bit rotation (Intel SDM vol. 2 RCL/RCR/ROL/ROR).
// The count is masked to 5 bits (6 for 64-bit operands), then taken modulo 9 or 17 for 8- and 16-bit
// operands. OF is defined for a count of 1 (MSB xor CF, after the rotation for rcl, before it for rcr);
// for other counts faultline computes it the same way. Rare in compiled code: one bit per step.

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { F_CF, F_OF, getCF, materialize } from '../flags.js';
import { Loc, Op, checkWrite, ea, getReg, readLoc, writeLoc } from './common.js';

export function compileRotateCarry(cpu: Cpu, d: Decoded): Op {
  const left = d.mnemonic === 'rcl';
  const dst = Loc.of(d.operands[0]);
  const cnt = d.operands[1];
  const size = dst.size, bits = size * 8;
  const cmask = size === 8 ? 63 : 31;
  const fixed = cnt.kind === 'imm' ? cnt.lo & cmask : cnt.kind === 'one' ? 1 : -1;
  const msbShift = (bits - 1) & 31;
  const r = cpu.regs;
  return () => {
    let alo = 0, ahi = 0;
    if (dst.kind === 1) {
      alo = ea(cpu, dst.mem!);
      ahi = cpu.eaHi;
      checkWrite(cpu, alo, ahi, size);
    }
    const masked = fixed >= 0 ? fixed : getReg(r, 1, 1) & cmask;
    const n = size === 1 ? masked % 9 : size === 2 ? masked % 17 : masked;
    let lo = readLoc(cpu, dst, alo, ahi), hi = size === 8 ? cpu.vH : 0;
    if (masked === 0) {
      writeLoc(cpu, dst, alo, ahi, lo, cpu.vH); // a 32-bit register still has bits 63:32 cleared
      return;
    }
    let cf = getCF(cpu);
    const msb = (): number => (size === 8 ? hi >>> 31 : (lo >>> msbShift) & 1);
    let of = left ? 0 : msb() ^ cf;
    for (let i = 0; i < n; i++) {
      if (left) {
        const out = msb();
        if (size === 8) { hi = (hi << 1) | (lo >>> 31); lo = (lo << 1) | cf; } else lo = ((lo << 1) | cf) & (size === 4 ? -1 : (1 << bits) - 1);
        cf = out;
      } else {
        const out = lo & 1;
        if (size === 8) { lo = (lo >>> 1) | (hi << 31); hi = (hi >>> 1) | (cf << 31); } else lo = (lo >>> 1) | (cf << msbShift);
        cf = out;
      }
    }
    if (left) of = msb() ^ cf;
    materialize(cpu);
    cpu.rflags = (cpu.rflags & ~(F_CF | F_OF)) | cf | (of << 11);
    writeLoc(cpu, dst, alo, ahi, lo | 0, hi);
  };
}
