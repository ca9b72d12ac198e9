// Kernel messages are coloured when stderr is a terminal, whatever stdout is; NO_COLOR and FORCE_COLOR
// are honoured. The terminal is a real pseudo-terminal, from util-linux's script(1).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { colourWanted } from '../../cli/colour.js';
import { FAULTLINE, Scratch, faultline, lines } from './cli-helpers.js';

const scratch = new Scratch();
const ESC = '\u001b[';
const NULL_READ = lines('\t.globl _start', '_start:', '\tmov 0, %rax');

/** Runs a shell line on a pseudo-terminal; what the terminal showed, or null without script(1). */
function onTerminal(line: string, env: Record<string, string> = {}): string | null {
  const clean: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
  delete clean.NO_COLOR;
  delete clean.FORCE_COLOR;
  const r = spawnSync('script', ['-qec', line, '/dev/null'], { encoding: 'utf8', env: { ...clean, ...env } });
  return r.error !== undefined ? null : r.stdout;
}

test('stdout redirected to a file, stderr on a terminal: the segfault line is coloured', () => {
  const p = scratch.file('null.s', NULL_READ);
  const out = `${scratch.dir}/out`;
  const shown = onTerminal(`${FAULTLINE} run '${p}' > '${out}'`);
  if (shown === null) {
    console.log('  (skipped: script(1) from util-linux is not installed)');
    return;
  }
  assert.match(shown, 'segfault at 0');
  assert.ok(shown.includes(ESC), `no colour in: ${JSON.stringify(shown)}`);
  assert.is(readFileSync(out, 'utf8'), '');
  const plain = onTerminal(`${FAULTLINE} run '${p}' > '${out}'`, { NO_COLOR: '1' });
  assert.ok(plain !== null && plain.includes('segfault at 0') && !plain.includes(ESC), 'NO_COLOR turns it off');
});

test('stderr not a terminal: no colour, unless FORCE_COLOR', () => {
  const p = scratch.file('null2.s', NULL_READ);
  assert.not.ok(faultline(['run', p]).stderr.includes(ESC));
  assert.ok(faultline(['run', p], '', { FORCE_COLOR: '1' }).stderr.includes(ESC));
  assert.not.ok(faultline(['run', p], '', { FORCE_COLOR: '0' }).stderr.includes(ESC));
});

test('the decision: NO_COLOR over FORCE_COLOR over TERM=dumb over the terminal', () => {
  assert.is(colourWanted({}, true), true);
  assert.is(colourWanted({}, false), false);
  assert.is(colourWanted({ NO_COLOR: '1', FORCE_COLOR: '1' }, true), false);
  assert.is(colourWanted({ NO_COLOR: '' }, true), true); // an empty NO_COLOR is unset (no-color.org)
  assert.is(colourWanted({ FORCE_COLOR: 'false' }, true), false);
  assert.is(colourWanted({ FORCE_COLOR: '' }, false), true);
  assert.is(colourWanted({ TERM: 'dumb' }, true), false);
});

test.after(() => scratch.remove());

test.run();
