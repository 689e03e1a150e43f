/**
 * Unique, short names for namespaces and temp dirs.
 *
 * Test files run in parallel worker processes, and a crashed run may leave a namespace
 * behind; names carry the pid plus a counter plus randomness so that neither collides.
 * Namespace names are kept short because they end up in paths and log lines.
 */
import { randomBytes } from 'node:crypto';

let counter = 0;

/** Prefix of every namespace this harness creates (see {@link sweepStaleNamespaces}). */
export const NETNS_PREFIX = 'rnt';

export function uniqueId(): string {
  counter += 1;
  return `${process.pid.toString(36)}${counter.toString(36)}${randomBytes(2).toString('hex')}`;
}
