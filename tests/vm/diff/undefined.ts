// Which arithmetic flags an instruction leaves undefined (Intel SDM vol. 2, each instruction's "Flags Affected"),
// and which it reads. faultline models the reference Intel CPU's values for the undefined ones; another
// vendor's CPU computes them differently, so on such a host the differential test follows each case's flag
// state instruction by instruction: a flag last written "undefined" is masked out of the comparison, and a case
// that reads one (a jcc, setcc, cmovcc, adc, sbb, pushf ...) cannot be compared at all.
import type { Decoded } from '../../../vm/decode.js';

export const CF = 1 << 0, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7, OF = 1 << 11;
export const ARITH = CF | PF | AF | ZF | SF | OF;

export interface FlagEffect {
  /** Flags the instruction reads. */
  reads: number;
  /** Flags it writes with a defined value. */
  defines: number;
  /** Flags it leaves undefined. */
  undefines: number;
}

const NONE: FlagEffect = { reads: 0, defines: 0, undefines: 0 };
const ALL_DEFINED: FlagEffect = { reads: 0, defines: ARITH, undefines: 0 };

/** The flags condition code cc (jcc setcc cmovcc) tests. */
export function conditionReads(cc: number): number {
  switch (cc >> 1) {
    case 0: return OF;
    case 1: return CF;
    case 2: return ZF;
    case 3: return CF | ZF;
    case 4: return SF;
    case 5: return PF;
    case 6: return SF | OF;
    default: return ZF | SF | OF;
  }
}

/** The shift or rotate count as the CPU uses it: masked to 5 bits, or 6 for 64-bit operands. */
function maskedCount(d: Decoded, cl: number): number {
  const src = d.operands[1];
  const raw = src === undefined || src.kind === 'one' ? 1 : src.kind === 'imm' ? src.lo : cl;
  return raw & (d.opsize === 8 ? 0x3f : 0x1f);
}

/** SDM SAL/SAR/SHL/SHR, ROL/ROR: count 0 changes nothing; OF only for a count of 1; AF undefined for shifts. */
function shiftEffect(d: Decoded, cl: number): FlagEffect {
  const n = maskedCount(d, cl);
  if (n === 0) return NONE;
  const of = n === 1 ? 0 : OF;
  if (d.mnemonic === 'rol' || d.mnemonic === 'ror') return { reads: 0, defines: CF | (OF & ~of), undefines: of };
  // CF is undefined for SHL and SHR when the count is at least the operand's width (only 8/16-bit can be).
  const cf = (d.mnemonic === 'shl' || d.mnemonic === 'shr') && n >= d.opsize * 8 ? CF : 0;
  const undefines = AF | of | cf;
  return { reads: 0, defines: ARITH & ~undefines, undefines };
}

/** SDM RCL/RCR: a masked count of 0 changes nothing; OF is defined only for a count of 1. */
function rotateCarryEffect(d: Decoded, cl: number): FlagEffect {
  const masked = maskedCount(d, cl);
  if (masked === 0) return NONE;
  return { reads: CF, defines: CF | (masked === 1 ? OF : 0), undefines: masked === 1 ? 0 : OF };
}

/**
 * The flag effect of a decoded instruction; cl is the value of %cl before it (for shifts by %cl), noCount
 * says the count register (%rcx, or %ecx with 0x67) was zero (a rep string instruction then does nothing).
 */
export function flagEffect(d: Decoded, cl: number, noCount = false): FlagEffect {
  switch (d.mnemonic) {
    case 'add': case 'sub': case 'cmp': case 'neg': return ALL_DEFINED;
    case 'adc': case 'sbb': return { reads: CF, defines: ARITH, undefines: 0 };
    case 'inc': case 'dec': return { reads: 0, defines: ARITH & ~CF, undefines: 0 };
    case 'and': case 'or': case 'xor': case 'test': return { reads: 0, defines: ARITH & ~AF, undefines: AF };
    case 'mul': case 'imul': return { reads: 0, defines: CF | OF, undefines: PF | AF | ZF | SF };
    case 'div': case 'idiv': return { reads: 0, defines: 0, undefines: ARITH };
    case 'shl': case 'shr': case 'sar': case 'rol': case 'ror': return shiftEffect(d, cl);
    case 'rcl': case 'rcr': return rotateCarryEffect(d, cl);
    case 'xadd': case 'cmpxchg': return ALL_DEFINED;
    case 'scas': case 'cmps': return d.rep !== 0 && noCount ? NONE : ALL_DEFINED; // rep with a zero count: no compare
    case 'bt': case 'bts': case 'btr': case 'btc': return { reads: 0, defines: CF, undefines: PF | AF | SF | OF };
    case 'bsf': case 'bsr': return { reads: 0, defines: ZF, undefines: CF | PF | AF | SF | OF };
    case 'tzcnt': case 'lzcnt': return { reads: 0, defines: CF | ZF, undefines: PF | AF | SF | OF };
    case 'popcnt': return ALL_DEFINED;
    case 'sahf': return { reads: 0, defines: CF | PF | AF | ZF | SF, undefines: 0 };
    case 'lahf': return { reads: CF | PF | AF | ZF | SF, defines: 0, undefines: 0 };
    case 'jcc': case 'setcc': case 'cmovcc': return { reads: conditionReads(d.cc), defines: 0, undefines: 0 };
    case 'clc': case 'stc': return { reads: 0, defines: CF, undefines: 0 };
    case 'pushf': return { reads: ARITH, defines: 0, undefines: 0 };
    case 'popf': return { reads: 0, defines: ARITH, undefines: 0 };
    default: return NONE; // cmc keeps CF's state, defined or not; mov, lea, push, string moves... touch none
  }
}

/** Flags undefined on entry, after `d`; or -1 when `d` reads an undefined flag (the case is host-dependent). */
export function nextUndefined(undef: number, d: Decoded, cl: number, noCount = false): number {
  const e = flagEffect(d, cl, noCount);
  if (e.reads & undef) return -1;
  return (undef & ~e.defines) | e.undefines;
}
