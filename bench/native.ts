// Running the same ELF natively, for the benchmarks' side-by-side figures.

import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `elf` to dir/name, runs it `tries` times, and returns the best wall time in seconds. */
export function timeNative(elf: Uint8Array, dir: string, name: string, tries: number): number {
  const exe = join(dir, name);
  writeFileSync(exe, elf);
  chmodSync(exe, 0o755);
  let best = Infinity;
  for (let i = 0; i < tries; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(exe, []);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`native run of ${name} failed (status ${r.status}, signal ${r.signal})`);
    best = Math.min(best, s);
  }
  return best;
}
