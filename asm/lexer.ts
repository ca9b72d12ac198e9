// The moo lexer for GNU as AT&T syntax. Statements never span lines once /* */ comments are
// blanked, so the assembler takes the tokens a line at a time (LineLexer: one moo pass over the
// whole file, newlines are tokens); tokenizeLine() lexes a single line.

import moo from 'moo';

// Single-character punctuation comes first: moo matches those rules by a table lookup on the
// character, without its RegExp, only while they precede every RegExp rule. None of them can start
// a longer token (`%`, `<` and `>` can: `%rax`, `<<`, `>>`, so they stay after the RegExp rules).
const FAST_PUNCT = ',():;$*+-/&|^~!=@';

export const lexer = moo.compile({
  nl: { match: '\n', lineBreaks: true },
  // Each punctuation mark is its own token type, so the grammar can match on type alone.
  ...Object.fromEntries([...FAST_PUNCT].map((c) => [c, c])),
  // A blank by the table is cheaper than a run of them by the RegExp, which builds a match array.
  blank: [' ', '\t'],
  // Alternatives that start with different characters never compete; the commonest go first.
  ws: /[ \t\f\v\r]+/,
  reg: /%[A-Za-z][A-Za-z0-9]*/,
  ident: /[A-Za-z_.][A-Za-z0-9_.$]*/,
  // Numbers before local-label references, binary before `0b` (local label 0 backward).
  hex: /0[xX][0-9a-fA-F]+/,
  bin: /0[bB][01]+(?![0-9A-Za-z_$.])/,
  localref: /[0-9]+[bf](?![0-9A-Za-z_$.])/,
  num: /[0-9]+(?![0-9A-Za-z_$.])/,
  badnum: /[0-9][0-9A-Za-z_$.]*/,
  comment: /#.*/,
  str: /"(?:\\[^\n]|[^"\\\n])*"/,
  badstr: /"(?:\\[^\n]|[^"\\\n])*/, // an opening quote with no closing one on the line
  chr: /'(?:\\(?:[0-7]{1,3}|x[0-9a-fA-F]+|[^\n])|[^\\\n])'?/,
  // The rest of the punctuation as one rule (one capture group fewer each in moo's RegExp).
  punct: { match: ['<<', '>>', '%', '<', '>'], type: (text) => text },
  other: /[^\n]/,
});

/** A moo token: type, value, and 1-based line and col. */
export type Tok = moo.Token & { type: string };

/** Tokens of one line, without whitespace and comments. */
export function tokenizeLine(line: string, lineNo: number): Tok[] {
  lexer.reset(line, { line: lineNo, col: 1, state: '' } as unknown as moo.LexerState);
  const out: Tok[] = [];
  for (let t = lexer.next(); t !== undefined; t = lexer.next()) {
    if (t.type === 'ws' || t.type === 'blank' || t.type === 'comment') continue;
    out.push(t as Tok);
  }
  return out;
}

/** The tokens of a whole source, a line at a time, from one moo pass over the text. */
export class LineLexer {
  private readonly lex = (lexer as moo.Lexer & { clone(): moo.Lexer }).clone();
  private done = false;

  constructor(text: string) {
    this.lex.reset(text);
  }

  /** Fill `out` with the next line's tokens, without whitespace and comments; false after the last line. */
  nextLine(out: Tok[]): boolean {
    out.length = 0;
    if (this.done) return false;
    for (let t = this.lex.next(); t !== undefined; t = this.lex.next()) {
      const type = t.type;
      if (type === 'nl') return true;
      if (type !== 'ws' && type !== 'blank' && type !== 'comment') out.push(t as Tok);
    }
    this.done = true;
    return true;
  }
}

/**
 * Blank out every /* ... *\/ comment (keeping newlines, so lines and columns stay right) and
 * return where an unterminated one starts, if any. Quotes are honoured so "/*" in a string is text.
 */
export function blankBlockComments(src: string): { text: string; unterminatedAt: number } {
  if (!src.includes('/*')) return { text: src, unterminatedAt: -1 };
  const out: string[] = [];
  let i = 0;
  let start = 0;
  let inStr = false;
  let inLineComment = false;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      inStr = false;
      inLineComment = false;
    } else if (inLineComment) {
      // nothing: `#` comments swallow the rest of the line
    } else if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') {
      inStr = true;
    } else if (c === '#') {
      inLineComment = true;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) {
        out.push(src.slice(start, i));
        return { text: out.join('') + src.slice(i).replace(/[^\n]/g, ' '), unterminatedAt: i };
      }
      out.push(src.slice(start, i), src.slice(i, end + 2).replace(/[^\n]/g, ' '));
      i = end + 2;
      start = i;
      continue;
    }
    i++;
  }
  out.push(src.slice(start));
  return { text: out.join(''), unterminatedAt: -1 };
}
