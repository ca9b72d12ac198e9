// Kernel text addresses by name (Linux 5.10 kernel/kallsyms.c sprint_symbol, the %pS of printk): the
// uaccess stubs are faultline's only kernel text.

import { build_kernel_image } from './kernel_image.js';
import { hex64 } from './printk.js';

/** %pS: a kernel text address as symbol+offset/size, or the bare address outside the image. */
export function symbolize(ip: number): string {
  const img = build_kernel_image();
  let best: [string, number] | null = null;
  let next = img.base + img.size;
  for (const [name, addr] of img.symbols) {
    if (addr <= ip && (best === null || addr > best[1])) best = [name, addr];
  }
  if (best === null || ip >= img.base + img.size) return `0x${hex64(ip)}`;
  for (const addr of img.symbols.values()) if (addr > best[1] && addr < next) next = addr;
  return `${best[0]}+0x${(ip - best[1]).toString(16)}/0x${(next - best[1]).toString(16)}`;
}

/** %ps: the symbol and offset without the size (copy_user_generic+0x6), as a trace line wants it. */
export function symbolize_short(ip: number): string {
  return symbolize(ip).replace(/\/0x[0-9a-f]+$/, '');
}
