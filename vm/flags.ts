// Lazy arithmetic flags. A flag-setting instruction records what it did (kind, size, operands,
// result); CF PF AF ZF SF OF are computed only when something reads them (jcc, setcc, cmov, adc,
// pushf, getRflags). A shift records its result with CF and OF computed (K_SHIFT). Instructions whose
// flags are awkward to describe lazily (rotates, multiplies, divides) compute them at once and record kind
// K_EAGER: the six bits then live in `rflags`.
//
// Values are int32 halves as held in registers; sizes are in bytes (1 2 4 8). For sizes below 8
// only the low `size` bytes of fa/fb/fr matter; for size 8 the *H fields hold bits 63:32.

export const K_ADD = 0; // fr = fa + fb
export const K_ADC1 = 1; // fr = fa + fb + 1 (adc with CF set; adc with CF clear is K_ADD)
export const K_SUB = 2; // fr = fa - fb (also cmp, neg with fa = 0)
export const K_SBB1 = 3; // fr = fa - fb - 1
export const K_LOGIC = 4; // and or xor test: CF = OF = AF = 0
export const K_INC = 5; // ADD with fb = 1, CF kept in fc
export const K_DEC = 6; // SUB with fb = 1, CF kept in fc
export const K_EAGER = 7; // flags are the bits in rflags
export const K_SHIFT = 8; // ZF SF PF from fr, CF and OF as RFLAGS bits in fc, AF clear (shl shr sar)

export const F_CF = 1 << 0;
export const F_PF = 1 << 2;
export const F_AF = 1 << 4;
export const F_ZF = 1 << 6;
export const F_SF = 1 << 7;
export const F_TF = 1 << 8;
export const F_IF = 1 << 9;
export const F_DF = 1 << 10;
export const F_OF = 1 << 11;
export const F_AC = 1 << 18;
export const F_ARITH = F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF;
/** Bit 1 of RFLAGS always reads as 1. */
export const F_FIXED = 1 << 1;

/** The lazy-flag state the CPU carries (the Cpu class implements it). */
export interface FlagState {
  fk: number;
  fs: number;
  fa: number;
  fb: number;
  fr: number;
  faH: number;
  fbH: number;
  frH: number;
  fc: number;
  rflags: number;
}

/** Even parity of the low byte: 1 when the count of set bits is even (PF). */
export const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let b = i, n = 0;
  while (b) { n += b & 1; b >>= 1; }
  PARITY[i] = (n & 1) ^ 1;
}

/** The sign bit (0/1) of a value of `size` bytes; for size 8 pass the high half. */
export function signOf(v: number, vH: number, size: number): number {
  switch (size) {
    case 1: return (v >>> 7) & 1;
    case 2: return (v >>> 15) & 1;
    case 4: return v >>> 31;
    default: return vH >>> 31;
  }
}

function mask(size: number): number {
  return size === 1 ? 0xff : size === 2 ? 0xffff : -1;
}

/** Unsigned a < b (or a <= b when orEqual), for values of `size` bytes. */
function below(a: number, aH: number, b: number, bH: number, size: number, orEqual: boolean): boolean {
  if (size === 8) {
    if (aH !== bH) return aH >>> 0 < bH >>> 0;
  } else {
    const m = mask(size);
    a &= m;
    b &= m;
  }
  return orEqual ? a >>> 0 <= b >>> 0 : a >>> 0 < b >>> 0;
}

export function getCF(s: FlagState): number {
  switch (s.fk) {
    case K_ADD: return below(s.fr, s.frH, s.fa, s.faH, s.fs, false) ? 1 : 0;
    case K_ADC1: return below(s.fr, s.frH, s.fa, s.faH, s.fs, true) ? 1 : 0;
    case K_SUB: return below(s.fa, s.faH, s.fb, s.fbH, s.fs, false) ? 1 : 0;
    case K_SBB1: return below(s.fa, s.faH, s.fb, s.fbH, s.fs, true) ? 1 : 0;
    case K_LOGIC: return 0;
    case K_INC: case K_DEC: return s.fc;
    case K_SHIFT: return s.fc & F_CF;
    default: return s.rflags & F_CF;
  }
}

export function getZF(s: FlagState): number {
  if (s.fk === K_EAGER) return (s.rflags >>> 6) & 1;
  if (s.fs === 8) return (s.fr | s.frH) === 0 ? 1 : 0;
  return (s.fr & mask(s.fs)) === 0 ? 1 : 0;
}

export function getSF(s: FlagState): number {
  if (s.fk === K_EAGER) return (s.rflags >>> 7) & 1;
  return signOf(s.fr, s.frH, s.fs);
}

export function getPF(s: FlagState): number {
  if (s.fk === K_EAGER) return (s.rflags >>> 2) & 1;
  return PARITY[s.fr & 0xff];
}

export function getAF(s: FlagState): number {
  if (s.fk === K_EAGER) return (s.rflags >>> 4) & 1;
  if (s.fk === K_LOGIC || s.fk === K_SHIFT) return 0;
  return ((s.fa ^ s.fb ^ s.fr) >>> 4) & 1;
}

export function getOF(s: FlagState): number {
  switch (s.fk) {
    case K_ADD: case K_ADC1: case K_INC:
      return signOf((s.fa ^ s.fr) & (s.fb ^ s.fr), (s.faH ^ s.frH) & (s.fbH ^ s.frH), s.fs);
    case K_SUB: case K_SBB1: case K_DEC:
      return signOf((s.fa ^ s.fb) & (s.fa ^ s.fr), (s.faH ^ s.fbH) & (s.faH ^ s.frH), s.fs);
    case K_LOGIC: return 0;
    case K_SHIFT: return (s.fc >>> 11) & 1;
    default: return (s.rflags >>> 11) & 1;
  }
}

/** The six arithmetic flags as RFLAGS bits. */
export function arithFlags(s: FlagState): number {
  const k = s.fk;
  if (k === K_EAGER) return s.rflags & F_ARITH;
  const zsp = szp(s.fr, s.frH, s.fs);
  if (k === K_LOGIC) return zsp;
  if (k === K_SHIFT) return zsp | (s.fc & (F_CF | F_OF));
  return zsp | getCF(s) | (getAF(s) << 4) | (getOF(s) << 11);
}

/** Makes the flags eager (K_EAGER) so an instruction can change some bits and keep the rest. */
export function materialize(s: FlagState): void {
  if (s.fk === K_EAGER) return;
  s.rflags = (s.rflags & ~F_ARITH) | arithFlags(s);
  s.fk = K_EAGER;
}

/**
 * Condition code cc (0-15, the low nibble of jcc/setcc/cmovcc): O NO B AE E NE BE A S NS P NP L GE LE G.
 * The common compare-then-branch case (K_SUB, 32/64-bit) is answered from the operands directly.
 */
export function testCC(s: FlagState, cc: number): boolean {
  if (s.fk === K_SUB && s.fs >= 4) {
    const a = s.fa, b = s.fb;
    let lt: boolean, ult: boolean, eq: boolean;
    if (s.fs === 4) {
      eq = a === b; lt = a < b; ult = a >>> 0 < b >>> 0;
    } else {
      const aH = s.faH, bH = s.fbH;
      eq = a === b && aH === bH;
      lt = aH < bH || (aH === bH && a >>> 0 < b >>> 0);
      ult = aH >>> 0 < bH >>> 0 || (aH === bH && a >>> 0 < b >>> 0);
    }
    switch (cc) {
      case 2: return ult;
      case 3: return !ult;
      case 4: return eq;
      case 5: return !eq;
      case 6: return ult || eq;
      case 7: return !(ult || eq);
      case 12: return lt;
      case 13: return !lt;
      case 14: return lt || eq;
      case 15: return !(lt || eq);
    }
  }
  let v: number;
  switch (cc >> 1) {
    case 0: v = getOF(s); break;
    case 1: v = getCF(s); break;
    case 2: v = getZF(s); break;
    case 3: v = getCF(s) | getZF(s); break;
    case 4: v = getSF(s); break;
    case 5: v = getPF(s); break;
    case 6: v = getSF(s) ^ getOF(s); break;
    default: v = (getSF(s) ^ getOF(s)) | getZF(s); break;
  }
  return (v ^ (cc & 1)) !== 0;
}

/** Sets the eager flags from an RFLAGS-shaped value (only the six arithmetic bits of `bits`). */
export function setArith(s: FlagState, bits: number): void {
  s.rflags = (s.rflags & ~F_ARITH) | (bits & F_ARITH);
  s.fk = K_EAGER;
}

/** ZF SF PF of a result (low half `r`, high half `rH` for size 8) as RFLAGS bits. */
export function szp(r: number, rH: number, size: number): number {
  const zero = size === 8 ? (r | rH) === 0 : (r & mask(size)) === 0;
  return (zero ? F_ZF : 0) | (signOf(r, rH, size) << 7) | (PARITY[r & 0xff] << 2);
}
