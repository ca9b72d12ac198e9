// Decoded-code cache: basic blocks of compiled instructions, keyed by the physical address of their
// first byte, kept per physical frame. A write to a frame holding cached code (seen by the MMU, or
// reported by a direct writer through mem.noteWrite) drops every block built from that frame.

import type { Cpu } from './cpu.js';
import { decode, Decoded, Fetch } from './decode.js';
import { ACCESS_FETCH } from './mmu.js';
import { compile, Op, endsBlock } from './ops/index.js';

/** Long enough to amortise the lookup, short enough that decoding ahead costs little. */
const MAX_BLOCK = 64;

export interface Block {
  ops: Op[];
  n: number;
  /** RIP of each instruction (for faults and early exits). */
  ripLo: Int32Array;
  ripHi: Int32Array;
  /** RIP after the last instruction. */
  endLo: number;
  endHi: number;
  /** The virtual address the block was decoded at (the code may be mapped elsewhere too). */
  vLo: number;
  vHi: number;
  /** For a block whose last instruction crosses into the next page: that page's virtual and physical address. */
  nextVLo: number;
  nextVHi: number;
  nextPhys: number;
  frame: number;
  offset: number;
}

export class BlockCache {
  private readonly pages: (Block[] | undefined)[];
  /** Blocks that end in a frame other than their own, by that frame. */
  private readonly crossing = new Map<number, Block[]>();

  constructor(private readonly cpu: Cpu) {
    this.pages = new Array<Block[] | undefined>(cpu.mem.frames).fill(undefined); // dense, not a dictionary
  }

  /** The block starting at physical address pa (= the current RIP), decoding it if needed. */
  lookup(pa: number): Block {
    const page = this.pages[pa >>> 12];
    if (page !== undefined) {
      const b = page[pa & 0xfff];
      if (b !== undefined && b.vLo === this.cpu.ripLo && b.vHi === this.cpu.ripHi &&
          (b.nextPhys < 0 || this.cpu.mmu.translate(b.nextVLo, b.nextVHi, ACCESS_FETCH) === b.nextPhys)) {
        return b;
      }
    }
    return this.build(pa);
  }

  invalidateFrame(frame: number): void {
    this.pages[frame] = undefined;
    const list = this.crossing.get(frame);
    if (list === undefined) return;
    this.crossing.delete(frame);
    for (const b of list) {
      const home = this.pages[b.frame];
      if (home !== undefined && home[b.offset] === b) home[b.offset] = undefined as unknown as Block;
    }
  }

  private build(pa: number): Block {
    const cpu = this.cpu;
    const mmu = cpu.mmu;
    const u8 = cpu.mem.u8;
    const vLo = cpu.ripLo, vHi = cpu.ripHi;
    const ops: Op[] = [];
    const rl: number[] = [];
    const rh: number[] = [];
    let lo = vLo, hi = vHi, p = pa;
    let nextVLo = 0, nextVHi = 0, nextPhys = -1;
    let endLo = lo, endHi = hi;
    while (ops.length < MAX_BLOCK) {
      const start = p;
      const room = 0x1000 - (p & 0xfff);
      // Bytes past the page come from the next virtual page, translated (and checked) on first use.
      let second = -1;
      const pageLo = ((lo | 0xfff) + 1) | 0;
      const pageHi = pageLo === 0 ? (hi + 1) | 0 : hi;
      const fetch: Fetch = (k) => {
        if (k < room) return u8[start + k];
        if (second < 0) second = mmu.translate(pageLo, pageHi, ACCESS_FETCH);
        return u8[second + k - room];
      };
      let d: Decoded;
      let op: Op;
      try {
        d = decode(fetch, lo, hi);
        if (d.mnemonic === 'rdtsc' && ops.length > 0) break; // rdtsc starts a block: instret is exact there
        op = compile(cpu, d);
      } catch (e) {
        if (ops.length === 0) throw e;
        break; // the faulting instruction will start the next block and fault there
      }
      ops.push(op);
      rl.push(lo);
      rh.push(hi);
      lo = endLo = d.nextLo;
      hi = endHi = d.nextHi;
      if (second >= 0) {
        nextVLo = pageLo;
        nextVHi = pageHi;
        nextPhys = second & ~0xfff;
        break;
      }
      if (endsBlock(d) || d.length >= room) break;
      p += d.length;
    }
    const b: Block = {
      ops, n: ops.length, ripLo: Int32Array.from(rl), ripHi: Int32Array.from(rh), endLo, endHi, vLo, vHi,
      nextVLo, nextVHi, nextPhys, frame: pa >>> 12, offset: pa & 0xfff,
    };
    let page = this.pages[b.frame];
    if (page === undefined) {
      page = this.pages[b.frame] = new Array<Block>(4096);
      mmu.markCode(b.frame);
    }
    page[b.offset] = b;
    if (nextPhys >= 0) {
      const f2 = nextPhys >>> 12;
      if (this.pages[f2] === undefined) this.pages[f2] = new Array<Block>(4096);
      mmu.markCode(f2);
      const list = this.crossing.get(f2);
      if (list === undefined) this.crossing.set(f2, [b]);
      else list.push(b);
    }
    return b;
  }
}
