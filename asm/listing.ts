// The assembly listing: for every source line, the address and bytes it produced.

import type { Frag, Section } from './sections.js';

export interface ListingLine {
  line: number;
  addr: bigint | null; // null: the line produced nothing and has no location (comments, directives)
  bytes: Uint8Array;
  text: string;
}

/**
 * Where each source line's bytes start and end: a frag and an offset in it, since frags move
 * during relaxation. Kept in parallel arrays, in line order: an object per line would be most of
 * what the assembler keeps on its heap.
 */
export class LineSpans {
  readonly line: number[] = [];
  readonly sec: Section[] = [];
  readonly startFrag: Frag[] = [];
  readonly startOff: number[] = [];
  readonly endFrag: Frag[] = [];
  readonly endOff: number[] = [];

  push(line: number, sec: Section, startFrag: Frag, startOff: number, endFrag: Frag, endOff: number): void {
    this.line.push(line);
    this.sec.push(sec);
    this.startFrag.push(startFrag);
    this.startOff.push(startOff);
    this.endFrag.push(endFrag);
    this.endOff.push(endOff);
  }
}

/** Build the listing once sections have their final bytes and addresses. */
export function buildListing(lines: string[], spans: LineSpans, addrOf: (s: Section) => bigint): ListingLine[] {
  let k = 0;
  return lines.map((text, i) => {
    while (k < spans.line.length && spans.line[k] < i + 1) k++;
    if (k === spans.line.length || spans.line[k] !== i + 1) return { line: i + 1, addr: null, bytes: new Uint8Array(0), text };
    const sec = spans.sec[k];
    const start = spans.startFrag[k].off + spans.startOff[k];
    const end = spans.endFrag[k].off + spans.endOff[k];
    const data = sec.bytes;
    const bytes = data && !sec.nobits ? data.subarray(start, Math.max(start, end)) : new Uint8Array(0);
    return { line: i + 1, addr: addrOf(sec) + BigInt(start), bytes, text };
  });
}

/** The listing as text: address, up to 8 bytes per row in hex, and the source line. */
export function formatListing(listing: ListingLine[]): string {
  const out: string[] = [];
  for (const l of listing) {
    const addr = l.addr === null ? ''.padEnd(16) : BigInt.asUintN(64, l.addr).toString(16).padStart(16, '0');
    const rows = Math.max(1, Math.ceil(l.bytes.length / 8));
    for (let r = 0; r < rows; r++) {
      const hex = Array.from(l.bytes.subarray(r * 8, r * 8 + 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
      out.push(r === 0 ? `${String(l.line).padStart(5)} ${addr} ${hex.padEnd(23)}  ${l.text}` : `${''.padStart(5)} ${''.padEnd(16)} ${hex}`);
    }
  }
  return out.join('\n') + '\n';
}
