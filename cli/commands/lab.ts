// faultline lab list | start NAME [DIR] | grade NAME [DIR] [--json]: the kernel labs. A lab tree is the
// machine's sources with the lab's kernel functions replaced by stubs; grading builds the tree and runs the
// lab's reference programs on it, scoring like `make grade`.

import { resolve } from 'node:path';
import { parseArgs, UsageError } from '../usage.js';
import { LABS, findLab, type Lab } from '../lab/labs.js';
import { formatReport, gradeLab } from '../lab/grade.js';
import { ROOT, labOfTree, startLab } from '../lab/tree.js';

export const HELP = `usage: faultline lab list
       faultline lab start NAME [DIR]
       faultline lab grade NAME [DIR] [--json]

Kernel labs: you write functions of faultline's kernel, in TypeScript, following the Linux code in
the handout (labs/NAME/README.md).

  list          the labs, with the kernel functions each asks for
  start         make DIR (default ./NAME; must not exist or be empty) a copy of the machine's sources
                (asm/ vm/ kernel/) with the lab's functions replaced by stubs, and the handout as README.md
  grade         build DIR's kernel (default: faultline's own, which is the reference solution) and run the
                lab's tests: each prints OK or FAIL with what it expected, then the score.
                Exit status 0 only at full marks, 1 otherwise, 2 for a usage mistake.

options:
  --json        grade: print the result as one JSON object instead
  -h, --help    show this help
`;

function labNamed(name: string | undefined): Lab {
  if (name === undefined) throw new UsageError(`which lab? (${LABS.map((l) => l.name).join(', ')})`);
  const lab = findLab(name);
  if (lab === undefined) throw new UsageError(`no lab '${name}' (the labs: ${LABS.map((l) => l.name).join(', ')})`);
  return lab;
}

function list(): number {
  for (const l of LABS) {
    process.stdout.write(`${l.name.padEnd(8)} ${l.title}\n`);
    for (const f of l.functions) process.stdout.write(`         ${f.file}: ${f.name}\n`);
  }
  return 0;
}

function start(lab: Lab, dir: string): number {
  const err = startLab(lab, dir);
  if (err !== null) {
    process.stderr.write(`faultline: lab start: ${err}\n`);
    return 1;
  }
  process.stdout.write(`${dir}: lab ${lab.name} started; read ${dir}/README.md, then: faultline lab grade ${lab.name} ${dir}\n`);
  return 0;
}

async function grade(lab: Lab, dir: string, json: boolean): Promise<number> {
  const marked = labOfTree(dir);
  if (dir !== ROOT && marked === null) throw new UsageError(`${dir} is not a lab tree (make one with: faultline lab start ${lab.name} DIR)`);
  if (marked !== null && marked !== lab.name) throw new UsageError(`${dir} was started for lab ${marked}, not ${lab.name}`);
  const r = await gradeLab(lab, dir);
  process.stdout.write(json ? `${JSON.stringify(r)}\n` : formatReport(lab, r));
  return r.score === r.max ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { boolean: ['json', 'help', 'h'] });
  if (args.flags.has('help') || args.flags.has('h')) {
    process.stdout.write(HELP);
    return 0;
  }
  const [verb, name, dir, ...extra] = args.positional;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  switch (verb) {
    case 'list': return list();
    case 'start': { const lab = labNamed(name); return start(lab, resolve(dir ?? lab.name)); }
    case 'grade': { const lab = labNamed(name); return grade(lab, dir === undefined ? ROOT : resolve(dir), args.flags.has('json')); }
    case undefined: throw new UsageError("lab needs a verb: list, start or grade (try 'faultline lab --help')");
    default: throw new UsageError(`unknown lab verb '${verb}' (list, start or grade)`);
  }
}
