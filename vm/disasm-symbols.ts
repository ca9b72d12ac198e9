// Symbol lookup as objdump does it: symbols sorted by address (ties broken by compare_symbols of
// objdump.c: functions, then objects, then globals before locals, larger size first, names not
// starting with '.' first, then by name), and an address named after the nearest symbol at or below it.

import { hex64 } from './disasm-operands.js';

export interface ListingSymbol {
  name: string;
  addr: number;
  /** Section index the symbol is defined in; -1 for an absolute symbol. */
  section: number;
  size: number;
  func: boolean;
  object: boolean;
  global: boolean;
  local: boolean;
}

function compare(a: ListingSymbol, b: ListingSymbol): number {
  if (a.addr !== b.addr) return a.addr < b.addr ? -1 : 1;
  if (a.func !== b.func) return a.func ? -1 : 1;
  if (a.object !== b.object) return a.object ? -1 : 1;
  if (a.local !== b.local) return a.local ? 1 : -1;
  if (a.global !== b.global) return a.global ? -1 : 1;
  if (a.size !== b.size) return a.size > b.size ? -1 : 1;
  const ad = a.name.startsWith('.'), bd = b.name.startsWith('.');
  if (ad !== bd) return ad ? 1 : -1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class SymbolTable {
  readonly sorted: ListingSymbol[];

  /** relocatable: an object file, where an address inside a section is named after that section's symbols. */
  constructor(symbols: ListingSymbol[], readonly relocatable = false) {
    this.sorted = symbols.filter((s) => s.name !== '').sort(compare);
  }

  /**
   * find_symbol_for_address: the first symbol of the highest address <= addr (or the lowest symbol
   * when addr is below all), preferring section `section`; with `wantSection` only that section's.
   */
  find(addr: number, section: number, wantSection: boolean): ListingSymbol | null {
    const s = this.sorted;
    if (s.length === 0) return null;
    let lo = 0, hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid].addr <= addr) lo = mid + 1;
      else hi = mid;
    }
    let place = Math.max(lo - 1, 0);
    while (place > 0 && s[place - 1].addr === s[place].addr) place--;
    for (let i = place; i < s.length && s[i].addr === s[place].addr; i++) {
      if (s[i].section === section) {
        place = i;
        break;
      }
    }
    if (s[place].section === section || !wantSection) return s[place];
    for (let i = place - 1; i >= 0; i--) if (s[i].section === section) return s[i];
    for (let i = place + 1; i < s.length; i++) if (s[i].section === section) return s[i];
    return null;
  }

  /** `401000 <_start+0x10>` for a branch target or RIP-relative address met in section `sec`. */
  name(addr: number, sec: { index: number; name: string; addr: number; bytes: Uint8Array }): string {
    const inside = addr >= sec.addr && addr < sec.addr + sec.bytes.length;
    const sym = this.find(addr, sec.index, this.relocatable && inside);
    const [lo, hi] = halves(addr);
    if (this.sorted.length === 0) return `0x${hex64(lo, hi)}`;
    return `${hex64(lo, hi)} ${symbolSuffix(sym, addr, sec.name, sec.addr)}`;
  }
}

/** `<sym>`, `<sym+0x8>`, `<sym-0x8>`; a section's name when there is no symbol. */
export function symbolSuffix(sym: ListingSymbol | null, addr: number, sectionName: string, sectionAddr: number): string {
  const base = sym === null ? sectionName : sym.name;
  const from = sym === null ? sectionAddr : sym.addr;
  const off = addr - from;
  return `<${base}${off > 0 ? `+0x${off.toString(16)}` : off < 0 ? `-0x${(-off).toString(16)}` : ''}>`;
}

/** A non-negative address below 2^53 as int32 halves. */
export function halves(addr: number): [number, number] {
  return [addr % 0x100000000 | 0, Math.floor(addr / 0x100000000) | 0];
}

/** Back from halves to a number (exact for addresses below 2^53). */
export function fromHalves(lo: number, hi: number): number {
  return (hi >>> 0) * 0x100000000 + (lo >>> 0);
}
