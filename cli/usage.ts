// Command-line parsing shared by the subcommands.

/** A mistake in how faultline was invoked: reported as one line, exit status 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
  /** Where the words after `--` start in positional (positional.length when there was no `--`). */
  afterDashDash: number;
}

/**
 * Parse argv against the options a command accepts. `valued` options take the next word
 * (or `--opt=value`); `boolean` ones take none. Everything after the first positional that
 * `stopAtPositional` names (e.g. the guest program) is left for the guest.
 */
export function parseArgs(
  argv: string[],
  spec: { valued?: string[]; boolean?: string[]; aliases?: Record<string, string>; stopAfterPositionals?: number },
): ParsedArgs {
  const valued = new Set(spec.valued ?? []);
  const boolean = new Set(spec.boolean ?? []);
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  let afterDashDash = -1;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (spec.stopAfterPositionals !== undefined && positional.length >= spec.stopAfterPositionals) {
      positional.push(word);
      continue;
    }
    if (word === '--') {
      afterDashDash = positional.length;
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      positional.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    let name = eq >= 0 ? word.slice(0, eq) : word;
    name = spec.aliases?.[name] ?? name;
    const key = name.replace(/^--?/, '');
    if (valued.has(key)) {
      const value = eq >= 0 ? word.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`option ${name} needs a value`);
      flags.set(key, value);
    } else if (boolean.has(key) && eq < 0) {
      flags.set(key, true);
    } else {
      throw new UsageError(`unknown option '${word}'`);
    }
  }
  return { positional, flags, afterDashDash: afterDashDash < 0 ? positional.length : afterDashDash };
}
