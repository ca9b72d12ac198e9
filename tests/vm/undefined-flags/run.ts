// Runs the vectors' instructions natively or on faultline's CPU, through the differential test's harness.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildElf, runNative } from '../diff/harness.js';
import { RECORD_SIZE, programInput, programSource } from '../diff/program.js';
import { runVm } from '../diff/vm-run.js';
import { Vector, VectorInput, vectorCases } from './vectors.js';

const FLAGS = 0xcd5;

function results(inputs: readonly VectorInput[], records: Uint8Array): Vector[] {
  const dv = new DataView(records.buffer, records.byteOffset, records.byteLength);
  return inputs.map((v, i) => ({ ...v, status: dv.getInt32(i * RECORD_SIZE, true), out: dv.getInt32(i * RECORD_SIZE + 136, true) & FLAGS }));
}

/** Each input's status and flags on this host's CPU, or on faultline's. */
export async function runVectors(inputs: readonly VectorInput[], where: 'native' | 'faultline'): Promise<Vector[]> {
  const cases = vectorCases(inputs);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-vectors-'));
  try {
    const elf = await buildElf(programSource(cases), dir, 'faultline');
    const records = where === 'native' ? runNative(elf, dir, cases.length, programInput(cases)) : runVm(elf, cases).records;
    return results(inputs, records);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The vectors where faultline differs from the recording, as readable lines. */
export async function differences(recorded: readonly Vector[]): Promise<string[]> {
  const ours = await runVectors(recorded, 'faultline');
  const out: string[] = [];
  recorded.forEach((r, i) => {
    const o = ours[i];
    if (o.status !== r.status || o.out !== r.out) {
      out.push(`${r.line} (rax rcx rdx rbx ${r.regs.join(' ')}, rflags 0x${r.rflags.toString(16)}): recorded status ${r.status} rflags 0x${r.out.toString(16)}, faultline status ${o.status} rflags 0x${o.out.toString(16)}`);
    }
  });
  return out;
}
