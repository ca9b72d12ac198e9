// Jump relaxation and final section contents. Like GNU as: every relaxable jump starts short and
// grows to its long form when the rel8 does not reach (or the target is not a label of the same
// section); a jump never shrinks back, so the loop reaches a fixed point. Alignment padding is
// recomputed on every pass since it depends on what precedes it.

import type { Diagnostic, Expr, Fixup, SrcPos } from './types.js';
import type { Frag, FragTail, Section, Sym } from './sections.js';
import { EvalError, evalFinal } from './expr.js';
import { putLE } from './directives.js';
import { codePadding } from './nops.js';
import { displayName } from './state.js';

function alignPad(off: number, align: number, max: number): number {
  const pad = (align - (off % align)) % align;
  return pad > max ? 0 : pad;
}

function tailSize(t: FragTail, off: number): number {
  if (t.k === 'jump') return (t.isLong ? t.long : t.short).bytes.length;
  if (t.k === 'align') return alignPad(off, t.align, t.max);
  return 0;
}

function place(sec: Section): void {
  let off = 0;
  for (const f of sec.frags) {
    f.off = off;
    off += f.data.len;
    off += tailSize(f.tail, off);
  }
  sec.size = off;
}

/** Does a rel8 ending at `end` reach the jump target (which must be in sec)? */
function reaches(target: Expr, sec: Section, end: number, lookup: (n: string) => Sym | undefined, pos: SrcPos): boolean {
  // A label: offsets are small numbers, no need for the bigint evaluator.
  const d = target.k === 'sym' ? lookup(target.name)?.def : undefined;
  if (d?.k === 'label') {
    const disp = d.frag.off + d.off - end;
    return d.frag.sec === sec && disp >= -128 && disp <= 127;
  }
  try {
    const v = evalFinal(target, lookup, pos);
    const disp = v.v - BigInt(end);
    return v.base === sec && disp >= -128n && disp <= 127n;
  } catch {
    return false; // undefined target: reported when its fixup is applied
  }
}

/** Grow short jumps that do not reach until nothing changes; sets every frag's offset and the size. */
export function relaxSection(sec: Section, lookup: (n: string) => Sym | undefined): void {
  for (let pass = 0; ; pass++) {
    place(sec);
    let changed = false;
    for (const f of sec.frags) {
      const t = f.tail;
      if (t.k !== 'jump' || t.isLong) continue;
      if (!reaches(t.target, sec, f.off + f.data.len + t.short.bytes.length, lookup, t.pos)) {
        t.isLong = true;
        changed = true;
      }
    }
    if (!changed || pass > 10000) return;
  }
}

/** The values a field of 1, 2 or 4 bytes holds: [signed min, signed max + 1, unsigned max + 1]. */
const RANGES: Record<number, readonly [bigint, bigint, bigint]> = {
  1: [-(1n << 7n), 1n << 7n, 1n << 8n],
  2: [-(1n << 15n), 1n << 15n, 1n << 16n],
  4: [-(1n << 31n), 1n << 31n, 1n << 32n],
};

function fitsRange(v: bigint, size: number, range: Fixup['range']): boolean {
  if (size >= 8) return true;
  const [min, signedEnd, unsignedEnd] = RANGES[size];
  return v >= (range === 'unsigned' ? 0n : min) && v < (range === 'signed' ? signedEnd : unsignedEnd);
}

export interface EmitContext {
  lookup: (n: string) => Sym | undefined;
  /** The address of an input section after layout. */
  addrOf: (s: Section) => bigint;
  diags: Diagnostic[];
  file: string;
}

/** Fill in fixup fx, whose field is at base + at and whose instruction ends at base + end. */
function applyFixup(out: Uint8Array, base: number, fx: Fixup, at: number, end: number, sec: Section, ctx: EmitContext): void {
  let value: bigint;
  try {
    const v = evalFinal(fx.e, ctx.lookup, fx.pos);
    value = BigInt.asIntN(64, v.base ? ctx.addrOf(v.base) + v.v : v.v);
    if (fx.pcrel) value = BigInt.asIntN(64, value - (ctx.addrOf(sec) + BigInt(base + end)));
  } catch (err) {
    if (!(err instanceof EvalError)) throw err;
    const msg = err.message.replace(/`([^']*)'/, (_m, n: string) => `\`${displayName(n)}'`);
    ctx.diags.push({ file: ctx.file, line: err.pos.line, col: err.pos.col, msg });
    return;
  }
  if (!fitsRange(value, fx.size, fx.range)) {
    const what = fx.pcrel ? 'displacement' : 'value';
    ctx.diags.push({ file: ctx.file, line: fx.pos.line, col: fx.pos.col, msg: `${what} ${value} does not fit in ${fx.size} byte${fx.size > 1 ? 's' : ''}` });
    return;
  }
  putLE(out, base + at, fx.size, value);
}

function emitTail(out: Uint8Array, f: Frag, sec: Section, ctx: EmitContext): void {
  const at = f.off + f.data.len;
  const t = f.tail;
  if (t.k === 'jump') {
    const enc = t.isLong ? t.long : t.short;
    out.set(enc.bytes, at);
    for (const fx of enc.fixups) applyFixup(out, at, fx, fx.offset, enc.bytes.length, sec, ctx);
  } else if (t.k === 'align') {
    const n = tailSize(t, at);
    if (n === 0) return;
    if (t.fill === null) out.set(codePadding(n), at);
    else out.fill(t.fill, at, at + n);
  }
}

/** The section's final bytes (zero-length for NOBITS), with every fixup applied. */
export function emitSection(sec: Section, ctx: EmitContext): Uint8Array {
  const out = new Uint8Array(sec.nobits ? 0 : sec.size);
  if (sec.nobits) return out;
  for (const f of sec.frags) {
    out.set(f.data.buf.subarray(0, f.data.len), f.off);
    for (const fx of f.fixups) applyFixup(out, f.off, fx, fx.at, fx.end, sec, ctx);
    emitTail(out, f, sec, ctx);
  }
  return out;
}
