// The `objdump -d` layout: file header, one block per code section, a `<symbol>:` line where each
// symbol starts, and per instruction `  401000:\tb8 01 00 00 00       \tmov    $0x1,%eax`, the
// bytes wrapped at 7 per line; runs of zero bytes shown as `...` as objdump does.

import { decode, type Decoded } from './decode.js';
import { formatInstruction } from './disasm.js';
import { SymbolTable, fromHalves, halves, symbolSuffix, type ListingSymbol } from './disasm-symbols.js';

export type { ListingSymbol } from './disasm-symbols.js';

export interface ListingSection {
  name: string;
  /** Section index (as symbols refer to it). */
  index: number;
  addr: number;
  bytes: Uint8Array;
}

const BYTES_PER_LINE = 7;
const SKIP_ZEROES = 8;
const SKIP_ZEROES_AT_END = 3;

/** One decoded line: its length and text (a failed decode is objdump's one-byte `(bad)`). */
export interface DisasmLine {
  length: number;
  text: string;
}

class Truncated extends Error {}

/** objdump's `(bad)` covers the prefixes and the opcode byte(s). */
function badLength(bytes: Uint8Array, off: number, limit: number): number {
  let i = off;
  const prefix = (b: number) => [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3].includes(b) || (b & 0xf0) === 0x40;
  while (i < limit - 1 && i - off < 14 && prefix(bytes[i])) i++;
  if (bytes[i] === 0x0f && i + 1 < limit) i++;
  return i + 1 - off;
}

/**
 * Disassembles the instruction at offset `off` of a section, reading no byte at or past `limit`
 * (objdump stops at the next symbol): a cut-off instruction is shown as `.byte 0x..`.
 */
export function disassembleOne(sec: ListingSection, off: number, limit: number, symbols: SymbolTable): DisasmLine {
  const bytes = sec.bytes;
  const byteAt = (i: number): number => {
    if (off + i >= limit) throw new Truncated();
    return bytes[off + i];
  };
  const [lo, hi] = halves(sec.addr + off);
  let d: Decoded;
  try {
    d = decode(byteAt, lo, hi);
  } catch (err) {
    if (err instanceof Truncated) return { length: 1, text: `.byte 0x${bytes[off].toString(16)}` };
    return { length: badLength(bytes, off, limit), text: '(bad)' };
  }
  const name = (alo: number, ahi: number) => symbols.name(fromHalves(alo, ahi), sec);
  return { length: d.length, text: formatInstruction(d, byteAt, name) };
}

function hexBytes(bytes: Uint8Array, from: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `${bytes[from + i].toString(16).padStart(2, '0')} `;
  return s;
}

/** Address column: as wide as the section's end address needs, in steps of 4 digits (objdump). */
function addressWidth(sec: ListingSection): number {
  const digits = (sec.addr + sec.bytes.length).toString(16).length;
  const zeros = 16 - digits;
  return zeros === 0 ? 16 : 16 - ((zeros - 1) & ~3);
}

/** Lines for offsets start..stop (the next symbol or the section's end). */
function disassembleRange(sec: ListingSection, start: number, stop: number, symbols: SymbolTable, out: string[]): void {
  const width = addressWidth(sec);
  const addr = (off: number) => `${(sec.addr + off).toString(16).padStart(width, ' ')}:\t`;
  let off = start;
  while (off < stop) {
    let z = off;
    while (z < stop && sec.bytes[z] === 0) z++;
    if (z - off >= SKIP_ZEROES || (z === stop && z - off < SKIP_ZEROES_AT_END && z > off)) {
      out.push('\t...');
      off = z === stop ? z : off + ((z - off) & ~3);
      continue;
    }
    const line = disassembleOne(sec, off, stop, symbols);
    const len = line.length;
    const first = Math.min(len, BYTES_PER_LINE);
    out.push(`${addr(off)}${hexBytes(sec.bytes, off, first).padEnd(BYTES_PER_LINE * 3)}\t${line.text}`);
    for (let k = first; k < len; k += BYTES_PER_LINE) {
      out.push(`${addr(off + k)}${hexBytes(sec.bytes, off + k, Math.min(BYTES_PER_LINE, len - k))}`);
    }
    off += line.length;
  }
}

/** One section's block: symbol lines and instructions, as objdump's disassemble_section. */
function disassembleSection(sec: ListingSection, symbols: SymbolTable, out: string[]): void {
  out.push('', `Disassembly of section ${sec.name}:`);
  const inSection = symbols.sorted.filter((s) => s.section === sec.index);
  let off = 0;
  while (off < sec.bytes.length) {
    const here = sec.addr + off;
    const sym = symbols.find(here, sec.index, true);
    let stop: number;
    if (sym !== null && sym.addr > here) stop = sym.addr - sec.addr;
    else {
      const next = inSection.find((s) => s.addr > (sym === null ? here : sym.addr) && s.addr > here);
      stop = next === undefined ? sec.bytes.length : next.addr - sec.addr;
    }
    stop = Math.min(Math.max(stop, off + 1), sec.bytes.length);
    out.push('', `${here.toString(16).padStart(16, '0')} ${symbolSuffix(sym, here, sec.name, sec.addr)}:`);
    disassembleRange(sec, off, stop, symbols, out);
    off = stop;
  }
}

/** The whole `objdump -d FILE` text for the given code sections. */
export function formatObjdump(fileName: string, sections: ListingSection[], symbols: ListingSymbol[], relocatable = false): string {
  const table = new SymbolTable(symbols, relocatable);
  const out: string[] = ['', `${fileName}:     file format elf64-x86-64`, ''];
  for (const sec of sections) disassembleSection(sec, table, out);
  return `${out.join('\n')}\n`;
}
