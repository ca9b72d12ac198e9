// faultline's undefined flags against the recording of the reference CPU (undefined-flags/reference.vectors,
// made by npm run record:flags on an Intel host): every flag of every vector, on any host, native or not.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skip } from '../skip.js';
import { differences } from './undefined-flags/run.js';
import { readReference, vectorInputs } from './undefined-flags/vectors.js';

const recorded = readReference();

test('the vector inputs are the same on every machine and cover the forms', () => {
  const a = vectorInputs(), b = vectorInputs();
  assert.equal(a, b);
  const mnemonics = new Set(a.map((v) => v.line.split(' ')[0]));
  for (const op of ['mul', 'imul', 'div', 'idiv', 'and', 'or', 'xor', 'test', 'shl', 'shr', 'sar', 'rol', 'ror']) {
    for (const s of ['b', 'w', 'l', 'q']) assert.ok(mnemonics.has(op + s), `no vector for ${op}${s}`);
  }
});

if (recorded === null) {
  skip('faultline produces the reference CPU\'s undefined flags', 'no recording of the reference CPU yet (npm run record:flags on an Intel host writes tests/vm/undefined-flags/reference.vectors)');
} else {
  test(`faultline produces the reference CPU's flags for ${recorded.length} recorded vectors`, async () => {
    const inputs = vectorInputs();
    assert.is(recorded.length, inputs.length, 'the recording is of another vector set: record it again on an Intel host');
    const diff = await differences(recorded);
    assert.is(diff.length, 0, `\n${diff.slice(0, 20).join('\n')}`);
  });
}

test.run();
