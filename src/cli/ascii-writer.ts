/**
 * Writes ASCII text (reclass-net's JSON is ASCII-only, see output.ts) to a stream through
 * one reused buffer. A whole-inventory run writes tens of MB. Joining each run of nodes
 * into one string and copying that into a new Buffer put both in memory the process had
 * not touched before, a MB at a time: page faults and time the reused buffer saves
 * (docs/performance.md).
 */

/**
 * Takes a chunk and is done with it when it returns, or when the promise it returns settles:
 * only then is the buffer reused. Failures are the sink's to report (stdio.ts).
 */
export type ChunkSink = (chunk: Buffer) => void | Promise<void>;

/** Big enough that a flush per buffer costs nothing, small enough to stay in the cache. */
const CAPACITY = 256 * 1024;

export class AsciiWriter {
  private readonly buffer = Buffer.allocUnsafeSlow(CAPACITY);
  private used = 0;

  constructor(private readonly send: ChunkSink) {}

  /** Appends `text`; returns a promise only when the buffer had to be written first. */
  write(text: string): Promise<void> | void {
    if (this.used + text.length > CAPACITY) return this.flushThen(text);
    this.used += this.buffer.write(text, this.used, 'latin1');
  }

  private async flushThen(text: string): Promise<void> {
    await this.flush();
    if (text.length > CAPACITY) await this.send(Buffer.from(text, 'latin1'));
    else this.used = this.buffer.write(text, 0, 'latin1');
  }

  /** Writes what is buffered, and waits until the sink is done with the buffer. */
  async flush(): Promise<void> {
    if (this.used === 0) return;
    const filled = this.buffer.subarray(0, this.used);
    this.used = 0;
    await this.send(filled);
  }
}
