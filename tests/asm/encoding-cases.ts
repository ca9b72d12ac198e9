// Hand-picked encoder cases: relaxable jumps, and malformed lines with GNU as 2.40's messages.

import { CONDITIONS } from '../../asm/encode/conditions.js';
import { reg, imm, mem, line, type CorpusLine } from './corpus-build.js';

export const JUMP_CASES: CorpusLine[] = [
  line('jmp', [mem('sym')]),
  ...CONDITIONS.map(([cc]) => line(`j${cc}`, [mem('sym')])),
];

export interface ErrorCase {
  line: CorpusLine;
  msg: string;
}

const e = (l: CorpusLine, msg: string): ErrorCase => ({ line: l, msg });

export const ERROR_CASES: ErrorCase[] = [
  e(line('movl', [reg('rax'), reg('ebx')]), "operand type mismatch for `mov'"),
  e(line('foo'), "no such instruction: `foo'"),
  e(line('movb', [reg('eax'), reg('ebx')]), "`%ebx' not allowed with `movb'"),
  e(line('add', [reg('eax')]), "number of operands mismatch for `add'"),
  e(line('mov', [reg('ah'), reg('sil')]), "can't encode register '%ah' in an instruction requiring REX prefix."),
  e(line('incl', [reg('rax')]), "incorrect register `%rax' used with `l' suffix"),
  e(line('pushl', [reg('eax')]), "invalid instruction suffix for `push'"),
  e(line('push', [reg('eax')]), "operand size mismatch for `push'"),
  e(line('lea', [reg('eax'), reg('ebx')]), "operand type mismatch for `lea'"),
  e(line('movzbl', [reg('ax'), reg('ebx')]), "operand size mismatch for `movzb'"),
  e(line('int', [imm(300n)]), "operand size mismatch for `int'"),
  e(line('ret', [imm(0x10000n)]), "operand size mismatch for `ret'"),
  e(line('mov', [reg('cr0'), reg('eax')]), "operand type mismatch for `mov'"),
  e(line('addl', [reg('eax'), reg('rbx')]), "register type mismatch for `add'"),
  e(line('shl', [imm(300n), reg('eax')]), "operand type mismatch for `shl'"),
  e(line('sete', [reg('eax')]), "operand size mismatch for `sete'"),
  e(line('addq', [imm(0x100000000n), reg('rax')]), "operand type mismatch for `add'"),
  e(line('mov', [mem(0x80000000n, 'rax'), reg('eax')]), '0x80000000 out of range of signed 32bit displacement'),
  e(line('mov', [mem(null, 'rax', 'rsp'), reg('eax')]), "`(%rax,%rsp)' is not a valid base/index expression"),
  e(line('xchg', [imm(1n), reg('eax')]), "operand type mismatch for `xchg'"),
  e(line('imul', [imm(1n), imm(2n), reg('eax')]), "operand type mismatch for `imul'"),
  e(line('shll', [reg('cl'), reg('rax')]), "incorrect register `%rax' used with `l' suffix"),
  e(line('cmovel', [reg('eax'), reg('rax')]), "register type mismatch for `cmove'"),
  e(line('movb', [reg('ah'), mem(null, 'r8')]), "can't encode register '%ah' in an instruction requiring REX prefix."),
];
