// The fast path of parsing: operands and directive arguments are built here straight from the moo
// tokens by recursive descent over the same grammar as grammar.ne (expressions with GNU as's
// precedence, `$imm`, `disp(base,index,scale)`, strings). Anything it does not handle (segment
// overrides, `*` indirection, character literals, syntax errors) returns null and goes to the
// nearley grammar, which gives the same AST (tests/asm/fuzz.test.ts and parse-fast.test.ts check
// that the two agree).

import type { Tok } from './lexer.js';
import type { BinaryOp, Expr, Operand, UnaryOp } from './types.js';
import { G, type DirArg, pos } from './grammar-support.js';

// The parsers below read toks from the cursor `at` and leave it after what they took (no tuple
// arrays: this runs for nearly every operand of a file). null means "not handled here".
let toks: Tok[] = [];
let at = 0;
/** Nesting of parentheses: deeper than this is left to nearley rather than to the JS stack. */
let depth = 0;
const MAX_DEPTH = 64;

/** Binary operators by grammar level (grammar.ne): 1 add, 2 bit, 3 mul; all left-associative. */
const LEVEL: Record<string, number> = { '+': 1, '-': 1, '|': 2, '&': 2, '^': 2, '*': 3, '/': 3, '%': 3, '<<': 3, '>>': 3 };

function atom(): Expr | null {
  const t = toks[at];
  if (!t) return null;
  switch (t.type) {
    case 'num':
    case 'hex':
    case 'bin':
      at++;
      return G.num(t);
    case 'ident':
      at++;
      return G.sym(t);
    case 'localref':
      at++;
      return G.local(t);
    case '(': {
      if (++depth > MAX_DEPTH) return null;
      at++;
      const e = expr(1);
      if (!e || toks[at]?.type !== ')') return null;
      at++;
      depth--;
      return e;
    }
    default:
      return null;
  }
}

function unary(): Expr | null {
  const t = toks[at];
  if (t && (t.type === '-' || t.type === '~' || t.type === '!' || t.type === '+')) {
    at++;
    const a = unary();
    return a && G.un(t.type as UnaryOp, a);
  }
  return atom();
}

function expr(level: number): Expr | null {
  let a = level === 3 ? unary() : expr(level + 1);
  while (a) {
    const op = toks[at];
    if (!op || LEVEL[op.type] !== level) break;
    at++;
    const b = level === 3 ? unary() : expr(level + 1);
    a = b && G.bin(op.type as BinaryOp, a, b);
  }
  return a;
}

/** Parse `(base)`, `(base,index)`, `(base,index,scale)`, `(,index,scale)` starting at the `(`. */
function memTail(disp: Expr | null): Operand | null {
  const lp = toks[at];
  let j = at + 1;
  let base: Tok | null = null;
  let index: Tok | null = null;
  let scale: Tok | null = null;
  if (toks[j]?.type === 'reg') base = toks[j++];
  if (toks[j]?.type === ',') {
    j++;
    if (toks[j]?.type !== 'reg') return null;
    index = toks[j++];
    if (toks[j]?.type === ',') {
      if (toks[j + 1]?.type !== 'num') return null;
      scale = toks[j + 1];
      j += 2;
    }
  } else if (!base) return null;
  if (toks[j]?.type !== ')') return null;
  at = j + 1;
  return G.mem(disp, lp, base, index, scale);
}

/** `(` opens a memory reference when a register or `,` follows, else a parenthesized expression. */
function opensMem(): boolean {
  const next = toks[at + 1]?.type;
  return toks[at]?.type === '(' && (next === 'reg' || next === ',');
}

function operand(): Operand | null {
  const t = toks[at];
  if (!t) return null;
  if (t.type === 'reg') {
    if (toks[at + 1]?.type === ':') return null; // segment override: nearley
    at++;
    return G.reg(null, t);
  }
  if (t.type === '$') {
    at++;
    const e = expr(1);
    return e && G.imm(t, e);
  }
  if (opensMem()) return memTail(null);
  const d = expr(1);
  if (!d) return null;
  if (toks[at]?.type === '(') return opensMem() ? memTail(d) : null;
  return G.mem(d, null, null, null, null);
}

/** An operand, placed (for diagnostics) at its first token, as parse.ts places nearley's. */
function placedOperand(): Operand | null {
  const start = toks[at];
  const op = operand();
  if (op && op.k === 'mem') op.pos = pos(start);
  return op;
}

/** Run `one` over the comma-separated items from index `from` on; null when any is not handled. */
function list<T>(tokens: Tok[], from: number, one: (first: boolean) => T | null): T[] | null {
  toks = tokens;
  at = from;
  depth = 0;
  const out: T[] = [];
  try {
    if (at === toks.length) return out;
    for (;;) {
      const x = one(out.length === 0);
      if (x === null) return null;
      out.push(x);
      if (at === toks.length) return out;
      if (toks[at].type !== ',') return null;
      at++;
    }
  } finally {
    toks = []; // keep no tokens alive between statements
  }
}

/** Operands of one statement (its tokens from index `from` on), or null when they need the full grammar. */
export function fastOperands(tokens: Tok[], from = 0): Operand[] | null {
  return list(tokens, from, placedOperand);
}

/** One directive argument; after a comma it may be empty (`.p2align 4,,15`). */
function darg(first: boolean): DirArg | null {
  const t = toks[at];
  if (!first && (!t || t.type === ',')) return { k: 'none' };
  if (!t) return null;
  if (t.type === 'str') {
    at++;
    return G.str(t);
  }
  if (t.type === '@') {
    const name = toks[at + 1];
    if (name?.type !== 'ident') return null;
    at += 2;
    return { k: 'type', name: name.value, pos: pos(t) };
  }
  const e = expr(1);
  return e && { k: 'expr', e };
}

/** Directive arguments from their tokens, or null when they need the full grammar. */
export function fastDirArgs(tokens: Tok[]): DirArg[] | null {
  return list(tokens, 0, darg);
}
