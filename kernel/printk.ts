// printk and the kernel log buffer (Linux 5.10 kernel/printk/printk.c, reduced): every message is kept
// (dmesg) and handed to a sink as it is logged; the sink (the CLI) decides how to show it, colours included.

import type { LogLevel } from './machine.js';

export type PrintkSink = (level: LogLevel, line: string) => void;

export interface LogRecord {
  level: LogLevel;
  text: string;
}

/** The log buffer. Bounded like Linux's ring buffer, so a guest that faults forever cannot grow it without end. */
export class Printk {
  static readonly LOG_BUF_LINES = 4096;
  readonly records: LogRecord[] = [];

  constructor(private readonly sink: PrintkSink = () => {}) {}

  // Linux 5.10 kernel/printk/printk.c vprintk_store + console_unlock: store, then print to the console
  printk(level: LogLevel, text: string): void {
    if (this.records.length >= Printk.LOG_BUF_LINES) this.records.shift();
    this.records.push({ level, text });
    this.sink(level, text);
  }

  /** The log as dmesg prints it: one message per line. */
  dmesg(): string {
    return this.records.map((r) => `${r.text}\n`).join('');
  }
}

const TWO32 = 4294967296;

/** %lx of a canonical 64-bit value held as a number: the unsigned value in hex (kernel addresses print ffff...). */
export function hex64(v: number): string {
  if (v >= 0) return v.toString(16);
  const hi = (Math.floor(v / TWO32) >>> 0).toString(16);
  const lo = (((v % TWO32) + TWO32) % TWO32).toString(16).padStart(8, '0');
  return hi + lo;
}

/** %016lx (and %px): the same, zero-padded to 16 digits. */
export function hex16(v: number): string {
  return hex64(v).padStart(16, '0');
}
