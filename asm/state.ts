// The assembler's state while it walks the statements: sections, the current location, symbols,
// numeric local labels, and the diagnostics collected so far.

import type { Diagnostic, Expr, Fixup, SrcPos } from './types.js';
import { currentFrag, defaultSectionFlags, newFrag, type Frag, type Section, type SectionFlags, type Sym } from './sections.js';
import { evalEarly } from './expr.js';
import { LineSpans } from './listing.js';

export class AsmState {
  readonly diags: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];
  readonly sections = new Map<string, Section>();
  readonly syms = new Map<string, Sym>();
  readonly spans = new LineSpans();
  cur: Section;
  prev: Section;
  readonly stack: Section[] = [];
  gnuStack: { exec: boolean } | null = null;
  private localCount = new Map<number, number>();
  private markers = 0;
  private symOrder = 0;
  private secOrder = 0;

  constructor(readonly file: string) {
    // GNU as always creates these three first, in this order, and writes them first in the object.
    this.cur = this.section('.text', null, null);
    this.section('.data', null, null);
    this.section('.bss', null, null);
    this.prev = this.cur;
  }

  error(pos: SrcPos, msg: string): void {
    this.diags.push({ file: this.file, line: pos.line, col: pos.col, msg });
  }

  warn(pos: SrcPos, msg: string): void {
    this.warnings.push({ file: this.file, line: pos.line, col: pos.col, msg });
  }

  /** The section called name, created with flags (or GNU as's defaults for the name). */
  section(name: string, flags: SectionFlags | null, nobits: boolean | null): Section {
    let s = this.sections.get(name);
    if (!s) {
      const d = defaultSectionFlags(name);
      s = { name, flags: flags ?? d.flags, nobits: nobits ?? d.nobits, frags: [], align: 1, order: this.secOrder++, size: 0, bytes: null };
      newFrag(s);
      this.sections.set(name, s);
    }
    return s;
  }

  switchTo(s: Section): void {
    if (s !== this.cur) this.prev = this.cur;
    this.cur = s;
  }

  get frag(): Frag {
    return currentFrag(this.cur);
  }

  /** The symbol called name, created (undefined) on first mention: GNU as orders symbols so. */
  sym(name: string): Sym {
    let s = this.syms.get(name);
    if (!s) {
      s = { name, def: { k: 'undef' }, global: false, defPos: null, equate: false, order: this.symOrder++ };
      this.syms.set(name, s);
    }
    return s;
  }

  readonly lookup = (name: string): Sym | undefined => this.syms.get(name);

  defineLabel(name: string, pos: SrcPos): void {
    const s = this.sym(name);
    if (s.def.k !== 'undef') {
      this.error(pos, `symbol \`${name}' is already defined`);
      return;
    }
    s.def = { k: 'label', frag: this.frag, off: this.frag.data.len };
    s.defPos = pos;
    s.equate = false;
  }

  /** `1:` defines the next instance of numeric label 1. */
  defineLocal(n: number, pos: SrcPos): void {
    const count = (this.localCount.get(n) ?? 0) + 1;
    this.localCount.set(n, count);
    this.defineLabel(localName(n, count), pos);
  }

  /** `=`, .set, .equ: absolute or frag-relative now if known, else kept as an expression. */
  defineEquate(name: string, e: Expr, pos: SrcPos): void {
    const s = this.sym(name);
    if (s.def.k !== 'undef' && !s.equate) {
      this.error(pos, `symbol \`${name}' is already defined`);
      return;
    }
    const v = evalEarly(e, this.lookup, pos);
    s.def = v === null ? { k: 'expr', e } : v.base === null ? { k: 'abs', v: v.v } : { k: 'label', frag: v.base, off: Number(v.v) };
    s.defPos = pos;
    s.equate = true;
  }

  /** The value of e if GNU as would know it now (see EncodeEnv.known). */
  readonly known = (e: Expr): bigint | null => {
    if (e.k === 'num') return BigInt.asIntN(64, e.v); // the common case, without the evaluator
    const v = evalEarly(e, this.lookup, { line: 0, col: 0 });
    return v !== null && v.base === null ? v.v : null;
  };

  /**
   * Replace `1b`/`1f` by the instance they name and `.` by a marker symbol at the current
   * location, and create every mentioned symbol (in order of first mention). Returns e unchanged
   * when it holds neither.
   */
  resolve(e: Expr): Expr {
    switch (e.k) {
      case 'num':
        return e;
      case 'sym':
        this.sym(e.name);
        return e;
      case 'local': {
        const count = this.localCount.get(e.n) ?? 0;
        if (e.dir === 'b' && count === 0) {
          this.error(e.pos, `undefined local label \`${e.n}b'`);
          return { k: 'num', v: 0n };
        }
        const name = localName(e.n, e.dir === 'b' ? count : count + 1);
        this.sym(name);
        return { k: 'sym', name, pos: e.pos };
      }
      case 'dot': {
        const name = `\u0001dot${this.markers++}`;
        const s = this.sym(name);
        s.def = { k: 'label', frag: this.frag, off: this.frag.data.len };
        return { k: 'sym', name, pos: e.pos };
      }
      case 'un': {
        const a = this.resolve(e.a);
        return a === e.a ? e : { ...e, a };
      }
      case 'bin': {
        const a = this.resolve(e.a);
        const b = this.resolve(e.b);
        return a === e.a && b === e.b ? e : { ...e, a, b };
      }
    }
  }

  /** Append bytes (and their fixups, offsets relative to the bytes) to the current frag. */
  emit(bytes: Uint8Array, fixups: Fixup[]): void {
    const f = this.frag;
    const start = f.data.len;
    f.data.push(bytes);
    for (const fx of fixups) {
      const { offset, size, e, pcrel, range, pos } = fx;
      f.fixups.push({ offset, size, e, pcrel, range, pos, at: start + offset, end: start + bytes.length });
    }
  }

  /** End the current frag with a variable part and open the next one. */
  endFrag(tail: Frag['tail']): void {
    this.frag.tail = tail;
    newFrag(this.cur);
  }
}

export function localName(n: number, instance: number): string {
  return `${n}\u0002${instance}`;
}

/** How a hidden local-label name is shown to the user. */
export function displayName(name: string): string {
  const i = name.indexOf('\u0002');
  return i > 0 ? `${name.slice(0, i)}f` : name;
}
