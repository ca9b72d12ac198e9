// Runs GNU as on a source text and reads back what the encoder test compares: the .text bytes,
// the address of every label, and the relocations.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function haveGnuAs(): boolean {
  const r = spawnSync('as', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /GNU assembler/.test(r.stdout);
}

export interface Reloc {
  type: string;
  sym: string;
  addend: bigint;
}

export interface AsResult {
  text: Uint8Array;
  labels: Map<string, number>;
  relocs: Map<number, Reloc>;
  stderr: string;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return r.stdout;
}

/** Assemble src; throws with as's messages when it does not assemble. */
export function gnuAssemble(src: string): AsResult {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-as-'));
  try {
    const s = join(dir, 'x.s'), o = join(dir, 'x.o'), bin = join(dir, 'x.bin');
    writeFileSync(s, src);
    const r = spawnSync('as', [s, '-o', o], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`as failed:\n${r.stderr.split('\n').slice(0, 20).join('\n')}`);
    run('objcopy', ['-O', 'binary', '-j', '.text', o, bin]);
    const labels = new Map<string, number>();
    for (const l of run('nm', ['-n', o]).split('\n')) {
      const m = /^([0-9a-f]+) [tT] (\S+)$/.exec(l);
      if (m) labels.set(m[2], parseInt(m[1], 16));
    }
    const relocs = new Map<number, Reloc>();
    for (const l of run('objdump', ['-r', '-w', o]).split('\n')) {
      const m = /^([0-9a-f]{16}) (R_X86_64_\w+)\s+([^+\-\s]+)([+-]0x[0-9a-f]+)?$/.exec(l);
      if (!m) continue;
      const add = m[4] ? (m[4][0] === '-' ? -1n : 1n) * BigInt(m[4].slice(1)) : 0n;
      relocs.set(parseInt(m[1], 16), { type: m[2], sym: m[3], addend: add });
    }
    return { text: new Uint8Array(readFileSync(bin)), labels, relocs, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The error messages as prints for a source, by 1-based line number. */
export function gnuErrors(src: string): Map<number, string> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-as-'));
  try {
    const s = join(dir, 'x.s');
    writeFileSync(s, src);
    const r = spawnSync('as', [s, '-o', join(dir, 'x.o')], { encoding: 'utf8' });
    const out = new Map<number, string>();
    for (const l of r.stderr.split('\n')) {
      const m = /^.*?:(\d+): Error: (.*)$/.exec(l);
      if (m) out.set(Number(m[1]), m[2]);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
