// A skipped test says why: uvu counts skips but prints no names, so each skip also prints one line that
// scripts/test.mjs gathers into the run's closing summary.
import { test } from 'uvu';

/** Registers `title` as skipped and prints `skipped: TITLE: REASON`. */
export function skip(title: string, reason: string): void {
  test.skip(title, () => {});
  console.log(`skipped: ${title}: ${reason}`);
}
