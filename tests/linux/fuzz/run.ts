// One differential case of the kernel fuzz: generate the program for a seed, build it once with GNU as + ld,
// run the same ELF natively (the tests/linux harness settings) and in faultline, compare stdout and exit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GUEST_ARGV, GUEST_ENV, GUEST_STDIN, LIB_PATH, formatResult, runNative } from '../harness.js';
import { runGuest } from '../../kernel/exec_harness.js';
import { generateProgram } from './gen.js';

export interface FuzzCase {
  seed: number;
  /** Lines the program printed (its steps), natively. */
  lines: number;
  /** null when both sides agree; else what differs, with the seed and the saved source's path. */
  mismatch: string | null;
}

function build(dir: string, source: string): string | null {
  writeFileSync(join(dir, 'prog.s'), source);
  for (const [tool, args] of [['as', ['--64', '-o', 'prog.o', 'prog.s']], ['ld', ['-static', '-z', 'noexecstack', '-o', 'prog', 'prog.o']]] as const) {
    const r = spawnSync(tool, args, { cwd: dir, encoding: 'utf8' });
    if (r.error || r.status !== 0) return `${tool}: ${r.error?.message ?? r.stderr.trim()}`;
  }
  return null;
}

/** The first differing line of two outputs, as a two-line diff with its line number. */
export function firstDifference(native: string, faultline: string): string {
  const a = native.split('\n');
  const b = faultline.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  - native:    ${a[i] ?? '(end)'}\n  + faultline: ${b[i] ?? '(end)'}`;
  }
  return '(identical)';
}

/** Fault counts as "flt=?": for hosts whose counts cannot witness the reference (no zero page). */
export function maskFaultCounts(out: string): string {
  return out.replace(/ flt=\d+/g, ' flt=?');
}

/** One program, both sides; with maskFaults the per-step fault counts are left out of the comparison. */
export function runCase(seed: number, steps: number, maskFaults = false): FuzzCase {
  const source = `${generateProgram(seed, steps)}\n${readFileSync(LIB_PATH, 'utf8')}`;
  const dir = mkdtempSync(join(tmpdir(), 'faultline-kfuzz-'));
  let keep = false;
  try {
    const err = build(dir, source);
    if (err !== null) {
      keep = true;
      return { seed, lines: 0, mismatch: `seed ${seed}: the program does not build (${join(dir, 'prog.s')}): ${err}` };
    }
    let native: string;
    try {
      native = formatResult(runNative({ dir }, 'kernel-fuzz'));
    } catch (e) {
      keep = true;
      return { seed, lines: 0, mismatch: `seed ${seed}: ${join(dir, 'prog')} natively: ${(e as Error).message}` };
    }
    const r = runGuest(readFileSync(join(dir, 'prog')), { argv: GUEST_ARGV, envp: GUEST_ENV, stdin: GUEST_STDIN });
    let ours = formatResult({ stdout: r.stdout, exitCode: r.outcome.exitCode, signal: r.outcome.signal });
    const lines = native.split('\n').length - 1;
    if (maskFaults) {
      native = maskFaultCounts(native);
      ours = maskFaultCounts(ours);
    }
    if (native === ours) return { seed, lines, mismatch: null };
    keep = true;
    writeFileSync(join(dir, 'native.out'), native);
    writeFileSync(join(dir, 'faultline.out'), ours);
    return { seed, lines, mismatch: `seed ${seed} (${steps} steps): source ${join(dir, 'prog.s')}\n${firstDifference(native, ours)}` };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
