// Test helper: a machine running a snippet of assembly (faultline's assembler, ELF loaded with paging
// on by diff/vm-run.ts). Every trap is recorded with the state at delivery and stops the run unless a
// test installs its own handler.

import { assemble, writeElf } from '../../asm/assemble.js';
import { VmHarness, STACK_TOP, loadElf } from './diff/vm-run.js';

export interface Trap {
  vector: number;
  errorCode: number;
  rip: number;
  cpl: number;
}

export interface TestMachine extends VmHarness {
  traps: Trap[];
  sym(name: string): number;
  /** A 64-bit register as a JS number (exact below 2^53). */
  reg(n: number): number;
  setReg(n: number, v: number): void;
  rip(): number;
}

export function machine(body: string, opts: { cpl?: 0 | 3; writableText?: boolean; data?: string } = {}): TestMachine {
  const src = `\t.text\n\t.globl _start\n_start:\n${body}\n${opts.data ?? ''}\n`;
  const r = assemble(src, 'test.s');
  if (!r.ok) throw new Error(`test program does not assemble: ${JSON.stringify(r.diagnostics)}`);
  const h = loadElf(writeElf(r.image), { writableText: opts.writableText });
  const traps: Trap[] = [];
  const m: TestMachine = {
    ...h,
    traps,
    sym(name) {
      const v = h.symbols.get(name);
      if (v === undefined) throw new Error(`no symbol ${name}`);
      return v;
    },
    reg: (n) => h.cpu.regs[2 * n + 1] * 0x1_0000_0000 + (h.cpu.regs[2 * n] >>> 0),
    setReg(n, v) {
      const hi = Math.floor(v / 0x1_0000_0000);
      h.cpu.regs[2 * n] = (v - hi * 0x1_0000_0000) | 0;
      h.cpu.regs[2 * n + 1] = hi | 0;
    },
    rip: () => h.cpu.ripHi * 0x1_0000_0000 + (h.cpu.ripLo >>> 0),
  };
  const cpu = h.cpu;
  cpu.trap = (vector, errorCode) => {
    traps.push({ vector, errorCode, rip: m.rip(), cpl: cpu.cpl });
    cpu.stop();
  };
  cpu.setCpl(opts.cpl ?? 3);
  cpu.ripLo = m.sym('_start');
  cpu.ripHi = 0;
  m.setReg(4, STACK_TOP - 64);
  return m;
}
