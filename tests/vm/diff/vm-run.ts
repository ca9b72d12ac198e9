// Runs the differential program's sequences on faultline's CPU, with paging on: the ELF's PT_LOAD
// segments are mapped (user pages, NX where not executable) at their addresses, plus a stack. Each
// case starts like the native harness (registers, RFLAGS, scratch) at seq_N; `seq_done` is patched to
// int3 in guest memory so the end of a sequence traps back here. Output records match program.ts.

import { readElf } from '../../../asm/elf.js';
import { Cpu } from '../../../vm/cpu.js';
import { VEC_BP } from '../../../vm/exceptions.js';
import { PhysicalMemory } from '../../../vm/memory.js';
import { Mmu } from '../../../vm/mmu.js';
import { PTE_P, PTE_U, PTE_W } from '../../../vm/paging.js';
import { PageTables } from '../pagetables.js';
import { decode } from '../../../vm/decode.js';
import { DiffCase, SCRATCH_SIZE } from './gen.js';
import { RECORD_SIZE } from './program.js';
import { nextUndefined } from './undefined.js';

export const STACK_TOP = 0x7ff0_0000;
const STACK_BYTES = 64 * 1024;
const FLAGS_COMPARED = 0xcd5 | 0x400;

export interface VmHarness {
  cpu: Cpu;
  pt: PageTables;
  mem: PhysicalMemory;
  symbols: Map<string, number>;
  /** Physical address of a virtual address in the loaded image. */
  phys(virt: number): number;
}

/** Loads an ELF's PT_LOAD segments into a fresh machine; writableText maps code pages writable too (for SMC tests). */
export function loadElf(elf: Uint8Array, opts: { writableText?: boolean } = {}): VmHarness {
  const f = readElf(elf);
  if (typeof f === 'string') throw new Error(`diff ELF: ${f}`);
  const loads = f.programHeaders.filter((p) => p.type === 1);
  const total = loads.reduce((a, p) => a + p.memsz + 0x2000, 0) + STACK_BYTES + 0x400000;
  const mem = new PhysicalMemory(Math.ceil(total / 0x1000) * 0x1000);
  const mmu = new Mmu(mem);
  const pt = new PageTables(mem, 0x1000, 0x200000);
  let next = 0x200000;
  const map = new Map<number, number>(); // virtual page -> physical frame address
  for (const p of loads) {
    const start = Number(p.vaddr) & ~0xfff;
    const end = Number(p.vaddr) + p.memsz;
    for (let v = start; v < end; v += 0x1000) {
      if (!map.has(v)) {
        map.set(v, next);
        pt.map(v, next, PTE_P | PTE_U | (p.flags & 2 || opts.writableText ? PTE_W : 0), 0x1000, { nx: (p.flags & 1) === 0 });
        next += 0x1000;
      }
    }
    const phys = (v: number): number => map.get(v & ~0xfff)! + (v & 0xfff);
    for (let k = 0; k < p.filesz; k++) mem.u8[phys(Number(p.vaddr) + k)] = elf[p.offset + k];
  }
  for (let v = STACK_TOP - STACK_BYTES; v < STACK_TOP; v += 0x1000) {
    pt.map(v, next, PTE_P | PTE_U | PTE_W, 0x1000, { nx: true });
    map.set(v, next);
    next += 0x1000;
  }
  mmu.setCr3(pt.cr3);
  const cpu = new Cpu(mem, mmu);
  const symbols = new Map<string, number>();
  for (const s of f.symbols) symbols.set(s.name, Number(s.value));
  return { cpu, pt, mem, symbols, phys: (v) => map.get(v & ~0xfff)! + (v & 0xfff) };
}

export interface VmRun {
  /** One record per case, in the native program's format. */
  records: Uint8Array;
  /**
   * With trackUndefined: per case, the arithmetic flags left undefined at its end (by the SDM), or -1 when the
   * case read an undefined flag, so that its results depend on the CPU's vendor. Otherwise null.
   */
  undefinedFlags: Int32Array | null;
}

const STEP_LIMIT = 100_000;

/**
 * Runs one case to its end one instruction at a time, following which flags are undefined; returns the
 * undefined set at the end or -1 (see VmRun). The CPU's state is exactly what cpu.run would leave.
 */
function runTracked(h: VmHarness): number {
  const { cpu } = h;
  let undef = 0;
  for (let n = 0; n < STEP_LIMIT; n++) {
    const base = cpu.ripLo;
    const d = decode((i) => h.mem.u8[h.phys(base + i)], cpu.ripLo, cpu.ripHi);
    const cl = cpu.regs[2] & 0xff;
    const noCount = (cpu.regs[2] | (d.addrsize === 4 ? 0 : cpu.regs[3])) === 0;
    const before = cpu.instret;
    const why = cpu.run(1);
    if (cpu.instret !== before && undef !== -1) undef = nextUndefined(undef, d, cl, noCount);
    if (why === 'stopped') return undef;
  }
  throw new Error('the CPU did not reach the end of the sequence');
}

/** Runs every case; returns records in the native program's format. */
export function runVm(elf: Uint8Array, cases: DiffCase[], trackUndefined = false): VmRun {
  const h = loadElf(elf);
  const { cpu, mem } = h;
  const sym = (name: string): number => {
    const v = h.symbols.get(name);
    if (v === undefined) throw new Error(`diff ELF: no symbol ${name}`);
    return v;
  };
  const scratch = sym('scratch');
  const done = sym('seq_done');
  mem.writeBytes(h.phys(done), Uint8Array.of(0xcc));
  const out = new Uint8Array(cases.length * RECORD_SIZE);
  const undefinedFlags = trackUndefined ? new Int32Array(cases.length) : null;
  const dv = new DataView(out.buffer);
  let vector = -1;
  cpu.trap = (v) => {
    vector = v;
    cpu.stop();
  };
  cpu.setCpl(3);
  cases.forEach((c, i) => {
    const rec = i * RECORD_SIZE;
    for (let k = 0; k < SCRATCH_SIZE; k++) mem.u8[h.phys(scratch + k)] = c.scratch[k];
    cpu.regs.set(c.regs);
    cpu.regs[8] = STACK_TOP - 64; // rsp
    cpu.regs[9] = 0;
    cpu.regs[30] = scratch; // r15
    cpu.regs[31] = 0;
    cpu.setRflags(c.rflags);
    const seq = sym(`seq_${i}`);
    cpu.ripLo = seq;
    cpu.ripHi = 0;
    vector = -1;
    if (undefinedFlags !== null) {
      undefinedFlags[i] = runTracked(h);
    } else {
      const why = cpu.run(STEP_LIMIT);
      if (why !== 'stopped') throw new Error(`case ${i}: the CPU did not reach the end of the sequence (${why})`);
    }
    const ok = vector === VEC_BP && cpu.ripLo === done + 1;
    dv.setInt32(rec, ok ? 0 : vector + 1, true);
    for (let r = 0; r < 16; r++) {
      let lo = cpu.regs[2 * r], hi = cpu.regs[2 * r + 1];
      if (r === 4) {
        const delta = (lo >>> 0) + hi * 0x1_0000_0000 - (STACK_TOP - 64);
        lo = delta | 0;
        hi = Math.floor(delta / 0x1_0000_0000) | 0;
      }
      dv.setInt32(rec + 8 + r * 8, lo, true);
      dv.setInt32(rec + 12 + r * 8, hi, true);
    }
    dv.setInt32(rec + 136, cpu.getRflags() & FLAGS_COMPARED, true);
    for (let k = 0; k < SCRATCH_SIZE; k++) out[rec + 144 + k] = mem.u8[h.phys(scratch + k)];
  });
  return { records: out, undefinedFlags };
}
