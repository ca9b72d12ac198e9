#!/usr/bin/env node
// Runs the uvu suites in dist/tests and ends with the one-line summary CI reads: "N passed, M failed, K skipped",
// after the reason of each skip.
// Usage: node scripts/test.mjs [pattern]   (a regular expression on test file paths below dist/tests,
// e.g. 'asm/' or 'kernel/fault': not 'tests/asm/')
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pattern = process.argv[2] ?? '\\.test\\.js$';
const child = spawn(process.execPath, [join(root, 'node_modules/uvu/bin.js'), join(root, 'dist/tests'), pattern, '--no-color'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
child.stdout.on('data', (chunk) => { out += chunk; process.stdout.write(chunk); });
child.on('close', (code) => {
  const num = (label) => Number((out.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? 0);
  const total = num('Total'), passed = num('Passed'), skipped = num('Skipped');
  const failed = Math.max(total - passed - skipped, code === 0 ? 0 : 1);
  // Each skip printed its reason when it was registered (tests/skip.ts); repeat them beside the count.
  const reasons = out.split('\n').filter((l) => l.startsWith('skipped: '));
  if (reasons.length > 0) console.log(`\n${reasons.join('\n')}`);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
