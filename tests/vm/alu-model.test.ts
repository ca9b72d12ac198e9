// Self-differential test of the tuned arithmetic: each multiply, shift and rotate form, compiled by the
// CPU exactly as a block would run it, against the BigInt reference model in alu-model.ts on random
// registers, memory and flags, with the edge values (0, 1, -1, 2^31 - 1, 2^31, 2^63, ...) weighted in.
// Every register, the memory operand and every RFLAGS bit must match, the undefined flags included: this
// is what keeps faultline's modelled flags fixed where the CPU differential cannot check them (another
// vendor's CPU). Half the cases run another random form first, so each form also meets the lazy flags
// every other one leaves. ALU_MODEL_CASES=N runs N cases per form (the default keeps `npm test` quick).

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decode } from '../../vm/decode.js';
import { compile } from '../../vm/ops/index.js';
import { type ModelState, forms } from './alu-model.js';
import { machine } from './machine.js';

const CASES = Number(process.env.ALU_MODEL_CASES ?? 400);
const M64 = (1n << 64n) - 1n;

/** xorshift32: deterministic, so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

const EDGES32 = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x80, 0x7f, 0xff, 0x8000, 0x7fff, 0xffff, 2, 0xfffffffe];

/** A 64-bit value: halves from the edge list or random, in every combination. */
function value(r: () => number): bigint {
  const half = (): number => (r() % 3 === 0 ? EDGES32[r() % EDGES32.length] : r());
  switch (r() % 4) {
    case 0: return BigInt(half()); // high half zero
    case 1: return (BigInt(half()) << 32n) | BigInt(half());
    case 2: return BigInt.asUintN(64, BigInt(half() | 0)); // a sign-extended 32-bit value
    default: return [0n, 1n, M64, 1n << 63n, (1n << 63n) - 1n, 1n << 32n, BigInt(r())][r() % 7];
  }
}

const COUNTS = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 255];

const toHalves = (v: bigint): [number, number] => [Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0];
const fromHalves = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const hex = (v: bigint): string => '0x' + v.toString(16);

test(`multiply, shift, rotate and ALU forms match the reference model (${CASES} cases each)`, () => {
  const all = forms();
  const body = all.map((f, i) => `f${i}:\n\t${f.asm}`).join('\n') + '\n\tud2';
  const m = machine(body, { data: '\t.data\n\t.balign 8\nbuf:\t.quad 0' });
  const cpu = m.cpu;
  const buf = m.sym('buf');
  const bufPhys = m.phys(buf);
  const dv = new DataView(m.mem.u8.buffer, m.mem.u8.byteOffset);
  const r = rng(13);
  let checked = 0;
  const ops = all.map((_, i) => {
    const at = m.sym(`f${i}`);
    return compile(cpu, decode((k) => m.mem.u8[m.phys(at + k)], at, 0));
  });
  all.forEach((form, i) => {
    const op = ops[i];
    for (let c = 0; c < CASES; c++) {
      const first = r() % 2 === 0 ? r() % all.length : -1;
      const regs: bigint[] = [];
      for (let n = 0; n < 16; n++) regs.push(value(r));
      if (r() % 2 === 0) regs[1] = (regs[1] & ~0xffn) | BigInt(COUNTS[r() % COUNTS.length]); // %cl
      regs[7] = BigInt(buf); // %rdi: the memory operand
      const before: ModelState = { regs: regs.slice(), rflags: (r() & 0x8d5) | 2, mem: value(r) };
      for (let n = 0; n < 16; n++) [cpu.regs[2 * n], cpu.regs[2 * n + 1]] = toHalves(regs[n]);
      cpu.setRflags(before.rflags);
      const [mlo, mhi] = toHalves(before.mem);
      dv.setInt32(bufPhys, mlo, true);
      dv.setInt32(bufPhys + 4, mhi, true);
      const want: ModelState = { regs: before.regs.slice(), rflags: before.rflags, mem: before.mem };
      if (first >= 0) all[first].model(want);
      form.model(want);
      if (first >= 0) ops[first]();
      op();
      const got: ModelState = {
        regs: Array.from({ length: 16 }, (_, n) => fromHalves(cpu.regs[2 * n], cpu.regs[2 * n + 1])),
        rflags: cpu.getRflags(),
        mem: fromHalves(dv.getInt32(bufPhys, true), dv.getInt32(bufPhys + 4, true)),
      };
      const same = got.rflags === want.rflags && got.mem === want.mem && got.regs.every((v, n) => v === want.regs[n]);
      if (!same) {
        const diff = got.regs.map((v, n) => (v === want.regs[n] ? '' : `r${n} ${hex(v)} want ${hex(want.regs[n])}`)).filter((x) => x);
        const after = first >= 0 ? ` after ${all[first].asm}` : '';
        assert.unreachable(`${form.asm}${after} case ${c}: inputs ${before.regs.map(hex).join(' ')} flags ${hex(BigInt(before.rflags))} mem ${hex(before.mem)}: ` +
          `rflags ${hex(BigInt(got.rflags))} want ${hex(BigInt(want.rflags))}; mem ${hex(got.mem)} want ${hex(want.mem)}; ${diff.join('; ')}`);
      }
      checked++;
    }
  });
  assert.ok(checked === all.length * CASES);
});

test.run();
