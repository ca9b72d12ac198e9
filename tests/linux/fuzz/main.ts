// npm run fuzz:kernel -- [programs] [seed] [--steps N] [--all]: the differential fuzz of faultline's memory
// management against this machine's Linux for that many generated programs (default 200, 40 steps each),
// seeds counting up from `seed`. Stops at the first mismatch unless --all.
import { featureMissing } from '../../host.js';
import { missingTools } from '../harness.js';
import { runCase } from './run.js';

function main(argv: string[]): number {
  const stepsAt = argv.indexOf('--steps');
  const steps = stepsAt >= 0 ? Number(argv[stepsAt + 1]) : 40;
  const nums = argv.filter((a, i) => /^\d+$/.test(a) && (stepsAt < 0 || i !== stepsAt + 1)).map(Number);
  const count = nums[0] ?? 200;
  const first = nums[1] ?? (Date.now() & 0x7fffffff);
  const all = argv.includes('--all');
  const missing = missingTools();
  if (missing) {
    console.error(`fuzz:kernel: ${missing}; the differential fuzz needs GNU as, ld and a Linux x86-64 host`);
    return 2;
  }
  const noZeroPage = featureMissing('zero-page');
  if (noZeroPage) console.log(`fault counts masked (flt=?): ${noZeroPage}`);
  let lines = 0, failed = 0;
  const t0 = Date.now();
  for (let i = 0; i < count; i++) {
    const c = runCase((first + i) >>> 0, steps, noZeroPage !== null);
    lines += c.lines;
    if (c.mismatch !== null) {
      failed++;
      console.log(c.mismatch);
      if (!all) break;
    }
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`${count} programs of ${steps} steps from seed ${first}: ${lines} lines, ${failed} mismatching (${secs} s)`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
