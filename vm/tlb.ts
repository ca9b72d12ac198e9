// The TLB: a direct-mapped cache of translations, one entry per 4 KiB virtual page, in typed
// arrays so that a hit is a few array reads. Large pages are cached as the 4 KiB pieces actually
// touched, each remembering the size of the page it came from so invlpg can drop them all.
// Entries are never checked against the page tables again: a stale entry is used as is, as on
// hardware, until a flush (CR3 write, invlpg, a #PF on the address) removes it.

import { ATTR_CODE } from './paging.js';

export const TLB_BITS = 12;
export const TLB_SIZE = 1 << TLB_BITS;
export const TLB_MASK = TLB_SIZE - 1;

/** A tagHi no canonical address has: marks an empty entry. */
const EMPTY = 0x4000_0000;

const FLAG_GLOBAL = 1;
const LEVEL_SHIFT = 1; // flags bits 2:1: 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB

/** The 2 MiB region holding a linear address, as one exact number (hi is the canonical high half). */
const key2M = (lo: number, hi: number): number => hi * 2048 + (lo >>> 21);
/** The same for the 1 GiB region. */
const key1G = (lo: number, hi: number): number => hi * 4 + (lo >>> 30);

export class Tlb {
  /** Virtual page number bits 31:12 of the linear address (lo >>> 12). */
  readonly tagLo = new Int32Array(TLB_SIZE);
  /** The high half of the linear address (canonical), or EMPTY. */
  readonly tagHi = new Int32Array(TLB_SIZE).fill(EMPTY);
  /** Physical address of the 4 KiB frame. */
  readonly phys = new Int32Array(TLB_SIZE);
  /** 1 << attr (paging.ts ATTR_*): tested against the MMU's per-mode masks with one AND. */
  readonly perm = new Int32Array(TLB_SIZE);
  /** FLAG_GLOBAL | level << LEVEL_SHIFT. */
  readonly flags = new Uint8Array(TLB_SIZE);
  /**
   * The 2 MiB and 1 GiB regions (keys from key2M/key1G) that may have large-page pieces cached: invlpg
   * scans for pieces only when the page it drops lies in one, so a #PF on a user page costs no scan
   * while the kernel's direct map sits in the TLB as large pages. A region leaves its set when a scan
   * has dropped all its pieces, or at a full flush; one left over after a CR3 reload only costs a scan.
   */
  private readonly large2M = new Set<number>();
  private readonly large1G = new Set<number>();

  static index(lo: number): number {
    return (lo >>> 12) & TLB_MASK;
  }

  /** Is there an entry for this linear page? Returns its index or -1. */
  lookup(lo: number, hi: number): number {
    const i = (lo >>> 12) & TLB_MASK;
    return this.tagLo[i] === lo >>> 12 && this.tagHi[i] === hi ? i : -1;
  }

  install(lo: number, hi: number, frame: number, attr: number, global: boolean, level: number): void {
    const i = (lo >>> 12) & TLB_MASK;
    this.tagLo[i] = lo >>> 12;
    this.tagHi[i] = hi;
    this.phys[i] = frame;
    this.perm[i] = 1 << attr;
    this.flags[i] = (global ? FLAG_GLOBAL : 0) | (level << LEVEL_SHIFT);
    if (level === 1) this.large2M.add(key2M(lo, hi));
    else if (level === 2) this.large1G.add(key1G(lo, hi));
  }

  /** The cached attributes of entry `i` (paging.ts ATTR_*). */
  attr(i: number): number {
    return 31 - Math.clz32(this.perm[i]);
  }

  /** invlpg: drops the entry for this page and every piece of a large page that covers it. */
  invalidatePage(lo: number, hi: number): void {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.tagLo[i] === lo >>> 12 && this.tagHi[i] === hi) this.tagHi[i] = EMPTY;
    if (this.large1G.size !== 0 && this.large1G.has(key1G(lo, hi))) {
      this.dropLarge(lo, hi, 0, TLB_SIZE); // a 1 GiB page's pieces may sit in any slot
      this.large1G.delete(key1G(lo, hi));
      this.large2M.delete(key2M(lo, hi));
    } else if (this.large2M.size !== 0 && this.large2M.has(key2M(lo, hi))) {
      // The pieces of one 2 MiB page have 512 consecutive page numbers: 512 consecutive slots.
      this.dropLarge(lo, hi, (lo >>> 12) & TLB_MASK & ~511, 512);
      this.large2M.delete(key2M(lo, hi));
    }
  }

  /** Drops the large-page pieces covering (lo, hi) among slots [from, from + n). */
  private dropLarge(lo: number, hi: number, from: number, n: number): void {
    const { tagLo, tagHi, flags } = this;
    for (let j = from; j < from + n; j++) {
      if (tagHi[j] !== hi) continue;
      const level = flags[j] >>> LEVEL_SHIFT;
      if (level === 1 && tagLo[j] >>> 9 === lo >>> 21) tagHi[j] = EMPTY;
      else if (level === 2 && tagLo[j] >>> 18 === lo >>> 30) tagHi[j] = EMPTY;
    }
  }

  flushAll(): void {
    this.tagHi.fill(EMPTY);
    this.large2M.clear();
    this.large1G.clear();
  }

  /** A CR3 write: global entries survive (the caller flushes all when CR4.PGE=0). */
  flushNonGlobal(): void {
    const { tagHi, flags } = this;
    for (let j = 0; j < TLB_SIZE; j++) if (!(flags[j] & FLAG_GLOBAL)) tagHi[j] = EMPTY;
  }

  /** The frame at physical address `frameAddr` now holds decoded code: its entries stop allowing fast-path writes. */
  markCode(frameAddr: number): void {
    const { tagHi, phys, perm } = this;
    for (let j = 0; j < TLB_SIZE; j++) {
      if (tagHi[j] !== EMPTY && phys[j] === frameAddr) perm[j] = 1 << (this.attr(j) | ATTR_CODE);
    }
  }

  /** Number of valid entries (for tests and statistics). */
  count(): number {
    let n = 0;
    for (let j = 0; j < TLB_SIZE; j++) if (this.tagHi[j] !== EMPTY) n++;
    return n;
  }
}
