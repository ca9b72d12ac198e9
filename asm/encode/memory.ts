// ModRM.mod/rm, SIB and displacement for a memory operand, chosen the way GNU as chooses them.

import type { Operand } from '../types.js';
import type { Reg } from '../registers.js';
import { fitsS8, fitsS32 } from './operands.js';

type Mem = Extract<Operand, { k: 'mem' }>;

/** The pieces of one encoded memory operand. Reused between calls: read it right away. */
export interface MemEnc {
  mod: number;
  rm: number;
  sib: number; // -1: no SIB byte
  dispSize: 0 | 1 | 4;
  dispVal: bigint; // when dispFix is false
  dispFix: boolean; // the displacement waits for a fixup
  pcrel: boolean;
  rexX: number; // 0 or 1
  rexB: number;
  addr32: boolean;
  seg: number; // segment override prefix byte, 0 for none
}

const out: MemEnc = {
  mod: 0, rm: 0, sib: -1, dispSize: 0, dispVal: 0n, dispFix: false, pcrel: false,
  rexX: 0, rexB: 0, addr32: false, seg: 0,
};

const SEG_PREFIX = [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]; // es cs ss ds fs gs
const SCALE_BITS = { 1: 0, 2: 1, 4: 2, 8: 3 } as const;

function hex(v: bigint): string {
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

/** `(%rax,%rsp)` as GNU as quotes a bad base/index pair. */
function baseIndexText(m: Mem): string {
  const parts = [m.base ? `%${m.base.name}` : ''];
  if (m.index) parts.push(`%${m.index.name}`);
  if (m.index && m.scale !== 1) parts.push(String(m.scale));
  return `(${parts.join(',')})`;
}

function regsValid(m: Mem): boolean {
  const b: Reg | null = m.base, x: Reg | null = m.index;
  if (b && !(b.cls === 'gpr' && (b.size === 8 || b.size === 4)) && b.cls !== 'rip') return false;
  if (x && !(x.cls === 'gpr' && (x.size === 8 || x.size === 4) && x.name !== 'rsp' && x.name !== 'esp')) return false;
  if (b && b.cls === 'rip' && x) return false;
  return !(b && x && b.size !== x.size);
}

/**
 * Fill `out` for memory operand m. kv is the known displacement value (null: not known yet).
 * Returns the encoding, or an error message.
 */
export function encodeMem(m: Mem, kv: bigint | null): MemEnc | string {
  if (!regsValid(m)) return `\`${baseIndexText(m)}' is not a valid base/index expression`;
  const b = m.base, x = m.index;
  out.sib = -1;
  out.rexX = x && x.num >= 8 ? 1 : 0;
  out.rexB = b && b.cls === 'gpr' && b.num >= 8 ? 1 : 0;
  out.addr32 = (b !== null && b.size === 4) || (x !== null && x.size === 4);
  out.seg = m.seg ? SEG_PREFIX[m.seg.num] : 0;
  out.pcrel = false;
  const hasDisp = m.disp !== null;
  out.dispFix = hasDisp && kv === null;
  out.dispVal = kv === null ? 0n : BigInt.asIntN(64, kv);
  const v = out.dispVal;

  if (b && b.cls === 'rip') {
    out.mod = 0; out.rm = 5; out.dispSize = 4;
    out.pcrel = out.dispFix;
    return fitsS32(v) ? out : `${hex(v)} out of range of signed 32bit displacement`;
  }
  if (!b) {
    // No base: SIB with base=101 and a disp32, index 100 meaning none.
    out.mod = 0; out.rm = 4; out.dispSize = 4;
    out.sib = x ? (SCALE_BITS[m.scale] << 6) | ((x.num & 7) << 3) | 5 : 0x25;
    return fitsS32(v) || (out.addr32 && v >= 0n && v <= 0xffffffffn) ? out
      : `${hex(v)} out of range of signed 32bit displacement`;
  }
  const low = b.num & 7;
  if (x) out.sib = (SCALE_BITS[m.scale] << 6) | ((x.num & 7) << 3) | low;
  else if (low === 4) out.sib = 0x24; // %rsp/%r12 base can only be said with a SIB
  out.rm = out.sib >= 0 ? 4 : low;
  if (out.dispFix) {
    out.mod = 2; out.dispSize = 4;
  } else if (v === 0n && low !== 5) {
    out.mod = 0; out.dispSize = 0; // a known zero displacement is dropped
  } else if (fitsS8(v)) {
    out.mod = 1; out.dispSize = 1; // includes (%rbp)/(%r13): mod 00 there would mean rip/no base
  } else if (fitsS32(v) || (out.addr32 && v >= 0n && v <= 0xffffffffn)) {
    out.mod = 2; out.dispSize = 4;
  } else {
    return `${hex(v)} out of range of signed 32bit displacement`;
  }
  return out;
}
