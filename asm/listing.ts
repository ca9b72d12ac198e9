// The assembly listing: for every source line, the address and bytes it produced.

import type { LineSpan } from './state.js';
import type { Section } from './sections.js';

export interface ListingLine {
  line: number;
  addr: bigint | null; // null: the line produced nothing and has no location (comments, directives)
  bytes: Uint8Array;
  text: string;
}

/** Build the listing once sections have their final bytes and addresses. */
export function buildListing(lines: string[], spans: LineSpan[], addrOf: (s: Section) => bigint): ListingLine[] {
  const bySpan = new Map<number, LineSpan>();
  for (const s of spans) bySpan.set(s.line, s);
  return lines.map((text, i) => {
    const span = bySpan.get(i + 1);
    if (!span) return { line: i + 1, addr: null, bytes: new Uint8Array(0), text };
    const start = span.startFrag.off + span.startOff;
    const end = span.endFrag.off + span.endOff;
    const data = span.sec.bytes;
    const bytes = data && !span.sec.nobits ? data.subarray(start, Math.max(start, end)) : new Uint8Array(0);
    return { line: i + 1, addr: addrOf(span.sec) + BigInt(start), bytes, text };
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
