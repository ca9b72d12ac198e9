// Whether faultline colours its messages. They go to stderr (kernel messages, traces, stop reasons), so
// colour follows stderr being a terminal, whatever stdout is; NO_COLOR (https://no-color.org) turns it
// off, FORCE_COLOR on (0 or false: off), TERM=dumb off.

import kleur from 'kleur';

export function colourWanted(env: Readonly<Record<string, string | undefined>>, stderrIsTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.TERM === 'dumb') return false;
  return stderrIsTTY;
}

/** kleur decides from stdout at import; faultline's coloured text is on stderr. */
export function setupColour(): void {
  kleur.enabled = colourWanted(process.env, process.stderr.isTTY === true);
}
