/**
 * The command's standard output and error, written with `writeSync` on descriptors 1 and 2.
 *
 * `process.stdout` and `process.stderr` are streams, and the first touch of either loads
 * Node's stream modules, and on a pipe its socket ones (node:net) as well, into a process
 * that, for a one-node command, otherwise needs none of them: a part of every cold `node` and
 * `render` call, in time and in resident memory (docs/performance.md). Node writes to files
 * and, on Linux, to pipes synchronously anyway, so writing here blocks exactly when the stream
 * would have: while a full pipe drains. Every write of the CLI goes through this module, so
 * what it prints is never reordered.
 */
import { writeSync } from 'node:fs';

const STDOUT = 1;
const STDERR = 2;

/** How long to wait before retrying a write to a non-blocking descriptor that is full. */
const FULL_PIPE_WAIT_MS = 2;

/**
 * The reader has gone (`reclass-net inventory | head`): nothing is wrong with the model, and
 * the command stops quietly (main.ts), as Python's reclass does on a closed pipe.
 */
export class StdoutClosed extends Error {
  constructor() {
    super('standard output was closed by its reader');
  }
}

/** Writes all of `data` to standard output, or throws StdoutClosed / the system's error. */
export function writeStdout(data: string | Uint8Array): void {
  if (!writeAll(STDOUT, data)) throw new StdoutClosed();
}

/** Writes all of `text` to standard error; a reader that has gone is not an error of ours. */
export function writeStderr(text: string): void {
  writeAll(STDERR, text);
}

/** A warning of the resolver's, as reclass prints it: the `warn` the CLI opens inventories with. */
export function warnOnStderr(message: string): void {
  writeStderr(`[WARNING] ${message}\n`);
}

/** Writes all of `data` to `fd`; false when its reader has gone (EPIPE). */
function writeAll(fd: number, data: string | Uint8Array): boolean {
  let bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  while (bytes.length > 0) {
    let written: number;
    try {
      written = writeSync(fd, bytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return false;
      // A descriptor inherited in non-blocking mode (some terminals, some parents' pipes)
      // refuses a write while full rather than waiting: wait a little and try again.
      if (code === 'EAGAIN') {
        sleep(FULL_PIPE_WAIT_MS);
        continue;
      }
      throw e;
    }
    bytes = bytes.subarray(written);
  }
  return true;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
