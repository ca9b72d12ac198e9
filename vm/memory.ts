// Guest physical memory: one ArrayBuffer, addressed by physical byte offset, split into 4 KiB frames.
// A new machine's memory is all zeros (the kernel's allocator relies on it to skip clearing frames no
// one has used yet). The host commits the buffer lazily, a page at a time on first touch: not touching
// memory the guest does not use keeps start-up fast and the host's footprint small.
// It also tracks which frames hold code the CPU has decoded, so that any write to such a frame
// (through the MMU or by a direct writer such as the kernel or the loader) invalidates that code.

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

/** Largest supported size: physical addresses must stay exact in int32 arithmetic on the hot path. */
export const MAX_PHYS_BYTES = 0x7fff_f000;

export class PhysicalMemory {
  readonly size: number;
  readonly frames: number;
  readonly u8: Uint8Array;
  readonly view: DataView;
  /** 1 where the CPU has cached decoded instructions from that frame. */
  readonly codeFrames: Uint8Array;
  /** Set by the CPU; called once when a marked code frame is written (the mark is cleared first). */
  onCodeWrite: (frame: number) => void = () => {};

  constructor(bytes: number) {
    if (!(bytes > 0) || bytes > MAX_PHYS_BYTES) {
      throw new RangeError(`physical memory size must be 1..${MAX_PHYS_BYTES} bytes, got ${bytes}`);
    }
    this.size = Math.ceil(bytes / PAGE_SIZE) * PAGE_SIZE;
    this.frames = this.size / PAGE_SIZE;
    const buf = new ArrayBuffer(this.size);
    this.u8 = new Uint8Array(buf);
    this.view = new DataView(buf);
    this.codeFrames = new Uint8Array(this.frames);
  }

  /** Writers that bypass the MMU (the kernel copying pages, the loader) call this for each frame they change. */
  noteWrite(frame: number): void {
    if (this.codeFrames[frame] !== 0) {
      this.codeFrames[frame] = 0;
      this.onCodeWrite(frame);
    }
  }

  /** noteWrite for every frame touched by bytes [addr, addr + len). */
  noteWriteRange(addr: number, len: number): void {
    if (len <= 0) return;
    const last = Math.floor((addr + len - 1) / PAGE_SIZE);
    for (let f = Math.floor(addr / PAGE_SIZE); f <= last; f++) this.noteWrite(f);
  }

  /** Fills a frame with zeros (and notes the write). */
  zeroFrame(frame: number): void {
    this.u8.fill(0, frame * PAGE_SIZE, (frame + 1) * PAGE_SIZE);
    this.noteWrite(frame);
  }

  /** Copies frame `src` over frame `dst` (and notes the write). */
  copyFrame(dst: number, src: number): void {
    this.u8.copyWithin(dst * PAGE_SIZE, src * PAGE_SIZE, (src + 1) * PAGE_SIZE);
    this.noteWrite(dst);
  }

  /** Copies bytes into physical memory at `addr` (and notes the writes), as the loader does. */
  writeBytes(addr: number, bytes: Uint8Array): void {
    this.u8.set(bytes, addr);
    this.noteWriteRange(addr, bytes.length);
  }
}
