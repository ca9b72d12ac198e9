// The decoder's record (what a disassembler prints) for representative encodings, multi-byte NOPs as
// GNU as pads with them, and an instruction fetched across a page boundary.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REG_AH, decode } from '../../vm/decode.js';
import { CpuException, VEC_PF, VEC_UD } from '../../vm/exceptions.js';
import { PTE_P, PTE_U } from '../../vm/paging.js';
import { machine } from './machine.js';

function dec(hex: string) {
  const b = hex.split(' ').map((x) => parseInt(x, 16));
  return decode((i) => b[i], 0x1000, 0);
}

test('mov %rax, 8(%rbx,%rcx,4): REX.W, ModRM, SIB, disp8', () => {
  const d = dec('48 89 44 8b 08');
  assert.is(d.mnemonic, 'mov');
  assert.is(d.opsize, 8);
  assert.is(d.length, 5);
  assert.equal(d.operands[0], { kind: 'mem', size: 8, mem: { base: 3, index: 1, scale: 4, disp: 8, ripRel: false, absLo: 8, absHi: 0, addr32: false, seg: -1 } });
  assert.equal(d.operands[1], { kind: 'reg', reg: 0, size: 8 });
});

test('RIP-relative target, movabs imm64, high-byte registers, jcc rel8', () => {
  const rip = dec('8b 05 10 00 00 00'); // mov 0x10(%rip), %eax
  assert.is(rip.operands[1].kind === 'mem' && rip.operands[1].mem.absLo, 0x1000 + 6 + 0x10);
  const abs = dec('48 b8 88 77 66 55 44 33 22 11');
  assert.equal(abs.operands[1], { kind: 'imm', size: 8, lo: 0x55667788, hi: 0x11223344 });
  const ah = dec('88 e0'); // mov %ah, %al
  assert.equal(ah.operands.map((o) => o.kind === 'reg' && o.reg), [0, REG_AH]);
  const jcc = dec('75 fe');
  assert.equal([jcc.mnemonic, jcc.cc, jcc.operands[0]], ['jcc', 5, { kind: 'rel', lo: 0x1000, hi: 0 }]);
});

test('multi-byte NOPs decode as nop with their full length', () => {
  for (const hex of ['0f 1f 00', '0f 1f 40 00', '0f 1f 44 00 00', '66 0f 1f 44 00 00', '0f 1f 80 00 00 00 00',
    '66 2e 0f 1f 84 00 00 00 00 00', '66 66 2e 0f 1f 84 00 00 00 00 00']) {
    const d = dec(hex);
    assert.is(d.mnemonic, 'nop', hex);
    assert.is(d.length, hex.split(' ').length, hex);
  }
});

test('undefined encodings raise #UD; more than 15 bytes raise #GP', () => {
  for (const hex of ['0f 04', '82 c0 01', 'ff ff', '8d c0']) {
    assert.throws(() => dec(hex), (e: unknown) => e instanceof CpuException && e.vector === VEC_UD, hex);
  }
  assert.throws(() => dec(Array(16).fill('66').join(' ') + ' 90'), (e: unknown) => e instanceof CpuException && e.vector === 13);
});

test('an instruction crossing into an unmapped page faults on the second page, then runs once mapped', () => {
  // movabs $0x1122334455667788, %rax placed so that its immediate straddles the end of the text page.
  const m = machine('\tjmp site\n\t.balign 4096\n\t.skip 4092\nsite:\n\tmovabsq $0x1122334455667788, %rax\n\tud2');
  const site = m.sym('site');
  const next = site + 4;
  m.pt.map(next, 0x380000, 0); // not present
  m.cpu.mmu.invlpg(next, 0);
  m.cpu.run(10);
  assert.equal(m.traps[0], { vector: VEC_PF, errorCode: 4 | 16, rip: site, cpl: 3 }); // user fetch, not present
  assert.is(m.cpu.cr2Lo, next);
  m.mem.u8.set([0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x0f, 0x0b], 0x380000); // the rest of the movabs, then ud2
  m.pt.map(next, 0x380000, PTE_P | PTE_U);
  m.cpu.run(10);
  assert.is(m.traps[1].rip, next + 6); // the ud2 after it
  assert.is(m.reg(0), 0x11223344 * 2 ** 32 + 0x55667788);
});

test.run();
