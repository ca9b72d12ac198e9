// npm run bench -- cpu [alu|mul|mem|calls ...] [scale]: guest instructions per second of faultline's CPU
// (paging on, CPL 3) on (alu) a register-only ALU loop, (mul) multiplies, shifts and rotates mixing a
// hash, (mem) loads and stores over a 16 MiB array and (calls) calls, returns, pushes and pops, beside the
// same ELF run natively. Instruction counts are known by construction (loop body x iterations).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble, writeElf } from '../asm/assemble.js';
import { VEC_SYSCALL } from '../vm/exceptions.js';
import { loadElf } from '../tests/vm/diff/vm-run.js';
import { timeNative } from './native.js';

interface Workload {
  key: string;
  name: string;
  source: (iters: number) => string;
  /** Instructions executed for `iters`, up to the exit syscall (included). */
  count: (iters: number) => number;
  iters: number;
  /** The iterations for a scale factor (default: iters x scale). */
  scaled?: (scale: number) => number;
}

const EXIT = ['\tmovl $60, %eax', '\txorl %edi, %edi', '\tsyscall'];

const ALU: Workload = {
  key: 'alu',
  name: 'ALU loop (registers only)',
  iters: 10_000_000,
  source: (n) => ['\t.text', '\t.globl _start', '_start:', `\tmovl $${n}, %ecx`, '\tmovl $1, %ebx', '\txorl %eax, %eax',
    '1:', '\taddq %rbx, %rax', '\txorq %rax, %rdx', '\tsubq $3, %rsi', '\tandq %rdx, %rdi', '\torq %rsi, %r8',
    '\taddl %r8d, %r9d', '\tincq %r10', '\tdecq %rcx', '\tjnz 1b', ...EXIT].join('\n') + '\n',
  count: (n) => 3 + 9 * n + 3,
};

const ARRAY_BYTES = 16 * 1024 * 1024;
const STRIDE = 64;
const PER_PASS = ARRAY_BYTES / STRIDE;

const LOADSTORE: Workload = {
  key: 'mem',
  name: 'load/store loop over a 16 MiB array',
  iters: 16, // passes over the array
  source: (n) => ['\t.text', '\t.globl _start', '_start:', '\tleaq arr(%rip), %rsi', `\tmovl $${n}, %r9d`, '\txorl %edx, %edx',
    '2:', '\txorl %ecx, %ecx',
    '1:', '\tmovq (%rsi,%rcx), %rax', '\taddq %rax, %rdx', '\tmovq %rdx, 8(%rsi,%rcx)', `\taddq $${STRIDE}, %rcx`,
    `\tcmpq $${ARRAY_BYTES}, %rcx`, '\tjb 1b', '\tdecl %r9d', '\tjnz 2b', ...EXIT,
    '\t.bss', '\t.balign 4096', 'arr:', `\t.skip ${ARRAY_BYTES}`].join('\n') + '\n',
  count: (n) => 3 + n * (1 + PER_PASS * 6 + 2) + 3,
};

// A 64-bit multiplicative hash (the full-width products the interpreter must get exact), 32-bit
// multiplies, shifts and rotates by immediates and by %cl.
const MUL: Workload = {
  key: 'mul',
  name: 'multiply/shift loop (hash mixing)',
  iters: 4_000_000,
  source: (n) => ['\t.text', '\t.globl _start', '_start:', `\tmovl $${n}, %r9d`, '\tmovabsq $0x9e3779b97f4a7c15, %rbx',
    '\tmovl $5, %ecx', '\tmovq %rbx, %rax',
    '1:', '\timulq %rbx, %rax', '\tmovq %rax, %rdx', '\tshrq $29, %rdx', '\txorq %rdx, %rax', '\trolq $17, %rax',
    '\timull $0x85ebca6b, %eax, %esi', '\tshll %cl, %esi', '\tsarq %cl, %rdx', '\taddq %rsi, %rax', '\trorl $3, %esi',
    '\tdecl %r9d', '\tjnz 1b', ...EXIT].join('\n') + '\n',
  count: (n) => 4 + 12 * n + 3,
};

// A recursive call tree (fib-like: two calls per non-leaf) with pushes and pops around each call.
const CALLS: Workload = {
  key: 'calls',
  name: 'call/ret loop (recursion with pushes and pops)',
  iters: 30, // the depth of the call tree: the work grows by the golden ratio per level
  scaled: (scale) => Math.max(2, Math.round(30 + Math.log(scale) / Math.log(1.618))),
  source: (n) => ['\t.text', '\t.globl _start', '_start:', `\tmovl $${n}, %edi`, '\tcall f', ...EXIT,
        'f:', '\tcmpl $2, %edi', '\tjb 2f', '\tpushq %rbx', '\tpushq %rdi', '\tdecl %edi', '\tcall f',
    '\tpopq %rdi', '\tsubl $2, %edi', '\tcall f', '\tpopq %rbx', '\tret',
    '2:', '\tmovl $1, %eax', '\tret'].join('\n') + '\n',
  count: (n) => 1 + callCount(n) + 3,
};

/** Instructions retired by f(n) of the CALLS workload, its call included: 5 for a leaf, 10 + f(n-1) + f(n-2). */
function callCount(n: number): number {
  let a = 5, b = 5; // f(k-2), f(k-1)
  for (let k = 2; k <= n; k++) [a, b] = [b, 10 + a + b];
  return b;
}

function build(src: string): Uint8Array {
  const r = assemble(src, 'bench.s');
  if (!r.ok) throw new Error(`bench: assembling failed: ${JSON.stringify(r.diagnostics)}`);
  return writeElf(r.image);
}

function runVm(elf: Uint8Array): { seconds: number; instret: number } {
  const h = loadElf(elf);
  const cpu = h.cpu;
  cpu.setCpl(3);
  let exited = false;
  cpu.trap = (v) => {
    if (v !== VEC_SYSCALL) throw new Error(`bench: unexpected exception ${v}`);
    exited = true;
    cpu.stop();
  };
  const entry = h.symbols.get('_start')!;
  cpu.ripLo = entry;
  cpu.ripHi = 0;
  cpu.regs[8] = 0x7ff0_0000 - 64;
  const t0 = process.hrtime.bigint();
  cpu.run(Number.MAX_SAFE_INTEGER);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (!exited) throw new Error('bench: guest did not exit');
  return { seconds, instret: cpu.instret };
}


export async function main(argv: string[]): Promise<void> {
  const scale = Number(argv.find((a) => /^[\d.]+$/.test(a)) ?? 1);
  const all = [ALU, MUL, LOADSTORE, CALLS];
  const picked = all.filter((w) => argv.includes(w.key));
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  const canNative = process.platform === 'linux' && process.arch === 'x64';
  try {
    for (const w of picked.length > 0 ? picked : all) {
      const iters = w.scaled !== undefined ? w.scaled(scale) : Math.max(1, Math.round(w.iters * scale));
      const n = w.count(iters);
      const elf = build(w.source(iters));
      const vm = runVm(elf);
      if (vm.instret !== n) throw new Error(`bench: ${w.name}: expected ${n} instructions, the CPU retired ${vm.instret}`);
      const vmRate = n / vm.seconds / 1e6;
      let line = `${w.key}: ${w.name}: ${(n / 1e6).toFixed(1)} M instructions, faultline ${vmRate.toFixed(1)} M instr/s (${vm.seconds.toFixed(2)} s)`;
      if (canNative) {
        // The native run also pays process start-up and first-touch page faults: a lower bound on its speed.
        const nativeRun = timeNative(elf, dir, 'bench-native', 3);
        const nativeRate = n / nativeRun / 1e6;
        line += `, native ${nativeRate.toFixed(0)} M instr/s (${(nativeRun * 1000).toFixed(1)} ms), native/faultline ${(nativeRate / vmRate).toFixed(0)}x`;
      }
      console.log(line);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
