// Test helper: a straightforward reference model (BigInt, one rule per line) of the instructions whose
// interpreter code is tuned for speed (multiplies, shifts, rotates), with every flag as faultline models
// it, including the ones the manual leaves undefined (measured on the reference CPU: see vm/ops/muldiv.ts
// and vm/ops/shift.ts). The self-differential test runs the real compiled instruction and this model on
// the same random state and compares all sixteen registers, the memory operand and RFLAGS.

export interface ModelState {
  /** rax..r15 as unsigned 64-bit values. */
  regs: bigint[];
  /** RFLAGS (low 32 bits). */
  rflags: number;
  /** The 8-byte memory operand at (%rdi), when the form has one. */
  mem: bigint;
}

export type Model = (s: ModelState) => void;

export interface Form {
  /** One instruction in AT&T syntax (a memory operand is always (%rdi)). */
  asm: string;
  model: Model;
  usesMem: boolean;
}

const M64 = (1n << 64n) - 1n;
const CF = 1, PF = 4, AF = 16, ZF = 64, SF = 128, OF = 2048;
const ARITH = CF | PF | AF | ZF | SF | OF;

const maskOf = (bits: number): bigint => (1n << BigInt(bits)) - 1n;
const signed = (v: bigint, bits: number): bigint => BigInt.asIntN(bits, v);
const msb = (v: bigint, bits: number): number => Number((v >> BigInt(bits - 1)) & 1n);
function parity(v: bigint): number {
  let b = Number(v & 0xffn), n = 0;
  while (b) { n += b & 1; b >>= 1; }
  return n & 1 ? 0 : PF;
}
const setArith = (s: ModelState, bits: number): void => { s.rflags = (s.rflags & ~ARITH) | bits; };

// ---- operands: a register (number, size) with x86-64's write rules, or the memory word ----

const REG: Record<string, [number, number]> = {};
['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'].forEach((n, i) => {
  REG[n] = [i, 8];
  REG['e' + n.slice(1)] = [i, 4];
  REG[n.slice(1)] = [i, 2];
});
Object.assign(REG, { al: [0, 1], cl: [1, 1], dl: [2, 1], bl: [3, 1], sil: [6, 1], dil: [7, 1] });
for (let i = 8; i < 16; i++) Object.assign(REG, { [`r${i}`]: [i, 8], [`r${i}d`]: [i, 4], [`r${i}w`]: [i, 2], [`r${i}b`]: [i, 1] });

interface Place { get(s: ModelState): bigint; set(s: ModelState, v: bigint): void; bits: number }

function reg(name: string): Place {
  const [n, size] = REG[name];
  const bits = size * 8;
  return {
    bits,
    get: (s) => s.regs[n] & maskOf(bits),
    set: (s, v) => {
      v &= maskOf(bits);
      s.regs[n] = size === 4 ? v : size === 8 ? v : (s.regs[n] & ~maskOf(bits) & M64) | v;
    },
  };
}

function memory(bits: number): Place {
  return {
    bits,
    get: (s) => s.mem & maskOf(bits),
    set: (s, v) => { s.mem = (s.mem & ~maskOf(bits) & M64) | (v & maskOf(bits)); },
  };
}

const SUFFIX: Record<number, string> = { 8: 'b', 16: 'w', 32: 'l', 64: 'q' };
const A_REG: Record<number, string> = { 8: 'al', 16: 'ax', 32: 'eax', 64: 'rax' };
const B_REG: Record<number, string> = { 8: 'bl', 16: 'bx', 32: 'ebx', 64: 'rbx' };
const S_REG: Record<number, string> = { 16: 'si', 32: 'esi', 64: 'rsi' };

// ---- multiplies ----

/** Flags after a multiply: CF = OF = overflow; SF and PF from the low half, ZF and AF clear. */
function mulFlags(s: ModelState, overflow: boolean, low: bigint, bits: number): void {
  setArith(s, (overflow ? CF | OF : 0) | (msb(low, bits) ? SF : 0) | parity(low));
}

/** One-operand mul / imul: the accumulator times the source into (R|E)DX:(R|E)AX, or AX for bytes. */
function widening(isSigned: boolean, bits: number, src: Place): Model {
  const acc = reg(A_REG[bits]);
  return (s) => {
    const a = acc.get(s), b = src.get(s);
    const p = isSigned ? signed(a, bits) * signed(b, bits) : a * b;
    const low = p & maskOf(bits);
    const ov = isSigned ? signed(low, bits) !== p : p >> BigInt(bits) !== 0n;
    if (bits === 8) reg('ax').set(s, p);
    else {
      acc.set(s, low);
      reg({ 16: 'dx', 32: 'edx', 64: 'rdx' }[bits] as string).set(s, (p >> BigInt(bits)) & maskOf(bits));
    }
    mulFlags(s, ov, low, bits);
  };
}

/** Two- and three-operand imul: dst = the truncated signed product of a and b. */
function truncating(dst: Place, a: (s: ModelState) => bigint, b: (s: ModelState) => bigint): Model {
  const bits = dst.bits;
  return (s) => {
    const p = signed(a(s), bits) * signed(b(s), bits);
    const low = p & maskOf(bits);
    dst.set(s, low);
    mulFlags(s, signed(low, bits) !== p, low, bits);
  };
}

// ---- add sub adc sbb and or xor inc dec neg: the lazily flagged forms the tuned ones meet ----

type AluKind = 'add' | 'adc' | 'sub' | 'sbb' | 'and' | 'or' | 'xor' | 'inc' | 'dec' | 'neg';

function aluModel(kind: AluKind, dst: Place, src: Place): Model {
  const bits = dst.bits, B = BigInt(bits);
  return (s) => {
    const cin = BigInt(s.rflags & CF);
    let a = dst.get(s), b = src.get(s), sub = false, c = 0n;
    switch (kind) {
      case 'adc': c = cin; break;
      case 'sub': sub = true; break;
      case 'sbb': sub = true; c = cin; break;
      case 'inc': b = 1n; break;
      case 'dec': b = 1n; sub = true; break;
      case 'neg': b = a; a = 0n; sub = true; break;
    }
    let r: bigint, flags: number;
    if (kind === 'and' || kind === 'or' || kind === 'xor') {
      r = kind === 'and' ? a & b : kind === 'or' ? a | b : a ^ b;
      flags = 0; // AF is undefined: faultline clears it
    } else {
      const wide = sub ? a - b - c : a + b + c;
      r = wide & maskOf(bits);
      const sr = sub ? signed(a, bits) - signed(b, bits) - c : signed(a, bits) + signed(b, bits) + c;
      const carry = wide < 0n || wide >> B !== 0n ? CF : 0;
      flags = (kind === 'inc' || kind === 'dec' ? s.rflags & CF : carry) | (sr !== signed(r, bits) ? OF : 0) |
        (Number(((a ^ b ^ r) >> 4n) & 1n) ? AF : 0);
    }
    dst.set(s, r);
    setArith(s, flags | (r === 0n ? ZF : 0) | (msb(r, bits) ? SF : 0) | parity(r));
  };
}

// ---- shifts and rotates ----

type ShiftKind = 'shl' | 'shr' | 'sar' | 'rol' | 'ror';

/**
 * count: a constant, or null for %cl. byImmReg: a register destination with an immediate count (a rotate
 * by more than 1 then leaves OF alone on the reference CPU).
 */
function shiftModel(kind: ShiftKind, dst: Place, count: number | null, byImmReg: boolean): Model {
  const bits = dst.bits;
  return (s) => {
    const raw = count ?? Number(s.regs[1] & 0xffn);
    const n = raw & (bits === 64 ? 63 : 31);
    const a = dst.get(s);
    if (n === 0) { dst.set(s, a); return; } // flags unchanged; a 32-bit register still loses bits 63:32
    const N = BigInt(n), B = BigInt(bits);
    let r: bigint, cf: number;
    switch (kind) {
      case 'shl': r = (a << N) & maskOf(bits); cf = n <= bits ? Number((a >> (B - N)) & 1n) : 0; break;
      case 'shr': r = a >> N; cf = Number((a >> (N - 1n)) & 1n); break;
      case 'sar': r = BigInt.asUintN(bits, signed(a, bits) >> N); cf = Number((signed(a, bits) >> (N - 1n)) & 1n); break;
      case 'rol': { const c = N % B; r = ((a << c) | (a >> ((B - c) % B))) & maskOf(bits); cf = Number(r & 1n); break; }
      default: { const c = N % B; r = ((a >> c) | (a << ((B - c) % B))) & maskOf(bits); cf = msb(r, bits); break; }
    }
    // OF as a 1-bit shift of the original operand would set it, whatever the count (measured).
    const top = msb(a, bits), next = Number((a >> (B - 2n)) & 1n);
    let of = kind === 'shl' || kind === 'rol' ? top ^ next : kind === 'shr' ? top : kind === 'sar' ? 0 : top ^ Number(a & 1n);
    dst.set(s, r);
    if (kind === 'rol' || kind === 'ror') {
      if (byImmReg && n > 1) of = (s.rflags >> 11) & 1;
      s.rflags = (s.rflags & ~(CF | OF)) | cf | (of << 11);
    } else {
      setArith(s, cf | (of << 11) | (r === 0n ? ZF : 0) | (msb(r, bits) ? SF : 0) | parity(r)); // AF clear
    }
  };
}

/** The shift counts tried as immediates: 1 has its own encoding (D0/D1), the rest C0/C1 ib. */
export const SHIFT_IMMEDIATES = [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 255, 0];

/** Every form the self-differential test runs. */
export function forms(): Form[] {
  const out: Form[] = [];
  const add = (asm: string, model: Model, usesMem = false): void => { out.push({ asm, model, usesMem }); };
  for (const bits of [8, 16, 32, 64]) {
    const sfx = SUFFIX[bits];
    const D_REG: Record<number, string> = { 8: 'dl', 16: 'dx', 32: 'edx', 64: 'rdx' };
    for (const kind of ['add', 'adc', 'sub', 'sbb', 'and', 'or', 'xor'] as const) {
      add(`${kind}${sfx} %${D_REG[bits]}, %${B_REG[bits]}`, aluModel(kind, reg(B_REG[bits]), reg(D_REG[bits])));
    }
    for (const kind of ['inc', 'dec', 'neg'] as const) add(`${kind}${sfx} %${B_REG[bits]}`, aluModel(kind, reg(B_REG[bits]), reg(B_REG[bits])));
    for (const m of ['mul', 'imul']) {
      add(`${m}${sfx} %${B_REG[bits]}`, widening(m === 'imul', bits, reg(B_REG[bits])));
      add(`${m}${sfx} (%rdi)`, widening(m === 'imul', bits, memory(bits)), true);
    }
    if (bits > 8) {
      const dst = reg(B_REG[bits]), src = reg(S_REG[bits]);
      add(`imul${sfx} %${S_REG[bits]}, %${B_REG[bits]}`, truncating(dst, src.get, dst.get));
      add(`imul${sfx} (%rdi), %${B_REG[bits]}`, truncating(dst, memory(bits).get, dst.get), true);
      for (const imm of [-1, 3, 127, -128, 0x7fff, 0x7fffffff, -0x80000000, 0x5bd1e995]) {
        if (bits === 16 && (imm > 0x7fff || imm < -0x8000)) continue;
        const v = BigInt.asUintN(bits, BigInt(imm));
        add(`imul${sfx} $${imm}, %${S_REG[bits]}, %${B_REG[bits]}`, truncating(dst, src.get, () => v));
      }
    }
    for (const kind of ['shl', 'shr', 'sar', 'rol', 'ror'] as const) {
      const dst = reg(B_REG[bits]);
      add(`${kind}${sfx} %cl, %${B_REG[bits]}`, shiftModel(kind, dst, null, false));
      add(`${kind}${sfx} %cl, (%rdi)`, shiftModel(kind, memory(bits), null, false), true);
      for (const n of SHIFT_IMMEDIATES) {
        add(`${kind}${sfx} $${n}, %${B_REG[bits]}`, shiftModel(kind, dst, n, n !== 1));
      }
      for (const n of [0, 1, 2, 5, 31, 63]) add(`${kind}${sfx} $${n}, (%rdi)`, shiftModel(kind, memory(bits), n, false), true);
    }
  }
  return out;
}
