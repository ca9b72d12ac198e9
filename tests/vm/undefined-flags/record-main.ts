// npm run record:flags [-- --out FILE --any-vendor]: runs every vector natively and writes the recording.
// The committed recording (reference.vectors) must come from the reference CPU, an Intel Xeon: without
// --any-vendor this refuses to run on another vendor's CPU. --any-vendor with --out writes a recording of
// this host elsewhere, to compare CPUs (it must never replace the reference).
import { readFileSync, writeFileSync } from 'node:fs';
import { hostProfile } from '../../host.js';
import { REFERENCE_VECTORS, formatVector, vectorInputs } from './vectors.js';
import { differences, runVectors } from './run.js';

function cpuModel(): string {
  return /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
}

async function main(argv: string[]): Promise<number> {
  const h = hostProfile();
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : REFERENCE_VECTORS;
  const anyVendor = argv.includes('--any-vendor');
  if (!h.x86Linux) {
    console.error(`record:flags: needs x86-64 Linux (this is ${h.platform})`);
    return 2;
  }
  if (h.vendor !== 'GenuineIntel' && !anyVendor) {
    console.error(`record:flags: the reference is an Intel CPU and this one is ${h.vendor}; --any-vendor --out FILE records this host elsewhere`);
    return 2;
  }
  if (anyVendor && out === REFERENCE_VECTORS) {
    console.error('record:flags: --any-vendor needs --out FILE: a non-reference recording never replaces reference.vectors');
    return 2;
  }
  const vectors = await runVectors(vectorInputs(), 'native');
  const head = [
    '# Undefined-flag vectors: instruction | rax rcx rdx rbx (hex) | RFLAGS in | status (0 done, 1 #DE) RFLAGS out (mask 0xcd5)',
    `# Recorded natively on: ${cpuModel()} (${h.vendor}), Linux ${h.kernel}, by npm run record:flags`,
  ];
  writeFileSync(out, `${head.join('\n')}\n${vectors.map(formatVector).join('\n')}\n`);
  const diff = await differences(vectors);
  console.log(`${vectors.length} vectors written to ${out}; faultline differs on ${diff.length}`);
  for (const d of diff.slice(0, 20)) console.log(`  ${d}`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
