import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/faultline.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

test('--help lists the commands and exits 0', () => {
  const r = run('--help');
  assert.is(r.status, 0);
  for (const c of ['asm', 'disasm', 'run']) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'));
});

test('--help lists --version, and faultline --version prints the version', () => {
  assert.match(run('--help').stdout, /^  --version /m);
  const r = run('--version');
  assert.is(r.status, 0);
  assert.match(r.stdout, /^faultline \d+\.\d+\.\d+\n$/);
});

test('an unknown command is one line on stderr and exit 2', () => {
  const r = run('frobnicate');
  assert.is(r.status, 2);
  assert.is(r.stderr, "faultline: unknown command 'frobnicate' (try 'faultline --help')\n");
});

test.run();
