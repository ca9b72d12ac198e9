// Sections, frags and symbols while assembling, as in GNU as: a section is a chain of frags; a frag
// is a fixed run of bytes ended by at most one variable part (a relaxable jump or an alignment).
// Offsets are numbers relative to the section start; addresses become bigint only at layout.

import type { Encoded, Expr, Fixup, SrcPos } from './types.js';

/** A growable byte buffer. */
export class ByteBuf {
  buf = new Uint8Array(64);
  len = 0;
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  push(bytes: ArrayLike<number>): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }
  fill(n: number, b: number): void {
    this.room(n);
    this.buf.fill(b, this.len, this.len + n);
    this.len += n;
  }
}

/** A fixup placed in a frag: `at` is the field's offset in the frag, `end` where its instruction ends. */
export interface FragFixup extends Fixup {
  at: number;
  end: number;
}

export type FragTail =
  | { k: 'none' }
  | { k: 'jump'; short: Encoded; long: Encoded; target: Expr; isLong: boolean; pos: SrcPos }
  | { k: 'align'; align: number; fill: number | null; max: number };

export interface Frag {
  sec: Section;
  data: ByteBuf;
  fixups: FragFixup[];
  tail: FragTail;
  off: number; // offset of the frag in its section, set by relaxation
}

export interface SectionFlags {
  alloc: boolean;
  write: boolean;
  exec: boolean;
}

export interface Section {
  name: string;
  flags: SectionFlags;
  nobits: boolean;
  frags: Frag[];
  align: number; // the largest alignment asked for inside it
  order: number; // position in the object file GNU as would write
  size: number; // set by relaxation
  bytes: Uint8Array | null; // set once fixups are applied
}

export function newFrag(sec: Section): Frag {
  const f: Frag = { sec, data: new ByteBuf(), fixups: [], tail: { k: 'none' }, off: 0 };
  sec.frags.push(f);
  return f;
}

export function currentFrag(sec: Section): Frag {
  return sec.frags[sec.frags.length - 1];
}

/** A symbol: undefined yet, a label (frag + offset), an absolute value, or an expression to wait for. */
export interface Sym {
  name: string;
  def:
    | { k: 'undef' }
    | { k: 'label'; frag: Frag; off: number }
    | { k: 'abs'; v: bigint }
    | { k: 'expr'; e: Expr };
  global: boolean;
  defPos: SrcPos | null;
  /** Defined by `=`/.set/.equ (may be redefined) rather than as a label. */
  equate: boolean;
  order: number; // first appearance: GNU as writes local symbols in this order
  elfType?: 'func' | 'object'; // from .type
  sizeExpr?: Expr; // from .size
}

/** Names GNU as keeps out of the symbol table: .L locals, numeric local labels, our `.` markers. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.L') || name.includes('\u0002') || name.startsWith('\u0001');
}

/** Default flags of the sections GNU as knows by name; others get "" unless given flags. */
export function defaultSectionFlags(name: string): { flags: SectionFlags; nobits: boolean } {
  const is = (base: string) => name === base || name.startsWith(base + '.');
  if (is('.text')) return { flags: { alloc: true, write: false, exec: true }, nobits: false };
  if (is('.data') || is('.data1')) return { flags: { alloc: true, write: true, exec: false }, nobits: false };
  if (is('.bss')) return { flags: { alloc: true, write: true, exec: false }, nobits: true };
  if (is('.rodata') || is('.rodata1')) return { flags: { alloc: true, write: false, exec: false }, nobits: false };
  return { flags: { alloc: false, write: false, exec: false }, nobits: false };
}
