// Replaces the body of a named top-level function in TypeScript source by a lab stub, keeping its signature
// and the comment above it, so the student sees what the function must do and where it sits in the kernel.

/** Index just past the string, template or comment that starts at i, or i when none starts there. */
function skipLiteral(src: string, i: number): number {
  const c = src[i];
  if (c === '/' && src[i + 1] === '/') {
    const end = src.indexOf('\n', i);
    return end < 0 ? src.length : end;
  }
  if (c === '/' && src[i + 1] === '*') {
    const end = src.indexOf('*/', i + 2);
    return end < 0 ? src.length : end + 2;
  }
  if (c === "'" || c === '"') {
    let j = i + 1;
    while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (c === '`') {
    let j = i + 1;
    while (j < src.length && src[j] !== '`') {
      if (src[j] === '\\') j += 2;
      else if (src[j] === '$' && src[j + 1] === '{') j = matching(src, j + 1, '{', '}') + 1;
      else j++;
    }
    return j + 1;
  }
  return i;
}

/** The index of the bracket closing the one at `open`, skipping strings, templates and comments. */
function matching(src: string, open: number, left: string, right: string): number {
  let depth = 0;
  for (let i = open; i < src.length; ) {
    const skipped = skipLiteral(src, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (src[i] === left) depth++;
    else if (src[i] === right && --depth === 0) return i;
    i++;
  }
  throw new Error(`unbalanced '${left}' at offset ${open}`);
}

/** Where the body of top-level `function name(` starts and ends (the braces), or null if it is not there. */
export function functionBody(src: string, name: string): { open: number; close: number } | null {
  const m = new RegExp(`^(export )?function ${name}\\(`, 'm').exec(src);
  if (m === null) return null;
  const params = m.index + m[0].length - 1;
  const afterParams = matching(src, params, '(', ')');
  const open = src.indexOf('{', afterParams);
  return { open, close: matching(src, open, '{', '}') };
}

/** The source with `name`'s body replaced by a stub that says what to write and where to read about it. */
export function stubFunction(src: string, name: string, lab: string, hint: string): string {
  const body = functionBody(src, name);
  if (body === null) throw new Error(`no function ${name}`);
  const stub = [
    '{',
    `  // LAB ${lab}: write ${name}. ${hint}`,
    `  // The handout: labs/${lab}/README.md. faultline lab grade ${lab} . builds and tests it.`,
    `  throw new Error('lab ${lab}: ${name} is not written yet');`,
    '}',
  ].join('\n');
  return src.slice(0, body.open) + stub + src.slice(body.close + 1);
}
