// Vectors for the flags the SDM leaves undefined: one instruction per vector, with its inputs (rax rcx rdx
// rbx and RFLAGS) and, once recorded on the reference CPU (record-main.ts), the status and RFLAGS it produced
// there. faultline's CPU is checked against the recording on every host (tests/vm/undefined-flags.test.ts),
// so undefined-flag fidelity does not depend on the host's vendor.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DiffCase, Rng, SCRATCH_SIZE } from '../diff/gen.js';

/** The recording in the source tree (this file runs from dist/tests/vm/undefined-flags). */
export const REFERENCE_VECTORS = fileURLToPath(new URL('../../../../tests/vm/undefined-flags/reference.vectors', import.meta.url));

export interface VectorInput {
  line: string;
  /** rax rcx rdx rbx as 16 hex digits each. */
  regs: [string, string, string, string];
  rflags: number;
}

export interface Vector extends VectorInput {
  /** 0 completed, else 1 + exception vector (#DE is 1). */
  status: number;
  /** RFLAGS after it, CF PF AF ZF SF OF DF (mask 0xcd5). */
  out: number;
}

const SUFFIX: Record<number, string> = { 1: 'b', 2: 'w', 4: 'l', 8: 'q' };
const REG: Record<number, [string, string]> = { 1: ['bl', 'cl'], 2: ['bx', 'cx'], 4: ['ebx', 'ecx'], 8: ['rbx', 'rcx'] };
const PER_FORM = 12;

/** Every form whose undefined flags faultline models, as AT&T lines over rax rcx rdx rbx. */
function forms(): string[] {
  const out: string[] = [];
  for (const size of [1, 2, 4, 8]) {
    const [b, c] = REG[size], s = SUFFIX[size];
    out.push(`mul${s} %${b}`, `imul${s} %${b}`, `div${s} %${b}`, `idiv${s} %${b}`);
    if (size > 1) out.push(`imul${s} %${b}, %${c}`, `imul${s} $-3, %${b}, %${c}`);
    for (const op of ['and', 'or', 'xor', 'test']) out.push(`${op}${s} %${b}, %${c}`);
    for (const op of ['shl', 'shr', 'sar', 'rol', 'ror']) {
      out.push(`${op}${s} %${b}`, `${op}${s} %cl, %${b}`);
      for (const n of [2, 7, size * 8 - 1, size * 8, 31, 63]) out.push(`${op}${s} $${n}, %${b}`);
    }
  }
  return [...new Set(out)];
}

function hex16(g: Rng, small: boolean): string {
  const hi = small ? 0 : g.u32();
  const lo = small ? g.int(64) : g.u32();
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** The inputs, the same on every machine. Divisions get a small rdx:rax high half so most complete. */
export function vectorInputs(): VectorInput[] {
  const g = new Rng(0x5d31);
  const out: VectorInput[] = [];
  for (const line of forms()) {
    for (let k = 0; k < PER_FORM; k++) {
      const div = /^i?div/.test(line);
      const rax = hex16(g, false), rcx = hex16(g, !div && g.chance(0.5)), rdx = div ? '0000000000000000' : hex16(g, false);
      const rbx = hex16(g, false);
      out.push({ line, regs: [rax, rcx, rdx, rbx], rflags: (g.u32() & 0x8d5) | 2 });
    }
  }
  return out;
}

function halves(hex: string): [number, number] {
  return [parseInt(hex.slice(8), 16) | 0, parseInt(hex.slice(0, 8), 16) | 0];
}

/** The inputs as differential-test cases (other registers zero, scratch zero). */
export function vectorCases(inputs: readonly VectorInput[]): DiffCase[] {
  return inputs.map((v) => {
    const regs = new Int32Array(32);
    v.regs.forEach((h, r) => { [regs[2 * r], regs[2 * r + 1]] = halves(h); });
    return { lines: [v.line], count: 1, regs, rflags: v.rflags, scratch: new Uint8Array(SCRATCH_SIZE) };
  });
}

/** One vector a line: `LINE | rax rcx rdx rbx | rflags-in | status rflags-out`. */
export function formatVector(v: Vector): string {
  return `${v.line} | ${v.regs.join(' ')} | ${v.rflags.toString(16)} | ${v.status} ${v.out.toString(16)}`;
}

export function parseVectors(text: string): Vector[] {
  const out: Vector[] = [];
  for (const raw of text.split('\n')) {
    if (raw.startsWith('#') || raw.trim() === '') continue;
    const [line, regs, fin, res] = raw.split(' | ');
    const [status, fout] = res.split(' ');
    out.push({ line, regs: regs.split(' ') as Vector['regs'], rflags: parseInt(fin, 16), status: Number(status), out: parseInt(fout, 16) });
  }
  return out;
}

export function readReference(): Vector[] | null {
  try {
    return parseVectors(readFileSync(REFERENCE_VECTORS, 'utf8'));
  } catch {
    return null;
  }
}
