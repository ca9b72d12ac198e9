// The kernel labs end to end: faultline's own kernel scores full marks, a freshly started tree scores 0
// with every failing test saying what it expected, a tree with the reference functions written back scores
// full marks, and a wrong solution loses exactly the tests it should. Also the CLI: list, usage errors,
// --json, exit statuses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gradeLab } from '../../cli/lab/grade.js';
import { LABS, findLab } from '../../cli/lab/labs.js';
import { functionBody } from '../../cli/lab/stub.js';
import { ROOT, startLab } from '../../cli/lab/tree.js';
import { WRONG, applyWrong } from './wrong-solutions.js';

const work = mkdtempSync(join(tmpdir(), 'faultline-labs-'));
const BIN = join(ROOT, 'bin/faultline.js');

function faultline(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function started(name: string, tag: string): string {
  const dir = join(work, `${name}-${tag}`);
  const err = startLab(findLab(name)!, dir);
  assert.is(err, null);
  return dir;
}

/** Writes faultline's own body of `name` over the stub in the tree. */
function applyReference(dir: string, file: string, name: string): void {
  const reference = readFileSync(join(ROOT, file), 'utf8');
  const ref = functionBody(reference, name)!;
  const path = join(dir, file);
  const src = readFileSync(path, 'utf8');
  const stub = functionBody(src, name)!;
  writeFileSync(path, src.slice(0, stub.open) + reference.slice(ref.open, ref.close + 1) + src.slice(stub.close + 1));
}

for (const lab of LABS) {
  test(`lab ${lab.name}: faultline's own kernel scores full marks`, async () => {
    const r = await gradeLab(lab, ROOT);
    assert.equal(r.tests.filter((t) => !t.ok).map((t) => `${t.program}: ${t.message}`), []);
    assert.is(r.score, r.max);
  });

  test(`lab ${lab.name}: the starter has stubs and scores 0, each failure saying what it expected`, async () => {
    const dir = started(lab.name, 'starter');
    for (const f of lab.functions) {
      const src = readFileSync(join(dir, f.file), 'utf8');
      const b = functionBody(src, f.name)!;
      assert.match(src.slice(b.open, b.close), `LAB ${lab.name}: write ${f.name}`);
    }
    assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), `# Lab ${lab.name}`);
    const r = await gradeLab(lab, dir);
    assert.is(r.score, 0);
    for (const t of r.tests) assert.match(t.message ?? '', /^line \d+: expected "/);
  });

  test(`lab ${lab.name}: the reference functions written into the starter score full marks`, async () => {
    const dir = started(lab.name, 'solved');
    for (const f of lab.functions) applyReference(dir, f.file, f.name);
    const r = await gradeLab(lab, dir);
    assert.is(r.score, r.max);
  });
}

for (const w of WRONG) {
  test(`lab ${w.lab}: a solution that ${w.what} fails exactly ${w.fails.join(', ')}`, async () => {
    const lab = findLab(w.lab)!;
    const dir = started(w.lab, 'wrong');
    for (const f of lab.functions) if (f.name !== w.fn) applyReference(dir, f.file, f.name);
    applyWrong(dir, w);
    const r = await gradeLab(lab, dir);
    assert.equal(r.tests.filter((t) => !t.ok).map((t) => t.program).sort(), [...w.fails].sort());
    const lost = lab.tests.filter((t) => w.fails.includes(t.program)).reduce((s, t) => s + t.points, 0);
    assert.is(r.score, r.max - lost);
  });
}

test('a syntax error in the tree is reported as file:line:col and scores 0', async () => {
  const dir = started('stack', 'broken');
  const path = join(dir, 'kernel/stack.ts');
  writeFileSync(path, readFileSync(path, 'utf8').replace("throw new Error('lab stack: acct_stack_growth", "throw new Error(('lab stack: acct_stack_growth"));
  const r = await gradeLab(findLab('stack')!, dir);
  assert.is(r.score, 0);
  assert.ok(r.buildErrors.length > 0);
  assert.match(r.buildErrors[0], /kernel\/stack\.ts:\d+:\d+: error: /);
});

test('faultline lab: list, start, grade --json and its exit statuses, usage errors', () => {
  const list = faultline('lab', 'list');
  assert.is(list.status, 0);
  for (const l of LABS) assert.match(list.stdout, new RegExp(`^${l.name} `, 'm'));
  const dir = join(work, 'cli-stack');
  assert.is(faultline('lab', 'start', 'stack', dir).status, 0);
  const again = faultline('lab', 'start', 'stack', dir);
  assert.is(again.status, 1);
  assert.match(again.stderr, 'not empty: nothing was changed');
  const g = faultline('lab', 'grade', 'stack', dir, '--json');
  assert.is(g.status, 1);
  const report = JSON.parse(g.stdout) as { lab: string; score: number; max: number; tests: unknown[] };
  assert.equal([report.lab, report.score, report.max, report.tests.length], ['stack', 0, 100, 3]);
  assert.is(faultline('lab', 'grade', 'uaccess').status, 0);
  assert.is(faultline('lab', 'grade', 'cow', dir).status, 2); // a stack tree is not a cow tree
  assert.is(faultline('lab', 'grade', 'nosuch').status, 2);
  assert.is(faultline('lab', 'frobnicate').status, 2);
  assert.match(faultline('lab', '--help').stdout, 'faultline lab grade NAME');
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
