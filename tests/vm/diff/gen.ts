// Seeded generator of random straight-line x86-64 sequences (AT&T syntax) for the differential test.
// Conventions the harness relies on: %r15 holds the scratch buffer's address and is never written;
// %rsp is only moved by balanced-or-pushing stack operations (a pop only takes what the sequence
// pushed); memory operands stay inside the SCRATCH_SIZE-byte buffer.

export const SCRATCH_SIZE = 256;
/** Registers a sequence may write (not %rsp, not %r15). */
const REGS = [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
const N64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'];
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

export function regName(n: number, size: number): string {
  if (n >= 8) return `r${n}${size === 8 ? '' : size === 4 ? 'd' : size === 2 ? 'w' : 'b'}`;
  const b = N64[n].slice(1);
  switch (size) {
    case 8: return N64[n];
    case 4: return `e${b}`;
    case 2: return b;
    default: return n < 4 ? `${b[0]}l` : `${b}l`;
  }
}

/** mulberry32: small, fast, and the same on every machine. */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(n: number): number { return this.u32() % n; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
  chance(p: number): boolean { return this.u32() / 0x1_0000_0000 < p; }
}

export interface DiffCase {
  /** Instruction lines of the sequence (AT&T), labels included. */
  lines: string[];
  /** How many of the lines are instructions (for counting). */
  count: number;
  /** Initial rax..r15 as [lo, hi] int32 pairs (rsp and r15 are set by the harness). */
  regs: Int32Array;
  /** Initial RFLAGS (arithmetic bits and DF). */
  rflags: number;
  scratch: Uint8Array;
}

const SUFFIX: Record<number, string> = { 1: 'b', 2: 'w', 4: 'l', 8: 'q' };

/** An interesting value: small, boundary, or fully random. */
function value32(g: Rng): number {
  switch (g.int(6)) {
    case 0: return g.int(16) - 8;
    case 1: return g.pick([0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000 | 0]);
    case 2: return 1 << g.int(32);
    default: return g.u32() | 0;
  }
}

class SeqGen {
  lines: string[] = [];
  count = 0;
  pushed = 0;
  label = 1;
  /** Inside a subroutine or a branch that may be skipped: no stack operations, no nested branches. */
  nested = 0;
  constructor(readonly g: Rng) {}

  emit(s: string): void { this.lines.push(s); this.count++; }
  reg(size: number): string {
    const g = this.g;
    if (size === 1 && g.chance(0.15)) return g.pick(['ah', 'ch', 'dh', 'bh']);
    return regName(g.pick(REGS), size);
  }
  /** A register usable in the same instruction as %ah..%bh (no REX). */
  legacyReg(size: number): string {
    return regName(this.g.pick([0, 1, 2, 3]), size);
  }
  mem(size: number): string {
    const g = this.g;
    const maxOff = SCRATCH_SIZE - size;
    switch (g.int(4)) {
      case 0: return `scratch+${g.int(maxOff + 1)}(%rip)`;
      case 1: {
        const scale = g.pick([1, 2, 4, 8]);
        const k = g.int(Math.floor(maxOff / scale / 2) + 1);
        const idx = g.pick(REGS);
        this.emit(`movl $${k}, %${regName(idx, 4)}`);
        return `${g.int(maxOff - k * scale + 1)}(%r15,%${regName(idx, 8)},${scale})`;
      }
      default: {
        const off = g.int(maxOff + 1);
        return off === 0 && g.chance(0.5) ? '(%r15)' : `${off}(%r15)`;
      }
    }
  }
  imm(size: number): number {
    const v = value32(this.g);
    return size === 1 ? (v << 24) >> 24 : size === 2 ? (v << 16) >> 16 : v;
  }
  size(): number { return this.g.pick([1, 2, 4, 8]); }

  /** Two operands (src, dst) of one size, in the forms the instruction allows. */
  binary(size: number, allowImm: boolean): [string, string] {
    const g = this.g;
    const form = g.int(allowImm ? 5 : 3);
    if (form === 0 && size === 1 && g.chance(0.3)) {
      const a = g.pick(['ah', 'ch', 'dh', 'bh']);
      return g.chance(0.5) ? [`%${a}`, `%${this.legacyReg(1)}`] : [`%${this.legacyReg(1)}`, `%${a}`];
    }
    switch (form) {
      case 0: return [`%${regName(g.pick(REGS), size)}`, `%${regName(g.pick(REGS), size)}`];
      case 1: { const m = this.mem(size); return [m, `%${regName(g.pick(REGS), size)}`]; }
      case 2: { const m = this.mem(size); return [`%${regName(g.pick(REGS), size)}`, m]; }
      case 3: return [`$${this.imm(size)}`, `%${this.reg(size)}`];
      default: { const m = this.mem(size); return [`$${this.imm(size)}`, m]; }
    }
  }
  rm(size: number): string {
    return this.g.chance(0.6) ? `%${this.reg(size)}` : this.mem(size);
  }

  one(): void {
    const g = this.g;
    const k = g.int(114);
    if (k >= 100) { this.bits(k - 100); return; }
    if (k < 30) {
      const op = g.pick(['add', 'sub', 'adc', 'sbb', 'cmp', 'and', 'or', 'xor', 'test']);
      const size = this.size();
      const [s, d] = this.binary(size, true);
      if (op === 'test' && !s.startsWith('%') && !s.startsWith('$')) {
        this.emit(`test${SUFFIX[size]} ${d}, ${s}`); // test takes the register as its source
        return;
      }
      this.emit(`${op}${SUFFIX[size]} ${s}, ${d}`);
    } else if (k < 36) {
      const size = this.size();
      this.emit(`${g.pick(['inc', 'dec', 'neg', 'not'])}${SUFFIX[size]} ${this.rm(size)}`);
    } else if (k < 48) {
      const size = this.size();
      if (size === 8 && g.chance(0.2)) {
        this.emit(`movabsq $0x${g.u32().toString(16)}${g.u32().toString(16).padStart(8, '0')}, %${regName(g.pick(REGS), 8)}`);
        return;
      }
      const [s, d] = this.binary(size, true);
      this.emit(`mov${SUFFIX[size]} ${s}, ${d}`);
    } else if (k < 53) {
      const [ins, ss, ds] = g.pick([
        ['movzbw', 1, 2], ['movzbl', 1, 4], ['movzbq', 1, 8], ['movzwl', 2, 4], ['movzwq', 2, 8],
        ['movsbw', 1, 2], ['movsbl', 1, 4], ['movsbq', 1, 8], ['movswl', 2, 4], ['movswq', 2, 8], ['movslq', 4, 8],
      ] as const);
      const src = g.chance(0.5) ? `%${regName(g.pick(REGS), ss)}` : this.mem(ss);
      this.emit(`${ins} ${src}, %${regName(g.pick(REGS), ds)}`);
    } else if (k < 57) {
      const size = g.pick([2, 4, 8]);
      const base = g.pick([...REGS, 15]);
      const idx = g.pick(REGS);
      const disp = value32(g);
      const form = g.int(3);
      const m = form === 0 ? `${disp}(%${regName(base, 8)})` : form === 1 ? `${disp}(%${regName(base, 8)},%${regName(idx, 8)},${g.pick([1, 2, 4, 8])})` : `${disp}(,%${regName(idx, 8)},${g.pick([1, 2, 4, 8])})`;
      this.emit(`lea${SUFFIX[size]} ${m}, %${regName(g.pick(REGS), size)}`);
    } else if (k < 60) {
      const size = this.size();
      const other = g.chance(0.5) ? `%${regName(g.pick(REGS), size)}` : this.mem(size);
      this.emit(`xchg${SUFFIX[size]} %${regName(g.pick(REGS), size)}, ${other}`);
    } else if (k < 64) {
      const size = g.pick([2, 4, 8]);
      this.emit(`cmov${g.pick(CC)}${SUFFIX[size]} ${this.rm(size)}, %${regName(g.pick(REGS), size)}`);
    } else if (k < 67) {
      this.emit(`set${g.pick(CC)} ${this.rm(1)}`);
    } else if (k < 69) {
      this.emit(g.pick(['cbtw', 'cwtl', 'cltq', 'cwtd', 'cltd', 'cqto']));
    } else if (k < 77) {
      const size = this.size();
      const op = g.pick(['shl', 'shr', 'sar', 'rol', 'ror', 'sal']);
      const dst = this.rm(size);
      switch (g.int(3)) {
        case 0: this.emit(`${op}${SUFFIX[size]} $${g.int(g.chance(0.7) ? size * 8 : 256)}, ${dst}`); break;
        case 1: this.emit(`${op}${SUFFIX[size]} %cl, ${dst}`); break;
        default: this.emit(`${op}${SUFFIX[size]} ${dst}`); break;
      }
    } else if (k < 82) {
      const size = this.size();
      const form = size === 1 ? 0 : g.int(3);
      if (form === 0) this.emit(`${g.pick(['mul', 'imul'])}${SUFFIX[size]} ${this.rm(size)}`);
      else if (form === 1) this.emit(`imul${SUFFIX[size]} ${this.rm(size)}, %${regName(g.pick(REGS), size)}`);
      else this.emit(`imul${SUFFIX[size]} $${this.imm(size)}, ${this.rm(size)}, %${regName(g.pick(REGS), size)}`);
    } else if (k < 84) {
      this.divide();
    } else if (k < 89 && this.nested === 0) {
      this.stack();
    } else if (k < 92 && this.nested === 0) {
      this.branch();
    } else if (k < 94) {
      this.string();
    } else {
      this.emit(g.pick(['cld', 'std', 'clc', 'stc', 'cmc', 'nop', 'pause', 'lfence', 'mfence', 'sfence',
        'nopl 0(%rax)', 'nopw 0(%rax,%rax,1)', 'prefetcht0 (%r15)', 'prefetchnta 64(%r15)', 'cld']));
    }
  }

  /** Bit tests, scans and counts, bswap, xadd, cmpxchg (lock on memory forms), lahf/sahf, rcl/rcr. */
  bits(k: number): void {
    const g = this.g;
    const size = g.pick([2, 4, 8]);
    const sf = SUFFIX[size];
    const lock = (dst: string): string => (dst.startsWith('%') || !g.chance(0.5) ? '' : 'lock ');
    if (k < 3) {
      const op = g.pick(['bt', 'bts', 'btr', 'btc']);
      if (g.chance(0.4)) {
        const dst = this.rm(size);
        this.emit(`${op === 'bt' ? '' : lock(dst)}${op}${sf} $${g.int(256)}, ${dst}`);
        return;
      }
      // A register bit offset reaches outside the operand in memory: keep it within +-16 bytes of a
      // location well inside the scratch buffer.
      const idx = g.pick(REGS);
      this.emit(`movq $${g.int(256) - 128}, %${regName(idx, 8)}`);
      const dst = g.chance(0.5) ? `%${regName(g.pick(REGS), size)}` : `${32 + g.int(SCRATCH_SIZE - 64)}(%r15)`;
      this.emit(`${op === 'bt' ? '' : lock(dst)}${op}${sf} %${regName(idx, size)}, ${dst}`);
    } else if (k < 6) {
      const op = g.pick(['bsf', 'bsr', 'tzcnt', 'lzcnt', 'popcnt']);
      const src = g.chance(0.2) ? `%${regName(g.pick(REGS), size)}` : this.rm(size);
      if (g.chance(0.2) && src.startsWith('%')) this.emit(`xor${sf} ${src}, ${src}`);
      this.emit(`${op}${sf} ${src}, %${regName(g.pick(REGS), size)}`);
    } else if (k < 7) {
      this.emit(`bswap %${regName(g.pick(REGS), g.pick([4, 8]))}`);
    } else if (k < 10) {
      const s = this.size();
      const op = g.pick(['xadd', 'cmpxchg']);
      const dst = this.rm(s);
      // cmpxchg succeeds when the accumulator already holds the destination's value (a register one only:
      // a memory operand's index register may be the accumulator)
      if (op === 'cmpxchg' && g.chance(0.4) && dst.startsWith('%') && !/^%[abcd]h$/.test(dst)) this.emit(`mov${SUFFIX[s]} ${dst}, %${regName(0, s)}`);
      const src = dst.startsWith('%') && /^%[abcd]h$/.test(dst) ? this.legacyReg(s) : regName(g.pick(REGS), s);
      this.emit(`${lock(dst)}${op}${SUFFIX[s]} %${src}, ${dst}`);
    } else if (k < 11) {
      this.emit(g.pick(['lahf', 'sahf']));
    } else {
      const s = this.size();
      const op = g.pick(['rcl', 'rcr']);
      const dst = this.rm(s);
      switch (g.int(3)) {
        case 0: this.emit(`${op}${SUFFIX[s]} $${g.int(g.chance(0.7) ? s * 8 : 256)}, ${dst}`); break;
        case 1: this.emit(`${op}${SUFFIX[s]} %cl, ${dst}`); break;
        default: this.emit(`${op}${SUFFIX[s]} ${dst}`); break;
      }
    }
  }

  divide(): void {
    const g = this.g;
    const size = this.size();
    const op = g.pick(['div', 'idiv']);
    // Usually make the quotient fit, sometimes not; sometimes divide by zero.
    const prep = g.int(4);
    if (prep === 0) this.emit(size === 1 ? 'movb $0, %ah' : `xor${SUFFIX[size]} %${regName(2, size)}, %${regName(2, size)}`);
    else if (prep === 1 && size > 1) this.emit(size === 2 ? 'cwtd' : size === 4 ? 'cltd' : 'cqto');
    const src = this.rm(size);
    if (g.chance(0.1) && src.startsWith('%') && !/^%[abcd]h$/.test(src)) this.emit(`xor${SUFFIX[size]} ${src}, ${src}`);
    this.emit(`${op}${SUFFIX[size]} ${src}`);
  }

  stack(): void {
    const g = this.g;
    if (this.pushed > 0 && g.chance(0.5)) {
      this.pushed--;
      if (g.chance(0.2)) this.emit(`popq ${this.mem(8)}`);
      else this.emit(`pop %${regName(g.pick(REGS), 8)}`);
      return;
    }
    this.pushed++;
    switch (g.int(3)) {
      case 0: this.emit(`pushq ${this.mem(8)}`); break;
      case 1: this.emit(`pushq $${value32(g)}`); break;
      default: this.emit(`push %${regName(g.pick([...REGS, 15]), 8)}`);
    }
  }

  branch(): void {
    const g = this.g;
    const l = this.label;
    this.label += 2;
    this.nested++;
    if (g.chance(0.25)) {
      // call a local subroutine and return
      this.emit(`call ${l}f`);
      this.emit(`jmp ${l + 1}f`);
      this.lines.push(`${l}:`);
      this.one();
      this.emit('ret');
      this.lines.push(`${l + 1}:`);
      this.nested--;
      return;
    }
    this.emit(g.chance(0.8) ? `j${g.pick(CC)} ${l}f` : `jmp ${l}f`);
    const n = g.int(3);
    for (let i = 0; i < n; i++) this.one();
    this.lines.push(`${l}:`);
    this.nested--;
  }

  string(): void {
    const g = this.g;
    const size = this.size();
    const n = g.int(Math.floor(96 / size) + 1);
    this.emit(`leaq ${120 + g.int(16)}(%r15), %rdi`);
    this.emit(`leaq ${120 + g.int(16)}(%r15), %rsi`);
    this.emit(`movl $${n}, %ecx`);
    const op = g.pick(['movs', 'stos', 'movs', 'stos', 'lods', 'scas', 'cmps']);
    const rep = !g.chance(0.8) ? '' : op === 'scas' || op === 'cmps' ? g.pick(['repe ', 'repne ']) : 'rep ';
    this.emit(`${rep}${op}${SUFFIX[size]}`);
  }
}

/** One case: a sequence of about `length` instructions and a random initial state. */
export function genCase(g: Rng, length: number): DiffCase {
  const s = new SeqGen(g);
  while (s.count < length) s.one();
  const regs = new Int32Array(32);
  for (let i = 0; i < 32; i++) regs[i] = g.chance(0.3) ? value32(g) : g.u32() | 0;
  const scratch = new Uint8Array(SCRATCH_SIZE);
  for (let i = 0; i < SCRATCH_SIZE; i++) scratch[i] = g.int(256);
  // CF PF AF ZF SF OF at random, and DF.
  const rflags = (g.u32() & 0x8d5) | (g.chance(0.2) ? 0x400 : 0);
  return { lines: s.lines, count: s.count, regs, rflags, scratch };
}

export function genCases(seed: number, n: number, length: number): DiffCase[] {
  const g = new Rng(seed);
  const out: DiffCase[] = [];
  for (let i = 0; i < n; i++) out.push(genCase(g, length));
  return out;
}
