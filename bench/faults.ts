// npm run bench -- faults [pages]: page faults per second through faultline's whole fault path (#PF ->
// exc_page_fault -> do_user_addr_fault -> handle_mm_fault -> do_anonymous_page), from a guest that writes
// one byte to each of 65,536 fresh anonymous pages, beside the same ELF run natively. Both sides subtract
// a run of the same program touching no page, so start-up costs (exec, process creation) cancel out.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble, writeElf } from '../asm/assemble.js';
import { exec } from '../kernel/exec.js';
import { boot } from '../kernel/kernel.js';
import { run } from '../kernel/sched.js';
import { timeNative } from './native.js';

const PAGES = 65_536;

/** mmap N pages, ask for no huge pages (so Linux also takes one fault per page), write a byte to each. */
function source(pages: number): string {
  return [
    '\t.globl _start', '\t.text', '_start:',
    `\tmov $${pages}, %r12d`, '\ttest %r12d, %r12d', '\tjz 2f',
    '\tmov $9, %eax', '\txor %edi, %edi', `\tmov $${pages} * 4096, %rsi`, '\tmov $3, %edx', '\tmov $0x22, %r10d',
    '\tmov $-1, %r8', '\txor %r9d, %r9d', '\tsyscall', '\tmov %rax, %rbx',
    '\tmov $28, %eax', '\tmov %rbx, %rdi', `\tmov $${pages} * 4096, %rsi`, '\tmov $15, %edx', '\tsyscall', // MADV_NOHUGEPAGE
    '1:\tmovb $1, (%rbx)', '\tadd $4096, %rbx', '\tdec %r12d', '\tjnz 1b',
    '2:\tmov $60, %eax', '\txor %edi, %edi', '\tsyscall', '',
  ].join('\n');
}

function build(pages: number): Uint8Array {
  const r = assemble(source(pages), 'faults.s');
  if (!r.ok) throw new Error(`bench faults: assembling failed: ${JSON.stringify(r.diagnostics)}`);
  return writeElf(r.image);
}

/**
 * Seconds for runs in faultline on fresh machines, and the minor faults the last one counted: `cold` is
 * the first run (what one `faultline run` sees, the JIT compiling as it goes), `best` the best of
 * `tries` runs after it. The machine's RAM is touched once before the clock starts: a real machine's RAM
 * exists, while the host hands faultline's ArrayBuffer out lazily, page by page, on first touch (a host
 * page fault that is not the guest's).
 */
function runFaultline(elf: Uint8Array, pages: number, tries: number): { cold: number; best: number; faults: number } {
  let cold = 0;
  let best = Infinity;
  let faults = 0;
  for (let i = 0; i <= tries; i++) {
    const k = boot({ memBytes: pages * 4096 + (64 << 20), io: { readStdin: () => new Uint8Array(0), write: () => {} } });
    for (let a = 0; a < k.mem.size; a += 4096) k.mem.u8[a] |= 0; // commit the host pages
    const t0 = process.hrtime.bigint();
    const t = exec(k, elf, { filename: './faults', argv: ['./faults'], envp: [] });
    if (typeof t === 'string') throw new Error(`bench faults: exec failed: ${t}`);
    run(k);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (t.exit_code !== 0) throw new Error(`bench faults: the guest failed (wait status ${t.exit_code})`);
    if (i === 0) cold = s;
    else best = Math.min(best, s);
    faults = k.stats.minor_faults;
  }
  return { cold, best, faults };
}


export async function main(argv: string[]): Promise<void> {
  const pages = Number(argv.find((a) => /^\d+$/.test(a)) ?? PAGES);
  const full = build(pages);
  const empty = build(0);
  const vm = runFaultline(full, pages, 3);
  const vm0 = runFaultline(empty, 0, 3);
  const rate = (seconds: number): number => pages / Math.max(seconds - vm0.best, 1e-9);
  const vmRate = rate(vm.best);
  let line = `${pages} first-touch writes: faultline ${Math.round(vmRate).toLocaleString('en-US')} faults/s (${((pages / vmRate) * 1000).toFixed(0)} ms, ${vm.faults - vm0.faults} faults counted; first run ${Math.round(rate(vm.cold)).toLocaleString('en-US')} faults/s)`;
  if (process.platform === 'linux' && process.arch === 'x64') {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
    try {
      const nSeconds = Math.max(timeNative(full, dir, 'faults-native', 3) - timeNative(empty, dir, 'faults-native', 3), 1e-9);
      const nRate = pages / nSeconds;
      line += `, native ${Math.round(nRate).toLocaleString('en-US')} faults/s (${(nSeconds * 1000).toFixed(1)} ms), native/faultline ${(nRate / vmRate).toFixed(1)}x`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(line);
}
