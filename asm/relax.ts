// Jump relaxation and final section contents. Like GNU as: every relaxable jump starts short and
// grows to its long form when the rel8 does not reach (or the target is not a label of the same
// section); a jump never shrinks back, so the loop reaches a fixed point. Alignment padding is
// recomputed on every pass since it depends on what precedes it.

import type { Diagnostic } from './types.js';
import type { Frag, FragFixup, FragTail, Section, Sym } from './sections.js';
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

/** Grow short jumps that do not reach until nothing changes; sets every frag's offset and the size. */
export function relaxSection(sec: Section, lookup: (n: string) => Sym | undefined): void {
  for (let pass = 0; ; pass++) {
    place(sec);
    let changed = false;
    for (const f of sec.frags) {
      const t = f.tail;
      if (t.k !== 'jump' || t.isLong) continue;
      let reach = false;
      try {
        const v = evalFinal(t.target, lookup, t.pos);
        if (v.base === sec) {
          const disp = v.v - BigInt(f.off + f.data.len + t.short.bytes.length);
          reach = disp >= -128n && disp <= 127n;
        }
      } catch {
        reach = false; // undefined target: reported when its fixup is applied
      }
      if (!reach) {
        t.isLong = true;
        changed = true;
      }
    }
    if (!changed || pass > 10000) return;
  }
}

function fitsRange(v: bigint, size: number, range: FragFixup['range']): boolean {
  if (size >= 8) return true;
  const bits = BigInt(size * 8);
  const lo = range === 'unsigned' ? 0n : -(1n << (bits - 1n));
  const hi = range === 'signed' ? 1n << (bits - 1n) : 1n << bits;
  return v >= lo && v < hi;
}

export interface EmitContext {
  lookup: (n: string) => Sym | undefined;
  /** The address of an input section after layout. */
  addrOf: (s: Section) => bigint;
  diags: Diagnostic[];
  file: string;
}

function applyFixup(out: Uint8Array, base: number, fx: FragFixup, sec: Section, ctx: EmitContext): void {
  let value: bigint;
  try {
    const v = evalFinal(fx.e, ctx.lookup, fx.pos);
    value = BigInt.asIntN(64, v.base ? ctx.addrOf(v.base) + v.v : v.v);
    if (fx.pcrel) value = BigInt.asIntN(64, value - (ctx.addrOf(sec) + BigInt(base + fx.end)));
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
  putLE(out, base + fx.at, fx.size, value);
}

function emitTail(out: Uint8Array, f: Frag, sec: Section, ctx: EmitContext): void {
  const at = f.off + f.data.len;
  const t = f.tail;
  if (t.k === 'jump') {
    const enc = t.isLong ? t.long : t.short;
    out.set(enc.bytes, at);
    for (const fx of enc.fixups) applyFixup(out, at, { ...fx, at: fx.offset, end: enc.bytes.length }, sec, ctx);
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
    for (const fx of f.fixups) applyFixup(out, f.off, fx, sec, ctx);
    emitTail(out, f, sec, ctx);
  }
  return out;
}
