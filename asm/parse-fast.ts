// The fast path of operand parsing: most statements in real code have operands made of single
// tokens (`%rax`, `$1`, `label`, `8(%rsp)`, `(%rax,%rcx,8)`). They are built here straight from
// the moo tokens; anything else returns null and goes to the nearley grammar, which gives the same
// AST (tests/asm/fuzz.test.ts checks the two agree).

import type { Tok } from './lexer.js';
import type { Expr, Operand } from './types.js';
import { G, pos } from './grammar-support.js';

function atom(t: Tok | undefined): Expr | null {
  if (!t) return null;
  switch (t.type) {
    case 'num':
    case 'hex':
      return G.num(t);
    case 'ident':
      return G.sym(t);
    case 'localref':
      return G.local(t);
    default:
      return null;
  }
}

// The parsers below return the node and leave the number of tokens it took in `used` (no tuple
// arrays: this runs for nearly every operand of a file).
let used = 0;

/** A displacement/immediate of one token, or `-` and a number. */
function simpleExpr(toks: Tok[], i: number): Expr | null {
  const t = toks[i];
  if (t?.type === '-') {
    const n = toks[i + 1];
    if (n && (n.type === 'num' || n.type === 'hex')) {
      used = 2;
      return G.un('-', G.num(n));
    }
    return null;
  }
  used = 1;
  return atom(t);
}

/** Parse `(base)`, `(base,index)`, `(base,index,scale)`, `(,index,scale)` starting at the `(`. */
function memTail(toks: Tok[], i: number, disp: Expr | null): Operand | null {
  const lp = toks[i];
  let j = i + 1;
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
  used = j + 1 - i;
  return G.mem(disp, lp, base, index, scale);
}

function operand(toks: Tok[], i: number): Operand | null {
  const t = toks[i];
  if (!t) return null;
  if (t.type === 'reg') {
    if (toks[i + 1]?.type === ':') return null; // segment override: nearley
    used = 1;
    return G.reg(null, t);
  }
  if (t.type === '$') {
    const e = simpleExpr(toks, i + 1);
    if (!e) return null;
    used += 1;
    return { k: 'imm', e, pos: pos(t) };
  }
  if (t.type === '(') return memTail(toks, i, null);
  const d = simpleExpr(toks, i);
  if (!d) return null;
  const n = used;
  if (toks[i + n]?.type === '(') {
    const m = memTail(toks, i + n, d);
    if (!m) return null;
    used += n;
    return m;
  }
  return G.mem(d, null, null, null, null);
}

/** Operands of one statement (its tokens from index `from` on), or null when they need the full grammar. */
export function fastOperands(toks: Tok[], from = 0): Operand[] | null {
  const ops: Operand[] = [];
  let i = from;
  while (i < toks.length) {
    const op = operand(toks, i);
    if (!op) return null;
    ops.push(op);
    i += used;
    if (i < toks.length) {
      if (toks[i].type !== ',' || i + 1 >= toks.length) return null;
      i++;
    }
  }
  return ops;
}
