// The differential test end to end: generate cases, build one ELF, run it natively and on faultline's
// CPU, compare record by record. Used by tests/vm/cpu-diff.test.ts and tests/vm/fuzz-cpu-main.ts.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiffCase, SCRATCH_SIZE, genCases, regName } from './gen.js';
import { RECORD_SIZE, programInput, programSource } from './program.js';
import { runVm } from './vm-run.js';

/** Which assembler builds the test ELF: 'gnu' (as + ld) or 'faultline' (asm/assemble.ts). */
export type Assembler = 'gnu' | 'faultline';

export function gnuToolsMissing(): string | null {
  for (const tool of ['as', 'ld']) {
    const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (r.error || r.status !== 0) return `${tool} not found`;
  }
  return null;
}

/** The one place the test source becomes an ELF. */
export async function buildElf(source: string, dir: string, assembler: Assembler): Promise<Uint8Array> {
  if (assembler === 'faultline') {
    const { assemble, writeElf } = await import('../../../asm/assemble.js');
    const res = assemble(source, 'diff.s');
    if (!res.ok) throw new Error(`faultline asm failed: ${JSON.stringify(res).slice(0, 2000)}`);
    return writeElf(res.image);
  }
  const s = join(dir, 'diff.s'), o = join(dir, 'diff.o'), exe = join(dir, 'diff');
  writeFileSync(s, source);
  for (const [cmd, args] of [['as', ['-o', o, s]], ['ld', ['-o', exe, o]]] as const) {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  }
  return new Uint8Array(readFileSync(exe));
}

export function runNative(elf: Uint8Array, dir: string, n: number, input: Uint8Array): Uint8Array {
  const exe = join(dir, 'diff-native');
  writeFileSync(exe, elf);
  chmodSync(exe, 0o755);
  const r = spawnSync(exe, [], { input, maxBuffer: n * RECORD_SIZE + 1024 });
  if (r.status !== 0) throw new Error(`native run failed: status ${r.status} signal ${r.signal}`);
  const out = new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength);
  if (out.length !== n * RECORD_SIZE) throw new Error(`native run wrote ${out.length} bytes, expected ${n * RECORD_SIZE}`);
  return out;
}

const REG64 = Array.from({ length: 16 }, (_, r) => regName(r, 8));

function hex64(dv: DataView, off: number): string {
  return `0x${dv.getUint32(off + 4, true).toString(16).padStart(8, '0')}${dv.getUint32(off, true).toString(16).padStart(8, '0')}`;
}

function describeRecord(rec: Uint8Array): string {
  const dv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  const status = dv.getInt32(0, true);
  const lines = [`  status: ${status === 0 ? 'completed' : `exception vector ${status - 1}`}`];
  for (let r = 0; r < 16; r++) lines.push(`  ${r === 4 ? 'rsp-delta' : REG64[r]}: ${hex64(dv, 8 + r * 8)}`);
  lines.push(`  rflags: 0x${(dv.getUint32(136, true) & 0xcd5 | 0).toString(16)} (CF PF AF ZF SF OF DF mask 0xcd5)`);
  lines.push(`  scratch: ${Buffer.from(rec.subarray(144, 144 + SCRATCH_SIZE)).toString('hex')}`);
  return lines.join('\n');
}

/**
 * Compares one record: registers (rsp as delta; r15 is the scratch address on both sides), the flags of
 * flagMask (CF PF AF ZF SF OF DF unless some are undefined and masked), scratch.
 */
function sameRecord(a: Uint8Array, b: Uint8Array, flagMask: number): string | null {
  const da = new DataView(a.buffer, a.byteOffset, a.byteLength), db = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (da.getInt32(0, true) !== db.getInt32(0, true)) return 'status';
  for (let r = 0; r < 16; r++) {
    if (r === 15) continue;
    const o = 8 + r * 8;
    if (da.getInt32(o, true) !== db.getInt32(o, true) || da.getInt32(o + 4, true) !== db.getInt32(o + 4, true)) return REG64[r];
  }
  const fa = da.getInt32(136, true) & flagMask, fb = db.getInt32(136, true) & flagMask;
  if (fa !== fb) return `rflags (native ^ faultline = 0x${(fa ^ fb).toString(16)})`;
  for (let k = 0; k < SCRATCH_SIZE; k++) if (a[144 + k] !== b[144 + k]) return `scratch byte ${k}`;
  return null;
}

/**
 * 'all': every flag is compared, the ones the SDM leaves undefined too (a host whose CPU is the one faultline
 * models). 'defined': flags left undefined are masked, and cases that read one are not compared.
 */
export type FlagMode = 'all' | 'defined';

export interface DiffResult {
  cases: number;
  instructions: number;
  /** The first mismatch, fully described, or null. */
  mismatch: string | null;
  /** Cases that ended in an exception (#DE), natively; counted over every case. */
  exceptions: number;
  /** Cases where faultline and the host agree on the exception, counted over every case. */
  sameExceptions: number;
  /** 'defined' mode: cases compared with some undefined flags masked, and cases not compared at all. */
  masked: number;
  uncompared: number;
}

export function describeCase(c: DiffCase, i: number): string {
  const regs = Array.from({ length: 16 }, (_, r) => `  ${REG64[r]}: 0x${(c.regs[2 * r + 1] >>> 0).toString(16).padStart(8, '0')}${(c.regs[2 * r] >>> 0).toString(16).padStart(8, '0')}`);
  return [`case ${i}:`, ...c.lines.map((l) => `    ${l}`), 'initial state (rsp and r15 set by the harness):', ...regs,
    `  rflags: 0x${c.rflags.toString(16)}`, `  scratch: ${Buffer.from(c.scratch).toString('hex')}`].join('\n');
}

const FLAGS = 0xcd5;

/** Generates `n` cases from `seed`, runs both sides, and reports the first difference. */
export async function differential(seed: number, n: number, length: number, assembler: Assembler, flags: FlagMode = 'all'): Promise<DiffResult> {
  const cases = genCases(seed, n, length);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-diff-'));
  try {
    const elf = await buildElf(programSource(cases), dir, assembler);
    const native = runNative(elf, dir, n, programInput(cases));
    const vm = runVm(elf, cases, flags === 'defined');
    const r: DiffResult = { cases: n, instructions: cases.reduce((s, c) => s + c.count, 0), mismatch: null, exceptions: 0, sameExceptions: 0, masked: 0, uncompared: 0 };
    for (let i = 0; i < n; i++) {
      const a = native.subarray(i * RECORD_SIZE, (i + 1) * RECORD_SIZE);
      const b = vm.records.subarray(i * RECORD_SIZE, (i + 1) * RECORD_SIZE);
      if (a[0] !== 0) r.exceptions++;
      if (a[0] !== 0 && a[0] === b[0]) r.sameExceptions++;
      const undef = vm.undefinedFlags?.[i] ?? 0;
      if (undef === -1) {
        r.uncompared++;
        continue;
      }
      if (undef !== 0) r.masked++;
      const diff = sameRecord(a, b, FLAGS & ~undef);
      if (diff !== null && r.mismatch === null) {
        const masked = undef !== 0 ? ` (flags 0x${undef.toString(16)} undefined here, masked)` : '';
        r.mismatch = [`first mismatch (${diff}) in ${describeCase(cases[i], i)}${masked}`, 'native:', describeRecord(a), 'faultline:', describeRecord(b)].join('\n');
      }
    }
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
