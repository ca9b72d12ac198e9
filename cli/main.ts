// The faultline command: dispatches to one module per subcommand (cli/commands/NAME.ts).
// Every error a user can cause ends here as one line on stderr and a non-zero exit, never a stack trace.

import { EXIT_INTERNAL, EXIT_PIPE_CLOSED, EXIT_USAGE } from './exit-status.js';
import { UsageError } from './usage.js';

const VERSION = '0.1.0';

interface Command {
  summary: string;
  load: () => Promise<{ main(argv: string[]): Promise<number> }>;
}

const commands: Record<string, Command> = {
  asm: { summary: 'assemble a .s file into a static ELF64 executable', load: () => import('./commands/asm.js') },
  disasm: { summary: "disassemble an ELF's text (AT&T syntax)", load: () => import('./commands/disasm.js') },
  lab: { summary: 'kernel labs: list, start a lab tree, grade it', load: () => import('./commands/lab.js') },
  run: { summary: 'run a guest program (.s or ELF) on the machine', load: () => import('./commands/run.js') },
};

export const HELP = `faultline: a small x86-64 machine with 4-level paging and a mini-kernel

usage: faultline <command> [options]

commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join('\n')}

options:
  -h, --help     show this help
  --version      print faultline's version

Run "faultline <command> --help" for a command's options (and "faultline run --help" for the
exit statuses of a run). A usage mistake exits 2. Output cut short because its reader went away
(faultline disasm prog | head) ends quietly with status 141, as a program killed by SIGPIPE.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write(`faultline ${VERSION}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command '${name}' (try 'faultline --help')`);
  return (await command.load()).main(rest);
}

/** A reader that went away (EPIPE on stdout or stderr) ends the command quietly: nobody is left to tell. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT_PIPE_CLOSED);
    throw err;
  });
}

quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`faultline: ${err.message}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      // A bug in faultline itself: say so plainly, with the stack for the bug report.
      process.stderr.write(`faultline: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = EXIT_INTERNAL;
    }
  },
);
