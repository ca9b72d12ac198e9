// `.section NAME[,"FLAGS"[,@TYPE[,...]]]`, read from the raw text (a section name such as
// .note.GNU-stack is not an expression).

import type { SrcPos } from './types.js';
import type { AsmState } from './state.js';
import type { Section, SectionFlags } from './sections.js';

function splitTopLevel(raw: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let inStr = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"' && raw[i - 1] !== '\\') inStr = !inStr;
    if (c === ',' && !inStr) {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  parts.push(cur.trim());
  return parts;
}

export function parseSectionDirective(st: AsmState, raw: string, pos: SrcPos): Section | null {
  const parts = splitTopLevel(raw);
  let name = parts[0] ?? '';
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1);
  if (!/^[A-Za-z0-9_.$\-]+$/.test(name)) {
    st.error(pos, name ? `bad section name \`${name}'` : 'missing section name');
    return null;
  }
  let flags: SectionFlags | null = null;
  let nobits: boolean | null = null;
  if (parts.length > 1) {
    const f = parts[1];
    if (!/^"[a-zA-Z0-9?]*"$/.test(f)) {
      st.error(pos, `bad section flags \`${f}'`);
      return null;
    }
    flags = { alloc: f.includes('a'), write: f.includes('w'), exec: f.includes('x') };
  }
  if (parts.length > 2) {
    const t = parts[2].replace(/^[@%]/, '');
    if (t !== 'progbits' && t !== 'nobits' && t !== 'note') {
      st.error(pos, `unrecognized section type \`${parts[2]}'`);
      return null;
    }
    nobits = t === 'nobits';
  }
  if (name === '.note.GNU-stack') st.gnuStack = { exec: flags?.exec ?? false };
  const existing = st.sections.get(name);
  if (existing && flags && existing.frags.length > 1 && (existing.flags.write !== flags.write || existing.flags.exec !== flags.exec)) {
    st.warn(pos, `ignoring changed section attributes for ${name}`);
  }
    const bssName = name === '.bss' || name.startsWith('.bss.');
  return st.section(name, flags, nobits ?? (bssName ? true : flags ? false : null));
}
