// faultline's exit statuses. A program that ran ends with the guest's own status (its exit code, or 128 +
// the signal that killed it), which is the contract; faultline's own outcomes use statuses a course
// program rarely gives, each with one line on stderr that names it, so a script can tell them apart.

export const EXIT_USAGE = 2;
/** The program was stopped at the instruction budget (as timeout(1) reports a timeout). */
export const EXIT_MAX_STEPS = 124;
/** The program was stopped as a fork bomb. */
export const EXIT_FORK_BOMB = 125;
/** The program was stopped because no task could ever run again (every task blocked). */
export const EXIT_DEADLOCK = 123;
/** The program could not be run: assembly errors, or not an executable faultline can load (as a shell's 126). */
export const EXIT_CANNOT_RUN = 126;
/** The program file could not be read (as a shell's 127 for a command not found). */
export const EXIT_NOT_FOUND = 127;
/** faultline's own output was cut short (its reader closed the pipe), as for a program killed by SIGPIPE. */
export const EXIT_PIPE_CLOSED = 141;
/** A bug in faultline (EX_SOFTWARE). */
export const EXIT_INTERNAL = 70;

/** The table --help and the README show. */
export const EXIT_STATUS_HELP = `exit status (faultline run):
  0-255  the guest's own: its exit code, or 128 + the signal that killed it (139 SIGSEGV, 141 SIGPIPE)
  2      usage mistake (one line on stderr)
  123    faultline: stopped: deadlock: every task is blocked
  124    faultline: stopped: the guest ran N instructions (--max-steps)
  125    faultline: stopped: fork bomb: ...
  126    faultline: not run: the program has assembly errors or is not an ELF faultline can load
  127    faultline: cannot read FILE: the program file is missing or unreadable
  70     faultline: internal error (a bug in faultline)
A guest may exit with any of these numbers itself: the lines on stderr say which it was.
`;
