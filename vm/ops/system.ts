// System and miscellaneous instructions: syscall sysret int3 ud2 hlt, flag bits (cld std clc stc cmc
// stac clac), invlpg, mov to/from control registers, rdtsc, and the ones with no architectural effect
// here (nop pause fences prefetch). Privileged ones raise #GP(0) outside CPL 0.

import type { Cpu } from '../cpu.js';
import type { Decoded } from '../decode.js';
import { VEC_BP } from '../exceptions.js';
import { F_AC, F_CF, F_DF, getCF, materialize } from '../flags.js';
import { Op, ea, gp0, ud } from './common.js';

const nothing: Op = () => {};

function privileged(cpu: Cpu, op: Op): Op {
  return () => {
    if (cpu.cpl !== 0) gp0();
    op();
  };
}

export function compileSystem(cpu: Cpu, d: Decoded): Op {
  const r = cpu.regs;
  const nLo = d.nextLo, nHi = d.nextHi;
  switch (d.mnemonic) {
    case 'nop': case 'pause': case 'lfence': case 'mfence': case 'sfence':
    case 'prefetchnta': case 'prefetcht0': case 'prefetcht1': case 'prefetcht2': case 'prefetchw':
      return nothing; // a prefetch never faults: its address is not even computed
    case 'ud2': return ud;
    case 'int3': return () => { cpu.pendVec = VEC_BP; cpu.pendErr = 0; };
    case 'syscall': return () => cpu.syscallEntry(nLo, nHi);
    case 'sysret': return privileged(cpu, () => cpu.sysret());
    case 'hlt': return privileged(cpu, () => { cpu.halted = true; cpu.limit = 0; });
    case 'rdtsc': return () => {
      const n = cpu.instret;
      r[0] = n % 0x1_0000_0000 | 0;
      r[1] = 0;
      r[4] = Math.floor(n / 0x1_0000_0000) | 0;
      r[5] = 0;
    };
    // lahf/sahf: AH is SF ZF 0 AF 0 PF 1 CF (bits 7 6 4 2 0 of RFLAGS)
    case 'lahf': return () => { materialize(cpu); r[0] = (r[0] & ~0xff00) | (((cpu.rflags & 0xd5) | 2) << 8); };
    case 'sahf': return () => { materialize(cpu); cpu.rflags = (cpu.rflags & ~0xd5) | ((r[0] >>> 8) & 0xd5); };
    case 'cld': return () => { cpu.rflags &= ~F_DF; };
    case 'std': return () => { cpu.rflags |= F_DF; };
    case 'clc': return () => { materialize(cpu); cpu.rflags &= ~F_CF; };
    case 'stc': return () => { materialize(cpu); cpu.rflags |= F_CF; };
    case 'cmc': return () => { const c = getCF(cpu); materialize(cpu); cpu.rflags = (cpu.rflags & ~F_CF) | (c ^ 1); };
    case 'stac': return privileged(cpu, () => { cpu.rflags |= F_AC; cpu.mmu.setAc(true); });
    case 'clac': return privileged(cpu, () => { cpu.rflags &= ~F_AC; cpu.mmu.setAc(false); });
    case 'invlpg': {
      const o = d.operands[0];
      if (o.kind !== 'mem') return ud;
      const m = o.mem;
      return privileged(cpu, () => cpu.mmu.invlpg(ea(cpu, m), cpu.eaHi));
    }
  }
  throw new Error(`system: no semantics for ${d.mnemonic}`);
}

/** mov %crN, %reg and mov %reg, %crN. */
export function compileMovCr(cpu: Cpu, d: Decoded): Op {
  const [a, b] = d.operands;
  const r = cpu.regs;
  const mmu = cpu.mmu;
  if (a.kind === 'cr' && b.kind === 'reg') {
    const cr = a.reg, si = 2 * b.reg;
    return privileged(cpu, () => {
      const v = r[si];
      switch (cr) {
        case 0: mmu.setCr0(v); break;
        case 2: cpu.cr2Lo = v; cpu.cr2Hi = r[si + 1]; break;
        case 3: mmu.setCr3(v >>> 0); break;
        default: mmu.setCr4(v);
      }
    });
  }
  if (a.kind === 'reg' && b.kind === 'cr') {
    const cr = b.reg, di = 2 * a.reg;
    return privileged(cpu, () => {
      let lo: number, hi = 0;
      switch (cr) {
        case 0: lo = mmu.cr0; break;
        case 2: lo = cpu.cr2Lo; hi = cpu.cr2Hi; break;
        case 3: lo = mmu.cr3; break;
        default: lo = mmu.cr4;
      }
      r[di] = lo;
      r[di + 1] = hi;
    });
  }
  return ud;
}
