// The ELF writer and reader: readelf accepts what we write, a hello world runs natively, many
// section shapes are laid out exactly as GNU ld lays them out, the reader survives bad files,
// and the kernel layout places sections contiguously from a given base.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from '../../asm/assemble.js';
import { readElf, writeElf } from '../../asm/elf.js';
import { buildFaultline, buildNative, contentsOf, haveBinutils, layoutOf, runNative, symbolsOf, tmp } from './native.js';

const binutils = haveBinutils();
const work = tmp();
const maybe = binutils ? test : test.skip;
const START = '.globl _start\n.text\n_start:\n  movl $60, %eax\n  xorl %edi, %edi\n  syscall\n';
const STACK = '.section .note.GNU-stack,"",@progbits\n';

const hello = `${START.replace('_start:\n', '_start:\n  movl $1, %eax\n  movl $1, %edi\n  leaq msg(%rip), %rsi\n  movl $6, %edx\n  syscall\n')}
.section .rodata
msg: .ascii "hello\\n"
${STACK}`;

function image(src: string) {
  const r = assemble(src, 't.s');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.msg}`).join('\n'));
  return r;
}

maybe('readelf -lhSW accepts the output without warnings', () => {
  const exe = buildFaultline(hello, work, 'readelf');
  const r = spawnSync('readelf', ['-lhSsW', exe], { encoding: 'utf8' });
  assert.is(r.status, 0);
  assert.is(r.stderr, '');
  assert.not.match(r.stdout, /warning/i);
  assert.match(r.stdout, /Type:\s+EXEC/);
  assert.match(r.stdout, /Entry point address:\s+0x401000/);
});

maybe('a faultline-built hello world runs natively, prints its text and exits 0', () => {
  const exe = buildFaultline(hello, work, 'hello');
  assert.equal(runNative(exe), { stdout: 'hello\n', status: 0, signal: null });
});

const shapes: Record<string, string> = {
  'text only, no GNU-stack note': START,
  'text and rodata, no data': `${START}.section .rodata\nr: .byte 1,2,3\n${STACK}`,
  'text and data, no rodata': `${START}.data\nd: .long 5\n${STACK}`,
  'only .bss': `${START}.bss\nb: .zero 100\n${STACK}`,
  'big .bss after rodata': `${START}.section .rodata\n.byte 1,2,3\n.bss\n.zero 10\n.p2align 4\ny: .zero 300000\n${STACK}`,
  'aligned sections': `${START}.p2align 6\nf: ret\n.section .rodata\n.byte 1\n.p2align 5\nr: .quad 1\n.data\n.byte 1\n.p2align 4\nd: .quad 2\n.bss\n.p2align 5\nb: .zero 3\n${STACK}`,
  '.rodata.str merged into .rodata': `${START}.section .rodata.str,"a"\ns: .asciz "x"\n.section .rodata\n.p2align 5\nr: .byte 1\n${STACK}`,
  'orphan sections placed by flags': `${START}.section .mysec,"a"\nx: .byte 1\n.section .myx,"ax"\nnop\n.section .mydata,"aw"\n.byte 1\n.section .mybss,"aw",@nobits\n.zero 4\n.data\n.byte 2\n.bss\n.zero 10\n${STACK}`,
  'data segment that saves a page': `${START}.section .rodata\n.fill 0xf00,1,7\n.data\nd: .fill 0x100,1,1\n.bss\n.zero 0x100\n${STACK}`,
  'data segment that cannot save a page': `${START}.section .rodata\n.fill 0x800,1,7\n.data\nd: .fill 0x900,1,1\n${STACK}`,
  'text longer than a page': `${START}.fill 5000,1,0x90\n.section .rodata\nr: .byte 1\n.data\nd: .byte 2\n${STACK}`,
  'equates, absolute and global symbols': `${START}x = 5\n.set y, _start+1\n.globl z\nz = 3\n.equ w, 0x402000\n.L1: local: nop\n${STACK}`,
  '.type and .size as gcc writes them': `${START}.globl f\n.type f, @function\nf: nop\nret\n.size f, .-f\n.data\n.type v, %object\nv: .quad 1\n.size v, 8\n${STACK}`,
  'executable stack note': `${START}.section .note.GNU-stack,"x",@progbits\n`,
};

for (const [name, src] of Object.entries(shapes)) {
  maybe(`layout as GNU ld: ${name}`, () => {
    const id = name.replace(/\W+/g, '-');
    const ours = buildFaultline(src, work, id);
    const theirs = buildNative(src, work, id);
    assert.is(layoutOf(ours), layoutOf(theirs));
    assert.equal(contentsOf(ours), contentsOf(theirs));
    assert.equal(symbolsOf(ours), symbolsOf(theirs));
  });
}

test('a local _start gives ld\'s warning and the entry defaults to the start of .text', () => {
  const r = image('nop\n_start: ret\n');
  assert.is(r.image.entry, 0x401000n);
  assert.equal(r.warnings.map((w) => w.msg), ['cannot find entry symbol _start; defaulting to 0000000000401000']);
});

test('readElf reads back what writeElf wrote', () => {
  const r = image(hello);
  const elf = readElf(writeElf(r.image));
  if (typeof elf === 'string') throw new Error(elf);
  assert.is(elf.header.entry, 0x401000n);
  assert.is(elf.header.machine, 62);
  assert.equal(elf.sections.map((s) => s.name), ['', '.text', '.rodata', '.symtab', '.strtab', '.shstrtab']);
  assert.equal(elf.programHeaders.map((p) => p.type), [1, 1, 1, 0x6474e551]);
  const msg = elf.symbols.find((s) => s.name === 'msg');
  assert.is(msg?.value, 0x402000n);
  assert.is(msg?.section, '.rodata');
  const text = elf.sections[1];
  assert.equal([...elf.bytes.subarray(text.offset, text.offset + 5)], [0xb8, 1, 0, 0, 0]);
});

test('readElf turns every malformed file into a message, never an exception', () => {
  const good = writeElf(image(hello).image);
  assert.type(readElf(new Uint8Array(0)), 'string');
  assert.type(readElf(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46])), 'string');
  assert.is(readElf(new TextEncoder().encode('#!/bin/sh\n'.padEnd(80))), 'not an ELF file (bad magic)');
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 3000; i++) {
    const bad = good.slice(0, i % 7 === 0 ? Math.floor(rand() * good.length) : good.length);
    for (let k = 0; k < 4; k++) bad[Math.floor(rand() * Math.min(bad.length, 300))] = Math.floor(rand() * 256);
    const r = readElf(bad);
    assert.ok(typeof r === 'string' || typeof r === 'object');
  }
  const truncated = readElf(good.subarray(0, 100));
  assert.type(truncated, 'string');
});

test('the kernel layout puts sections one after the other from textBase and keeps __ex_table', () => {
  const src = `.text\n_start: movq $1, %rax\n1: movq (%rdi), %rax\n2: ret\n.section __ex_table,"a"\n.p2align 3\n.quad 1b, 2b\n.data\nd: .quad 7\n.bss\nb: .zero 16\n`;
  const r = assemble(src, 'k.s', { textBase: 0xffffffff81000000n });
  if (!r.ok) throw new Error(r.diagnostics[0].msg);
  const secs = r.image.sections.map((s) => [s.name, s.addr.toString(16), s.size]);
  assert.equal(secs, [
    ['.text', 'ffffffff81000000', 11],
    ['__ex_table', 'ffffffff81000010', 16],
    ['.data', 'ffffffff81000020', 8],
    ['.bss', 'ffffffff81000028', 16],
  ]);
  const ex = r.image.sections[1].data;
  const dv = new DataView(ex.buffer, ex.byteOffset);
  assert.is(dv.getBigUint64(0, true), 0xffffffff81000007n);
  assert.is(dv.getBigUint64(8, true), 0xffffffff8100000an);
  assert.is(r.image.entry, 0xffffffff81000000n);
});

maybe('the output file is written with mode 0755 by faultline asm', () => {
  const src = join(work, 'mode.s');
  writeFileSync(src, hello);
  const bin = new URL('../../../bin/faultline.js', import.meta.url).pathname;
  const r = spawnSync(process.execPath, [bin, 'asm', src], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const st = spawnSync('stat', ['-c', '%a', join(work, 'mode')], { encoding: 'utf8' });
  assert.is(st.stdout.trim(), '755');
});

test.run();
