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

/** A displacement/immediate of one token, or `-` and a number. Returns [expr, tokens used]. */
function simpleExpr(toks: Tok[], i: number): [Expr, number] | null {
  const t = toks[i];
  if (t?.type === '-') {
    const n = toks[i + 1];
    if (n && (n.type === 'num' || n.type === 'hex')) return [G.un('-', G.num(n)), 2];
    return null;
  }
  const e = atom(t);
  return e ? [e, 1] : null;
}

/** Parse `(base)`, `(base,index)`, `(base,index,scale)`, `(,index,scale)` starting at the `(`. */
function memTail(toks: Tok[], i: number, disp: Expr | null): [Operand, number] | null {
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
  return [G.mem(disp, lp, base, index, scale), j + 1 - i];
}

function operand(toks: Tok[], i: number): [Operand, number] | null {
  const t = toks[i];
  if (!t) return null;
  if (t.type === 'reg') {
    if (toks[i + 1]?.type === ':') return null; // segment override: nearley
    return [G.reg(null, t), 1];
  }
  if (t.type === '$') {
    const e = simpleExpr(toks, i + 1);
    return e ? [{ k: 'imm', e: e[0], pos: pos(t) }, 1 + e[1]] : null;
  }
  if (t.type === '(') return memTail(toks, i, null);
  const d = simpleExpr(toks, i);
  if (!d) return null;
  const next = toks[i + d[1]];
  if (next?.type === '(') {
    const m = memTail(toks, i + d[1], d[0]);
    return m ? [m[0], d[1] + m[1]] : null;
  }
  return [G.mem(d[0], null, null, null, null), d[1]];
}

/** Operands of one statement, or null when they need the full grammar. */
export function fastOperands(toks: Tok[]): Operand[] | null {
  const ops: Operand[] = [];
  let i = 0;
  while (i < toks.length) {
    const r = operand(toks, i);
    if (!r) return null;
    ops.push(r[0]);
    i += r[1];
    if (i < toks.length) {
      if (toks[i].type !== ',' || i + 1 >= toks.length) return null;
      i++;
    }
  }
  return ops;
}
