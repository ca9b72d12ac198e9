// The shapes passed between the parser (grammar.ne / parse.ts), the encoder (encode.ts) and the
// assembler (assemble.ts). Values and addresses in the assembler are bigint: the assembler is not
// on the instruction path, and kernel addresses (0xffffffff8...) do not fit a double.

import type { Reg } from './registers.js';

/** 1-based line and column of a token in the source file. */
export interface SrcPos {
  line: number;
  col: number;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^';
export type UnaryOp = '-' | '~' | '+' | '!';

/** An expression as written; evaluated by the assembler once symbols are known. */
export type Expr =
  | { k: 'num'; v: bigint }
  | { k: 'sym'; name: string; pos: SrcPos }
  | { k: 'local'; n: number; dir: 'b' | 'f'; pos: SrcPos } // numeric local label reference: 1b, 2f
  | { k: 'dot'; pos: SrcPos } // `.`, the current location
  | { k: 'un'; op: UnaryOp; a: Expr }
  | { k: 'bin'; op: BinaryOp; a: Expr; b: Expr };

/** An operand in AT&T order and syntax. `star` marks `*%rax` / `*(%rax)` (indirect jmp/call). */
export type Operand =
  | { k: 'reg'; reg: Reg; star: boolean; pos: SrcPos }
  | { k: 'imm'; e: Expr; pos: SrcPos }
  | {
      k: 'mem';
      disp: Expr | null; // null: no displacement written
      base: Reg | null; // %rip for sym(%rip)
      index: Reg | null;
      scale: 1 | 2 | 4 | 8;
      seg: Reg | null;
      star: boolean;
      pos: SrcPos;
    };

/** One instruction statement: `rep movsb`, `movl $1, 8(%rsp)`. Prefix words are separate from the mnemonic. */
export interface Insn {
  prefixes: string[]; // rep repe repz repne repnz lock, in source order
  mnemonic: string; // lower-case, as written (suffix included: movl, jne, cmovge)
  ops: Operand[]; // AT&T order: source(s) first, destination last
  pos: SrcPos; // of the mnemonic (or first prefix)
}

/** A place in the encoded bytes that the assembler fills once addresses are known. */
export interface Fixup {
  offset: number; // byte offset inside the instruction
  size: 1 | 2 | 4 | 8;
  e: Expr;
  /** pc-relative: the stored value is e - (address of the end of this instruction). */
  pcrel: boolean;
  /** range the value must fit: signed (disp, imm sign-extended), unsigned, or either (.long-style). */
  range: 'signed' | 'unsigned' | 'either';
  pos: SrcPos; // for "value out of range" diagnostics
}

export interface Encoded {
  bytes: Uint8Array;
  fixups: Fixup[];
}

/** What the encoder may ask of the assembler while choosing a form (imm8 vs imm32, disp8 vs disp32). */
export interface EncodeEnv {
  /**
   * The value of `e` if GNU as would know it while parsing this line: a constant, or symbols
   * already defined with absolute values, or a label difference inside one fixed-size stretch.
   * null when it must wait for layout (then the encoder picks the full-size form, as GNU as does).
   */
  known(e: Expr): bigint | null;
}

export type EncodeResult =
  | {
      ok: true;
      enc: Encoded;
      /** Present for jmp/jcc to a label: the short (rel8) form the assembler may relax to. enc is the long form. */
      relax?: { short: Encoded; target: Expr };
    }
  | { ok: false; pos: SrcPos; msg: string };

/** A user-visible assembler diagnostic: printed as `file:line:col: error: msg`, the line, and a caret. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  msg: string;
}
