// The MMU: linear -> physical translation through 4-level paging and the TLB, and the memory
// accessors the CPU uses for every load, store and fetch.
//
// API (linear addresses are two int32 halves: lo = bits 31:0, hi = bits 63:32):
//   new Mmu(mem: PhysicalMemory)
//   cr0 cr3 cr4 efer: number — read freely; change only through the setters below.
//   setCpl(0 | 3), setAc(boolean)                  CPL and EFLAGS.AC (SMAP)
//   setCr0(v), setCr3(v), setCr4(v), setEfer(v)    CR3 write flushes non-global entries (all when
//                                                  CR4.PGE=0); a change of CR0.PG, CR4.PSE/PAE/PGE/
//                                                  SMEP/SMAP/PKE or EFER.NXE flushes all
//   translate(lo, hi, access) -> physical address  access: ACCESS_READ / ACCESS_WRITE / ACCESS_FETCH
//       throws CpuException(VEC_PF, errorCode, address) or CpuException(VEC_GP, 0, 0) (non-canonical).
//       A translate for ACCESS_WRITE counts as the write for code-frame tracking (mem.noteWrite).
//   read8/16/32(lo, hi) -> number                  8/16 zero-extended, 32 as int32
//   read64(lo, hi) -> void                         result in mmu.rlo / mmu.rhi (int32 halves)
//   write8/16/32(lo, hi, v), write64(lo, hi, vlo, vhi)
//       Multi-byte accesses crossing a page check both pages before any byte moves; a fault on
//       the second page reports the first byte of that page.
//   invlpg(lo, hi), flushAll(), flushNonGlobal()
//   markCode(frame)                                the CPU calls this when it caches decoded code
//                                                  from a frame: sets mem.codeFrames[frame] and makes
//                                                  writes to it take the path that calls noteWrite
//   tlbHits, tlbMisses: counters (a miss is a page walk)
//   tlb: the Tlb itself (tests, statistics)
// Defaults: CR0 = PE|WP|PG, CR4 = PAE|PGE, EFER = SCE|LME|LMA|NXE, CR3 = 0, CPL 0, AC clear.
// With CR0.PG=0 linear addresses map 1:1 onto physical memory with no checks (beyond it: #GP(0)).
//
// Facts worth knowing:
// - MAXPHYADDR is 48 (as on the host): entry bits 51:48 set -> #PF with P|RSVD. A page table or
//   page frame beyond the end of physical memory is also reported as P|RSVD.
// - The walk sets A in each table entry it goes through (even if the access then faults) and A,
//   plus D on a write, in the leaf only when the access succeeds.
// - The TLB is real: an entry is used until flushed even if the PTE changed. An access its cached
//   permissions forbid faults (P=1) without re-walking and drops the entry, so a kernel that made a
//   PTE more permissive without invlpg sees one spurious fault. A write through a cached entry that
//   was clean re-walks (to set D).
// - Mark code frames only with mmu.markCode (not by writing mem.codeFrames): cached writable
//   entries for the frame must be told, else fast-path stores would not notice the code.

import { CpuException, PF_PROT, VEC_GP, VEC_PF } from './exceptions.js';
import type { PhysicalMemory } from './memory.js';
import {
  ACCESS_FETCH, ACCESS_READ, ACCESS_WRITE, ATTR_CODE, ATTR_COUNT, ATTR_D, CR0_PG, CR0_WP,
  CR4_PAE, CR4_PGE, CR4_PKE, CR4_PSE, CR4_SMAP, CR4_SMEP, EFER_NXE, MODE_AC, MODE_COUNT,
  MODE_NXE, MODE_SMAP, MODE_SMEP, MODE_USER, MODE_WP, WalkResult, accessErrorBits, accessForbidden, walk,
} from './paging.js';
import { TLB_MASK, Tlb } from './tlb.js';

export { ACCESS_FETCH, ACCESS_READ, ACCESS_WRITE } from './paging.js';

const CR4_FLUSH_BITS = CR4_PSE | CR4_PAE | CR4_PGE | CR4_SMEP | CR4_SMAP | CR4_PKE;

/**
 * For every mode, three masks over the 32 attribute values (bit a set: attribute a allows the
 * access). The write mask also demands ATTR_D (else the walk must set D) and no ATTR_CODE (else
 * the write must invalidate decoded code), so the fast write path needs no other test.
 */
function buildMasks(): Int32Array {
  const masks = new Int32Array(MODE_COUNT * 3);
  for (let mode = 0; mode < MODE_COUNT; mode++) {
    for (let attr = 0; attr < ATTR_COUNT; attr++) {
      for (let access = 0; access < 3; access++) {
        if (accessForbidden(attr, access, mode)) continue;
        if (access === ACCESS_WRITE && ((attr & ATTR_D) === 0 || (attr & ATTR_CODE) !== 0)) continue;
        masks[mode * 3 + access] |= 1 << attr;
      }
    }
  }
  return masks;
}
const MODE_MASKS = buildMasks();

/** The canonical signed value of a linear address, as #PF reports it (becomes CR2). */
export function linear(lo: number, hi: number): number {
  return hi * 0x1_0000_0000 + (lo >>> 0);
}

export class Mmu {
  cr0 = 0x8001_0001 | 0; // PE | WP | PG
  cr3 = 0;
  cr4 = CR4_PAE | CR4_PGE;
  efer = 0xd01; // SCE | LME | LMA | NXE
  /** read64 result. */
  rlo = 0;
  rhi = 0;
  tlbHits = 0;
  tlbMisses = 0;
  readonly tlb = new Tlb();

  private cpl = 0;
  private ac = false;
  private mode = 0;
  // Fast-path state: the TLB arrays and this mode's masks, one property load away.
  private readMask = 0;
  private writeMask = 0;
  private fetchMask = 0;
  private readonly tagLo: Int32Array;
  private readonly tagHi: Int32Array;
  private readonly phys: Int32Array;
  private readonly perm: Int32Array;
  private readonly u8: Uint8Array;
  private readonly view: DataView;
  private readonly walkOut = new WalkResult();

  constructor(readonly mem: PhysicalMemory) {
    this.tagLo = this.tlb.tagLo;
    this.tagHi = this.tlb.tagHi;
    this.phys = this.tlb.phys;
    this.perm = this.tlb.perm;
    this.u8 = mem.u8;
    this.view = mem.view;
    this.updateMode();
  }

  // ---- control state ----

  setCpl(cpl: 0 | 3): void { this.cpl = cpl; this.updateMode(); }
  setAc(ac: boolean): void { this.ac = ac; this.updateMode(); }

  setCr0(v: number): void {
    const changed = this.cr0 ^ v;
    this.cr0 = v | 0;
    if (changed & CR0_PG) this.flushAll();
    this.updateMode();
  }

  setCr3(v: number): void {
    this.cr3 = v < 0 ? v >>> 0 : v; // a physical address: an int32 low half is taken as unsigned
    this.flushNonGlobal();
  }

  setCr4(v: number): void {
    const changed = this.cr4 ^ v;
    this.cr4 = v | 0;
    if (changed & CR4_FLUSH_BITS) this.flushAll();
    this.updateMode();
  }

  setEfer(v: number): void {
    const changed = this.efer ^ v;
    this.efer = v | 0;
    if (changed & EFER_NXE) this.flushAll();
    this.updateMode();
  }

  getCpl(): 0 | 3 { return this.cpl === 3 ? 3 : 0; }
  getAc(): boolean { return this.ac; }

  /** The current mode bits (paging.ts MODE_*). */
  getMode(): number { return this.mode; }

  private updateMode(): void {
    let m = 0;
    if (this.cpl === 3) m |= MODE_USER;
    if (this.ac) m |= MODE_AC;
    if (this.cr0 & CR0_WP) m |= MODE_WP;
    if (this.cr4 & CR4_SMAP) m |= MODE_SMAP;
    if (this.cr4 & CR4_SMEP) m |= MODE_SMEP;
    if (this.efer & EFER_NXE) m |= MODE_NXE;
    this.mode = m;
    const paging = (this.cr0 & CR0_PG) !== 0;
    // With paging off every access goes to translateSlow, which maps 1:1.
    this.readMask = paging ? MODE_MASKS[m * 3 + ACCESS_READ] : 0;
    this.writeMask = paging ? MODE_MASKS[m * 3 + ACCESS_WRITE] : 0;
    this.fetchMask = paging ? MODE_MASKS[m * 3 + ACCESS_FETCH] : 0;
  }

  // ---- TLB maintenance ----

  invlpg(lo: number, hi: number): void { this.tlb.invalidatePage(lo, hi); }
  flushAll(): void { this.tlb.flushAll(); }
  flushNonGlobal(): void {
    if (this.cr4 & CR4_PGE) this.tlb.flushNonGlobal();
    else this.tlb.flushAll();
  }

  markCode(frame: number): void {
    this.mem.codeFrames[frame] = 1;
    this.tlb.markCode(frame * 4096);
  }

  // ---- translation ----

  translate(lo: number, hi: number, access: number): number {
    const i = (lo >>> 12) & TLB_MASK;
    const mask = access === ACCESS_READ ? this.readMask : access === ACCESS_WRITE ? this.writeMask : this.fetchMask;
    if (this.tagLo[i] === lo >>> 12 && this.tagHi[i] === hi && (this.perm[i] & mask) !== 0) {
      this.tlbHits++;
      return this.phys[i] | (lo & 0xfff);
    }
    return this.translateSlow(lo, hi, access);
  }

  /** Everything the fast path does not handle: miss, permission fault, D to set, code frame, no paging. */
  translateSlow(lo: number, hi: number, access: number): number {
    if (((hi >> 15) + 1) >>> 1 !== 0) throw new CpuException(VEC_GP, 0, 0); // bits 63:47 not all equal
    if (!(this.cr0 & CR0_PG)) return this.identity(lo, hi, access);
    const tlb = this.tlb;
    const i = tlb.lookup(lo, hi);
    if (i >= 0) {
      const attr = tlb.attr(i);
      // A cached entry decides by its own (possibly stale) permissions, as on hardware.
      if (accessForbidden(attr, access, this.mode)) {
        tlb.invalidatePage(lo, hi);
        throw new CpuException(VEC_PF, accessErrorBits(access, this.mode) | PF_PROT, linear(lo, hi));
      }
      if (access !== ACCESS_WRITE || attr & ATTR_D) {
        this.tlbHits++;
        const pa = this.phys[i] | (lo & 0xfff);
        if (access === ACCESS_WRITE) this.noteCodeWrite(i, attr, pa >>> 12);
        return pa;
      }
      // A write through an entry cached before the page was dirty: walk again to set D.
    }
    return this.walkAndFill(lo, hi, access);
  }

  /** A write through entry i: tell the CPU if the frame held code; once it no longer does, writes go fast again. */
  private noteCodeWrite(i: number, attr: number, frame: number): void {
    this.mem.noteWrite(frame);
    if (attr & ATTR_CODE && this.mem.codeFrames[frame] === 0) this.perm[i] = 1 << (attr & ~ATTR_CODE);
  }

  private walkAndFill(lo: number, hi: number, access: number): number {
    this.tlbMisses++;
    const out = this.walkOut;
    if (!walk(this.mem, this.cr3, lo, hi, access, this.mode, out)) {
      this.tlb.invalidatePage(lo, hi); // a #PF drops the faulting address's entries
      throw new CpuException(VEC_PF, out.errorCode, linear(lo, hi));
    }
    const frameNo = out.frame / 4096;
    if (access === ACCESS_WRITE) this.mem.noteWrite(frameNo);
    const code = this.mem.codeFrames[frameNo] !== 0 ? ATTR_CODE : 0;
    const global = out.global && (this.cr4 & CR4_PGE) !== 0;
    this.tlb.install(lo, hi, out.frame, out.attr | code, global, out.level);
    return out.frame + (lo & 0xfff);
  }

  /** Paging disabled: linear = physical, within memory. */
  private identity(lo: number, hi: number, access: number): number {
    const pa = lo >>> 0;
    if (hi !== 0 || pa >= this.mem.size) throw new CpuException(VEC_GP, 0, 0);
    if (access === ACCESS_WRITE) this.mem.noteWrite(pa >>> 12);
    return pa;
  }

  // ---- loads ----

  read8(lo: number, hi: number): number {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.tagLo[i] === lo >>> 12 && this.tagHi[i] === hi && (this.perm[i] & this.readMask) !== 0) {
      this.tlbHits++;
      return this.u8[this.phys[i] | (lo & 0xfff)];
    }
    return this.u8[this.translateSlow(lo, hi, ACCESS_READ)];
  }

  read16(lo: number, hi: number): number {
    if ((lo & 0xfff) > 0xffe) return this.readCross(lo, hi, 2);
    return this.view.getUint16(this.translate(lo, hi, ACCESS_READ), true);
  }

  read32(lo: number, hi: number): number {
    if ((lo & 0xfff) > 0xffc) return this.readCross(lo, hi, 4);
    return this.view.getInt32(this.translate(lo, hi, ACCESS_READ), true);
  }

  read64(lo: number, hi: number): void {
    if ((lo & 0xfff) > 0xff8) { this.readCross(lo, hi, 8); return; }
    const pa = this.translate(lo, hi, ACCESS_READ);
    this.rlo = this.view.getInt32(pa, true);
    this.rhi = this.view.getInt32(pa + 4, true);
  }

  /** A load of n bytes straddling two pages: both translated first; the result also in rlo/rhi. */
  private readCross(lo: number, hi: number, n: number): number {
    const pa1 = this.translate(lo, hi, ACCESS_READ);
    const lo2 = ((lo | 0xfff) + 1) | 0;
    const pa2 = this.translate(lo2, lo2 === 0 ? (hi + 1) | 0 : hi, ACCESS_READ);
    const n1 = 0x1000 - (lo & 0xfff);
    const u8 = this.u8;
    let rlo = 0, rhi = 0;
    for (let k = 0; k < n; k++) {
      const b = k < n1 ? u8[pa1 + k] : u8[pa2 + k - n1];
      if (k < 4) rlo |= b << (8 * k);
      else rhi |= b << (8 * (k - 4));
    }
    this.rlo = rlo;
    this.rhi = rhi;
    return rlo;
  }

  // ---- stores ----

  write8(lo: number, hi: number, v: number): void {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.tagLo[i] === lo >>> 12 && this.tagHi[i] === hi && (this.perm[i] & this.writeMask) !== 0) {
      this.tlbHits++;
      this.u8[this.phys[i] | (lo & 0xfff)] = v;
      return;
    }
    this.u8[this.translateSlow(lo, hi, ACCESS_WRITE)] = v;
  }

  write16(lo: number, hi: number, v: number): void {
    if ((lo & 0xfff) > 0xffe) { this.writeCross(lo, hi, 2, v, 0); return; }
    this.view.setUint16(this.translate(lo, hi, ACCESS_WRITE), v & 0xffff, true);
  }

  write32(lo: number, hi: number, v: number): void {
    if ((lo & 0xfff) > 0xffc) { this.writeCross(lo, hi, 4, v, 0); return; }
    this.view.setInt32(this.translate(lo, hi, ACCESS_WRITE), v | 0, true);
  }

  write64(lo: number, hi: number, vlo: number, vhi: number): void {
    if ((lo & 0xfff) > 0xff8) { this.writeCross(lo, hi, 8, vlo, vhi); return; }
    const pa = this.translate(lo, hi, ACCESS_WRITE);
    this.view.setInt32(pa, vlo | 0, true);
    this.view.setInt32(pa + 4, vhi | 0, true);
  }

  /** A store of n bytes straddling two pages: both pages pass every check before a byte is written. */
  private writeCross(lo: number, hi: number, n: number, vlo: number, vhi: number): void {
    const pa1 = this.translate(lo, hi, ACCESS_WRITE);
    const lo2 = ((lo | 0xfff) + 1) | 0;
    const pa2 = this.translate(lo2, lo2 === 0 ? (hi + 1) | 0 : hi, ACCESS_WRITE);
    const n1 = 0x1000 - (lo & 0xfff);
    const u8 = this.u8;
    for (let k = 0; k < n; k++) {
      const b = (k < 4 ? vlo >>> (8 * k) : vhi >>> (8 * (k - 4))) & 0xff;
      if (k < n1) u8[pa1 + k] = b;
      else u8[pa2 + k - n1] = b;
    }
  }
}
