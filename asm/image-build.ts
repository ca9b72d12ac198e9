// From relaxed sections to the Image: output sections and addresses (layout.ts), then section
// contents, the symbol table as ld writes it, the entry point and the program headers.

import type { Image, ImageSection, ImageSegment, ImageSymbol } from './image.js';
import { isHiddenName, type Section, type Sym } from './sections.js';
import type { AsmState } from './state.js';
import { countSegments, layoutAt, layoutLd, outputSections, segmentsLd, type LdSymbols, type OutSec } from './layout.js';
import { EvalError, evalFinal } from './expr.js';

export interface Built {
  addrOf(s: Section): bigint;
  finish(): Image;
}

function objectName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.s$/i, '') + '.o';
}

/** Every input section's output section and offset in it. */
function placement(outs: OutSec[]): Map<Section, { out: OutSec; off: number }> {
  const m = new Map<Section, { out: OutSec; off: number }>();
  for (const o of outs) for (const i of o.inputs) m.set(i.sec, { out: o, off: i.off });
  return m;
}

function symbolValue(st: AsmState, s: Sym, addrOf: (s: Section) => bigint, outName: (s: Section) => string | null): { value: bigint; section: string | null } | null {
  const d = s.def;
  if (d.k === 'undef') return null;
  if (d.k === 'abs') return { value: d.v, section: null };
  if (d.k === 'label') return { value: addrOf(d.frag.sec) + BigInt(d.frag.off + d.off), section: outName(d.frag.sec) };
  try {
    const v = evalFinal(d.e, st.lookup, s.defPos ?? { line: 1, col: 1 });
    return v.base ? { value: addrOf(v.base) + v.v, section: outName(v.base) } : { value: v.v, section: null };
  } catch (err) {
    if (!(err instanceof EvalError)) throw err;
    st.error(err.pos, err.message);
    return null;
  }
}

/** The value of `.size sym, expr` (must come out absolute), or 0. */
function symbolSize(st: AsmState, s: Sym): number {
  if (!s.sizeExpr) return 0;
  try {
    const v = evalFinal(s.sizeExpr, st.lookup, s.defPos ?? { line: 1, col: 1 });
    if (v.base === null && v.v >= 0n) return Number(v.v);
    st.error(s.defPos ?? { line: 1, col: 1 }, `.size expression for ${s.name} does not evaluate to a constant`);
  } catch (err) {
    if (!(err instanceof EvalError)) throw err;
    st.error(err.pos, err.message);
  }
  return 0;
}

function symbols(st: AsmState, file: string, addrOf: (s: Section) => bigint, outName: (s: Section) => string | null, ld: LdSymbols | null): ImageSymbol[] {
  const out: ImageSymbol[] = [{ name: objectName(file), value: 0n, section: null, global: false, type: 'file', size: 0 }];
  const globals: ImageSymbol[] = [];
  for (const s of [...st.syms.values()].sort((a, b) => a.order - b.order)) {
    if (isHiddenName(s.name)) continue;
    const v = symbolValue(st, s, addrOf, outName);
    if (!v) continue;
    const sym: ImageSymbol = { name: s.name, value: v.value, section: v.section, global: s.global, type: s.elfType ?? 'notype', size: symbolSize(st, s) };
    (s.global ? globals : out).push(sym);
  }
  if (ld) {
    for (const [name, v] of [['__bss_start', ld.bssStart], ['_edata', ld.edata], ['_end', ld.end]] as const) {
      if (!st.syms.has(name)) globals.push({ name, value: BigInt(v.value), section: v.section, global: true, type: 'notype', size: 0 });
    }
  }
  return [...out, ...globals];
}

function kernelSegments(outs: OutSec[]): { segments: ImageSegment[]; sections: Map<OutSec, number> } {
  let pos = 0x1000;
  const offs = new Map<OutSec, number>();
  const segments = outs.map((o) => {
    pos = Math.ceil(pos / o.align) * o.align;
    offs.set(o, pos);
    const seg: ImageSegment = {
      type: 'load',
      flags: { r: true, w: o.cls === 'data' || o.cls === 'bss', x: o.cls === 'text' },
      offset: pos,
      vaddr: o.addr,
      filesz: o.nobits ? 0 : o.size,
      memsz: o.size,
      align: 1,
    };
    if (!o.nobits) pos += o.size;
    return seg;
  });
  return { segments, sections: offs };
}

export function buildImage(st: AsmState, sections: Section[], textBase: bigint | undefined, file: string): Built {
  const outs = outputSections(sections);
  const where = placement(outs);
  let ld: LdSymbols | null = null;
  const headerSize = 64 + 56 * countSegments(outs, st.gnuStack);
  if (textBase === undefined) ld = layoutLd(outs, headerSize);
  else layoutAt(outs, textBase);
  const addrOf = (s: Section): bigint => {
    const p = where.get(s);
    return p ? p.out.addr + BigInt(p.off) : 0n;
  };
  const outName = (s: Section): string | null => where.get(s)?.out.name ?? null;

  const finish = (): Image => {
    let segments: ImageSegment[];
    if (ld) segments = segmentsLd(outs, headerSize, st.gnuStack).segments;
    else {
      const k = kernelSegments(outs);
      segments = k.segments;
      for (const o of outs) o.fileOffset = k.sections.get(o) ?? 0;
    }
    const imageSections: ImageSection[] = outs.map((o) => {
      const data = new Uint8Array(o.nobits ? 0 : o.size);
      for (const i of o.inputs) if (i.sec.bytes && !o.nobits) data.set(i.sec.bytes, i.off);
      const first = o.inputs[0].sec.flags;
      return { name: o.name, addr: o.addr, size: o.size, flags: { ...first }, data, nobits: o.nobits, align: o.align, fileOffset: o.fileOffset };
    });
    const syms = symbols(st, file, addrOf, outName, ld);
    const start = st.syms.get('_start');
    const textAddr = imageSections.find((s) => s.flags.exec)?.addr ?? textBase ?? 0x401000n;
    let entry = textAddr;
    if (start && start.def.k !== 'undef' && (start.global || !ld)) {
      entry = syms.find((s) => s.name === '_start')?.value ?? textAddr;
    } else if (ld) {
      st.warn({ line: 1, col: 1 }, `cannot find entry symbol _start; defaulting to ${textAddr.toString(16).padStart(16, '0')}`);
    }
    return { entry, sections: imageSections, symbols: syms, segments };
  };
  return { addrOf, finish };
}
