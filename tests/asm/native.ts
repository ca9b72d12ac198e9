// Helpers for comparing faultline's output with GNU as + ld on this machine (not a test file).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble } from '../../asm/assemble.js';
import { writeElf, readElf } from '../../asm/elf.js';

export function haveBinutils(): boolean {
  return ['as', 'ld', 'readelf'].every((t) => spawnSync(t, ['--version']).status === 0);
}

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'faultline-asm-'));

/** as + ld into dir/name.ld; returns the path or throws with their stderr. */
export function buildNative(src: string, dir: string, name: string): string {
  const s = join(dir, `${name}.s`);
  writeFileSync(s, src);
  const obj = join(dir, `${name}.o`);
  const exe = join(dir, `${name}.ld`);
  const a = spawnSync('as', [s, '-o', obj], { encoding: 'utf8' });
  if (a.status !== 0) throw new Error(`as failed: ${a.stderr}`);
  const l = spawnSync('ld', [obj, '-o', exe], { encoding: 'utf8' });
  if (l.status !== 0) throw new Error(`ld failed: ${l.stderr}`);
  return exe;
}

/** faultline's assembler into dir/name.fl; returns the path or throws with the diagnostics. */
export function buildFaultline(src: string, dir: string, name: string): string {
  const r = assemble(src, `${name}.s`);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.msg}`).join('\n'));
  const exe = join(dir, `${name}.fl`);
  writeFileSync(exe, writeElf(r.image));
  chmodSync(exe, 0o755);
  return exe;
}

function readelf(args: string[], file: string): string {
  const r = spawnSync('readelf', [...args, file], { encoding: 'utf8' });
  return r.stdout + r.stderr;
}

/** Program headers and allocated section headers, as readelf prints them. */
export function layoutOf(file: string): string {
  const text = readelf(['-lSW'], file);
  return text
    .split('\n')
    .filter((l) => /^\s+(LOAD|GNU_STACK)\s/.test(l) || (/^\s+\[\s*\d+\]/.test(l) && !/\.(symtab|strtab|shstrtab)\s/.test(l)))
    .join('\n');
}

/** Symbols as "value bind type section name" lines, sorted (ld orders globals by hash; FILE names differ). */
export function symbolsOf(file: string): string[] {
  const elf = readElf(readFileSync(file));
  if (typeof elf === 'string') throw new Error(elf);
  return elf.symbols
    .filter((s) => s.type !== 4 && s.name !== '')
    .map((s) => `${s.value.toString(16)} ${s.bind} ${s.type} ${s.size} ${s.section ?? 'ABS'} ${s.name}`)
    .sort();
}

/** Each allocated section's name, address and bytes, in hex. */
export function contentsOf(file: string): string[] {
  const elf = readElf(readFileSync(file));
  if (typeof elf === 'string') throw new Error(elf);
  return elf.sections
    .filter((s) => (s.flags & 2) !== 0)
    .map((s) => `${s.name} ${s.addr.toString(16)} ${s.type === 8 ? `nobits ${s.size}` : Buffer.from(elf.bytes.subarray(s.offset, s.offset + s.size)).toString('hex')}`);
}

export function runNative(exe: string): { stdout: string; status: number | null; signal: string | null } {
  const r = spawnSync('setarch', ['-R', exe], { encoding: 'utf8', timeout: 10000 });
  return { stdout: r.stdout, status: r.status, signal: r.signal };
}
