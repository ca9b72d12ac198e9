// Assembler directives (pseudo-ops) of GNU as that faultline supports, and the ones it accepts and
// ignores because gcc output carries them (.type .size .file .ident ...).

import type { DirArg } from './grammar-support.js';
import type { Expr, SrcPos } from './types.js';
import type { AsmState } from './state.js';
import { parseSectionDirective } from './section-directive.js';

const SIZES: Record<string, number> = {
  '.byte': 1, '.short': 2, '.word': 2, '.value': 2, '.2byte': 2, '.hword': 2,
  '.long': 4, '.int': 4, '.4byte': 4, '.quad': 8, '.8byte': 8,
};

const IGNORED = new Set([
  '.file', '.ident', '.loc', '.att_syntax', '.code64', '.hidden', '.protected', '.internal',
  '.local', '.p2alignw', '.sleb128', '.uleb128', '.addrsig', '.addrsig_sym',
]);

/** Write a value of `size` bytes little-endian into a byte array. */
export function putLE(out: Uint8Array, at: number, size: number, v: bigint): void {
  // Two 32-bit halves as numbers: one bigint operation per half rather than two per byte.
  let lo = Number(v & 0xffffffffn);
  for (let i = 0; i < size && i < 4; i++, lo >>>= 8) out[at + i] = lo & 0xff;
  if (size <= 4) return;
  let hi = Number((v >> 32n) & 0xffffffffn);
  for (let i = 4; i < size; i++, hi >>>= 8) out[at + i] = hi & 0xff;
}

function fits(v: bigint, size: number): boolean {
  if (size >= 8) return true;
  const bits = BigInt(size * 8);
  return v >= -(1n << (bits - 1n)) && v < 1n << bits;
}

function exprArgs(st: AsmState, args: DirArg[], pos: SrcPos, what: string): Expr[] | null {
  const out: Expr[] = [];
  for (const a of args) {
    if (a.k !== 'expr') {
      st.error(a.k === 'none' ? pos : a.pos, `${what} expects expressions`);
      return null;
    }
    out.push(a.e);
  }
  return out;
}

/** A value that must be known now (sizes, counts, alignments). */
function constArg(st: AsmState, a: DirArg | undefined, pos: SrcPos, dflt: bigint | null, what: string): bigint | null {
  if (!a || a.k === 'none') {
    if (dflt === null) st.error(pos, `${what}: missing argument`);
    return dflt;
  }
  if (a.k !== 'expr') {
    st.error(a.pos, `${what}: expected an expression`);
    return null;
  }
  const v = st.known(st.resolve(a.e));
  if (v === null) st.error(pos, `${what}: the value must be an absolute expression known here`);
  return v;
}

function emitValues(st: AsmState, args: DirArg[], size: number, pos: SrcPos, name: string): void {
  const exprs = exprArgs(st, args, pos, name);
  if (!exprs) return;
  for (const raw of exprs) {
    const e = st.resolve(raw);
    const v = st.known(e);
    const bytes = new Uint8Array(size);
    if (v !== null) {
      if (!fits(v, size)) st.warn(pos, `value 0x${BigInt.asUintN(64, v).toString(16)} truncated to 0x${BigInt.asUintN(size * 8, v).toString(16)}`);
      putLE(bytes, 0, size, v);
      if (st.cur.nobits && v !== 0n) return void st.error(pos, `attempt to store non-zero value in section \`${st.cur.name}'`);
      st.emit(bytes, []);
    } else {
      if (st.cur.nobits) return void st.error(pos, `attempt to store non-zero value in section \`${st.cur.name}'`);
      st.emit(bytes, [{ offset: 0, size: size as 1 | 2 | 4 | 8, e, pcrel: false, range: 'either', pos }]);
    }
  }
}

function emitStrings(st: AsmState, args: DirArg[], zero: boolean, pos: SrcPos, name: string): void {
  for (const a of args) {
    if (a.k !== 'str') return void st.error(a.k === 'expr' || a.k === 'none' ? pos : a.pos, `${name} expects strings`);
    if (st.cur.nobits) return void st.error(pos, `attempt to store non-zero value in section \`${st.cur.name}'`);
    st.emit(a.bytes, []);
    if (zero) st.frag.data.byte(0);
  }
}

/** faultline keeps every section in memory: one directive may add at most this much. */
const MAX_BLOCK = 1n << 26n;

function skip(st: AsmState, count: bigint, fill: bigint, pos: SrcPos): void {
  if (count < 0n) return void st.error(pos, 'repeat count is negative');
  if (count > MAX_BLOCK) return void st.error(pos, `size too large (at most ${MAX_BLOCK} bytes at once)`);
  if (st.cur.nobits && fill !== 0n) return void st.error(pos, `attempt to store non-zero value in section \`${st.cur.name}'`);
  st.frag.data.fill(Number(count), Number(fill & 0xffn));
}

/** .fill repeat, size, value: GNU as writes the low 4 bytes of value, then zeros. */
function fill(st: AsmState, args: DirArg[], pos: SrcPos): void {
  const repeat = constArg(st, args[0], pos, null, '.fill');
  const size = constArg(st, args[1], pos, 1n, '.fill');
  const value = constArg(st, args[2], pos, 0n, '.fill');
  if (repeat === null || size === null || value === null) return;
  const n = Number(size > 8n ? 8n : size < 0n ? 0n : size);
  if (repeat < 0n || repeat * BigInt(n) > MAX_BLOCK) return void st.error(pos, '.fill: repeat count out of range');
  const one = new Uint8Array(n);
  putLE(one, 0, Math.min(n, 4), value);
  if (st.cur.nobits && value !== 0n) return void st.error(pos, `attempt to store non-zero value in section \`${st.cur.name}'`);
  for (let i = 0, k = Number(repeat); i < k; i++) st.frag.data.push(one);
}

/** .align/.balign (bytes) and .p2align (power of two), with optional fill and max-skip. */
function align(st: AsmState, args: DirArg[], pos: SrcPos, pow2: boolean, name: string): void {
  const n = constArg(st, args[0], pos, null, name);
  if (n === null) return;
  const fillArg = args[1] && args[1].k !== 'none' ? constArg(st, args[1], pos, 0n, name) : null;
  const max = args[2] && args[2].k !== 'none' ? constArg(st, args[2], pos, 0n, name) : null;
  if (pow2 && (n < 0n || n > 21n)) return void st.error(pos, `alignment too large: ${n} (at most 21)`);
  if (!pow2 && (n < 0n || n > 1n << 21n)) return void st.error(pos, `alignment too large: ${n} (at most 2 MiB)`);
  const bytes = pow2 ? 1 << Number(n) : Number(n);
  if ((bytes & (bytes - 1)) !== 0) return void st.error(pos, 'alignment not a power of 2');
  if (bytes <= 1) return;
  st.cur.align = Math.max(st.cur.align, bytes);
  const fillByte = fillArg === null ? (st.cur.flags.exec ? null : 0) : Number(fillArg & 0xffn);
  st.endFrag({ k: 'align', align: bytes, fill: fillByte, max: max === null || max <= 0n ? bytes - 1 : Number(max) });
}

function symbolNames(st: AsmState, args: DirArg[], pos: SrcPos, name: string): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a.k === 'expr' && a.e.k === 'sym') out.push(a.e.name);
    else st.error(pos, `${name} expects symbol names`);
  }
  return out;
}

function equate(st: AsmState, args: DirArg[], pos: SrcPos, name: string): void {
  const [target, value] = args;
  if (args.length !== 2 || target.k !== 'expr' || target.e.k !== 'sym' || value.k !== 'expr') {
    return void st.error(pos, `${name} expects a symbol name and an expression`);
  }
  st.defineEquate(target.e.name, st.resolve(value.e), pos);
}

/** `.type sym, @function` (or %function, "function", STT_FUNC, object...). */
function symbolType(st: AsmState, raw: string, pos: SrcPos): void {
  const m = /^([A-Za-z_.$][\w.$]*)\s*,\s*["@%]?(?:STT_)?(\w+)"?$/i.exec(raw);
  if (!m) return void st.error(pos, `expected \`.type SYMBOL, @TYPE'`);
  const t = m[2].toLowerCase();
  if (t === 'function' || t === 'func' || t === 'gnu_indirect_function') st.sym(m[1]).elfType = 'func';
  else if (t === 'object' || t === 'tls_object' || t === 'common') st.sym(m[1]).elfType = 'object';
  else if (t !== 'notype') st.error(pos, `unrecognized symbol type "${m[2]}"`);
}

function symbolSize(st: AsmState, args: DirArg[], pos: SrcPos): void {
  const [target, value] = args;
  if (args.length !== 2 || target.k !== 'expr' || target.e.k !== 'sym' || value.k !== 'expr') {
    return void st.error(pos, 'expected `.size SYMBOL, EXPRESSION\'');
  }
  st.sym(target.e.name).sizeExpr = st.resolve(value.e);
}

/** Carry out one directive; returns false for `.end` (stop reading). */
export function directive(st: AsmState, name: string, args: DirArg[], raw: string, pos: SrcPos): boolean {
  const size = SIZES[name];
  if (size !== undefined) return emitValues(st, args, size, pos, name), true;
  switch (name) {
    case '.ascii': emitStrings(st, args, false, pos, name); break;
    case '.asciz':
    case '.string': emitStrings(st, args, true, pos, name); break;
    case '.zero': {
      const n = constArg(st, args[0], pos, null, name);
      if (n !== null) skip(st, n, 0n, pos);
      break;
    }
    case '.skip':
    case '.space': {
      const n = constArg(st, args[0], pos, null, name);
      const f = constArg(st, args[1], pos, 0n, name);
      if (n !== null && f !== null) skip(st, n, f, pos);
      break;
    }
    case '.fill': fill(st, args, pos); break;
    case '.type': symbolType(st, raw, pos); break;
    case '.size': symbolSize(st, args, pos); break;
    case '.align':
    case '.balign': align(st, args, pos, false, name); break;
    case '.p2align': align(st, args, pos, true, name); break;
    case '.globl':
    case '.global':
      for (const n of symbolNames(st, args, pos, name)) st.sym(n).global = true;
      break;
    case '.equ':
    case '.set': equate(st, args, pos, name); break;
    case '.text': st.switchTo(st.section('.text', null, null)); break;
    case '.data': st.switchTo(st.section('.data', null, null)); break;
    case '.bss': st.switchTo(st.section('.bss', null, null)); break;
    case '.rodata':
      st.warn(pos, "`.rodata' is not a GNU as directive (GNU as rejects it): write `.section .rodata'");
      st.switchTo(st.section('.rodata', null, null));
      break;
    case '.section':
    case '.pushsection': {
      const s = parseSectionDirective(st, raw, pos);
      if (!s) break;
      if (name === '.pushsection') st.stack.push(st.cur);
      st.switchTo(s);
      break;
    }
    case '.popsection': {
      const s = st.stack.pop();
      if (s) st.switchTo(s);
      else st.error(pos, '.popsection without corresponding .pushsection; ignored');
      break;
    }
    case '.previous': st.switchTo(st.prev); break;
    case '.intel_syntax': st.error(pos, '.intel_syntax is not supported (AT&T syntax only)'); break;
    case '.end': return false;
    default:
      if (IGNORED.has(name) || name.startsWith('.cfi_')) break;
      st.error(pos, `unknown pseudo-op: \`${name}'`);
  }
  return true;
}
