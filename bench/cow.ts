// npm run bench -- cow [rounds]: fork and copy-on-write. A process with 64 MiB resident (16,384 pages it
// wrote) forks; the child writes one byte in each of its 16,384 pages (one COW fault each: wp_page_copy)
// and exits; the parent waits. Repeated 8 times, in faultline and natively with the same ELF.
// Three variants of the program are timed, and their differences give the figures on both sides:
//   populate only                          (start-up + 64 MiB of first-touch faults; native only)
//   + rounds x (fork, child exits at once)  -> fork latency (fork + exit + wait4 of an untouched child)
//   + rounds x (fork, child writes all)     -> COW faults per second (the difference with the line above)
// In faultline the fork syscall alone is also timed from the host (the time inside sys_fork), and so is each
// round trip from fork's entry to the return of the wait4 that reaps the child (mean and median of 8x the
// rounds; the native figure is the mean of as many).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble, writeElf } from '../asm/assemble.js';
import { exec } from '../kernel/exec.js';
import { boot } from '../kernel/kernel.js';
import { run } from '../kernel/sched.js';
import { __NR_fork, __NR_wait4, sys_call_table } from '../kernel/syscalls/index.js';
import { timeNative } from './native.js';

const PAGES = 16_384;
const ROUNDS = 8;
type Mode = 'populate' | 'fork' | 'cow';

/** mmap 64 MiB (no huge pages, so Linux also has 4 KiB ptes), write every page, then the rounds. */
function source(mode: Mode, rounds: number): string {
  const n = mode === 'populate' ? 0 : rounds;
  const childWrites = mode === 'cow';
  return [
    '\t.globl _start', '\t.text', '_start:',
    '\tmov $9, %eax', '\txor %edi, %edi', `\tmov $${PAGES} * 4096, %rsi`, '\tmov $3, %edx', '\tmov $0x22, %r10d',
    '\tmov $-1, %r8', '\txor %r9d, %r9d', '\tsyscall', '\tmov %rax, %rbx',
    '\tmov $28, %eax', '\tmov %rbx, %rdi', `\tmov $${PAGES} * 4096, %rsi`, '\tmov $15, %edx', '\tsyscall', // MADV_NOHUGEPAGE
    '\tcall touch',
    `\tmov $${n}, %r15d`, '\ttest %r15d, %r15d', '\tjz 9f',
    '1:\tmov $57, %eax', '\tsyscall', '\ttest %rax, %rax', '\tjz child', '\tjs 8f',
    '\tmov %rax, %rdi', '\txor %esi, %esi', '\txor %edx, %edx', '\txor %r10d, %r10d', '\tmov $61, %eax', '\tsyscall',
    '\tdec %r15d', '\tjnz 1b',
    '9:\tmov $60, %eax', '\txor %edi, %edi', '\tsyscall',
    '8:\tmov $60, %eax', '\tmov $1, %edi', '\tsyscall',
    'child:', ...(childWrites ? ['\tcall touch'] : []), '\tmov $60, %eax', '\txor %edi, %edi', '\tsyscall',
    'touch:', '\tmov %rbx, %rcx', `\tmov $${PAGES}, %edx`, '2:\tmovb $1, (%rcx)', '\tadd $4096, %rcx', '\tdec %edx', '\tjnz 2b', '\tret', '',
  ].join('\n');
}

function build(mode: Mode, rounds: number): Uint8Array {
  const r = assemble(source(mode, rounds), 'cow.s');
  if (!r.ok) throw new Error(`bench cow: assembling failed: ${JSON.stringify(r.diagnostics)}`);
  return writeElf(r.image);
}

interface VmRun {
  seconds: number;
  forkSeconds: number;
  /** From each fork's entry to the end of the wait4 that reaped that child, summed. */
  roundSeconds: number;
  /** The same, round by round. */
  rounds: number[];
  copies: number;
}

/** Best of `tries` runs in faultline; the fork syscall's own time is measured by wrapping its table entry. */
function runFaultline(elf: Uint8Array, tries: number): VmRun {
  let best: VmRun = { seconds: Infinity, forkSeconds: 0, roundSeconds: 0, rounds: [], copies: 0 };
  const fork = sys_call_table[__NR_fork];
  const wait4 = sys_call_table[__NR_wait4];
  if (fork === undefined || wait4 === undefined) throw new Error('bench cow: fork or wait4 is not in the syscall table');
  for (let i = 0; i < tries; i++) {
    const k = boot({ memBytes: 256 << 20, io: { readStdin: () => new Uint8Array(0), write: () => {} } });
    for (let a = 0; a < k.mem.size; a += 4096) k.mem.u8[a] |= 0; // commit the host pages first
    let forkNs = 0n;
    let roundNs = 0n;
    let roundStart = 0n;
    const rounds: number[] = [];
    sys_call_table[__NR_wait4] = (kk, regs) => {
      const pid = wait4(kk, regs);
      if (pid > 0) {
        const ns = process.hrtime.bigint() - roundStart;
        roundNs += ns;
        rounds.push(Number(ns) / 1e9);
      }
      return pid;
    };
    sys_call_table[__NR_fork] = (kk, regs) => {
      const t0 = process.hrtime.bigint();
      roundStart = t0;
      try {
        return fork(kk, regs);
      } finally {
        forkNs += process.hrtime.bigint() - t0;
      }
    };
    try {
      const t0 = process.hrtime.bigint();
      const t = exec(k, elf, { filename: './cow', argv: ['./cow'], envp: [] });
      if (typeof t === 'string') throw new Error(`bench cow: exec failed: ${t}`);
      run(k);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (t.exit_code !== 0) throw new Error(`bench cow: the guest failed (wait status ${t.exit_code})`);
      if (seconds < best.seconds) best = { seconds, forkSeconds: Number(forkNs) / 1e9, roundSeconds: Number(roundNs) / 1e9, rounds, copies: k.stats.cow_copies };
    } finally {
      sys_call_table[__NR_fork] = fork;
      sys_call_table[__NR_wait4] = wait4;
    }
  }
  return best;
}


const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export async function main(argv: string[]): Promise<void> {
  const rounds = Number(argv.find((a) => /^\d+$/.test(a)) ?? ROUNDS);
  const elfs = { populate: build('populate', rounds), fork: build('fork', rounds), cow: build('cow', rounds) };
  const vmF = runFaultline(elfs.fork, 2);
  const vmC = runFaultline(elfs.cow, 2);
  // The fork latency, like native's below, from 8 times more rounds (the JIT warm, noise averaged out).
  const vmF8 = runFaultline(build('fork', rounds * 8), 2);
  const vmForkRound = vmF8.roundSeconds / (rounds * 8);
  const sorted = vmF8.rounds.slice().sort((a, b) => a - b);
  const vmForkMedian = sorted[sorted.length >> 1];
  const vmCowSeconds = Math.max(vmC.seconds - vmF.seconds, 1e-9);
  const faults = rounds * PAGES;
  const vmRate = faults / vmCowSeconds;
  console.log(`${rounds} rounds, a 64 MiB parent (${PAGES} pages), ${faults} COW faults in the children (${vmC.copies} wp_page_copy counted)`);
  console.log(`faultline: fork syscall ${(1000 * vmF8.forkSeconds / (rounds * 8)).toFixed(2)} ms, fork+exit+wait ${(1000 * vmForkRound).toFixed(2)} ms ` +
    `(median ${(1000 * vmForkMedian).toFixed(2)} ms), ` +
    `${fmt(vmRate)} COW faults/s (${(vmCowSeconds * 1000).toFixed(0)} ms)`);
  if (process.platform !== 'linux' || process.arch !== 'x64') return;
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  try {
    const n0 = timeNative(elfs.populate, dir, 'populate', 5);
    const nF = timeNative(elfs.fork, dir, 'fork', 5);
    const nC = timeNative(elfs.cow, dir, 'cow', 5);
    // The fork latency from 8 times more rounds, so the noise of the 64 MiB populate step averages out.
    const nF8 = timeNative(build('fork', rounds * 8), dir, 'fork8', 5);
    const nForkRound = Math.max(nF8 - n0, 1e-9) / (rounds * 8);
    const nCowSeconds = Math.max(nC - nF, 1e-9);
    const nRate = faults / nCowSeconds;
    console.log(`native:    fork+exit+wait ${(1000 * nForkRound).toFixed(2)} ms, ${fmt(nRate)} COW faults/s (${(nCowSeconds * 1000).toFixed(1)} ms)`);
    console.log(`faultline/native: COW faults/s ${(vmRate / nRate).toFixed(2)}x, fork+exit+wait ${(vmForkRound / nForkRound).toFixed(1)}x as long`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
