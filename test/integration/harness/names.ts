/**
 * Unique, short names for namespaces and temp dirs.
 *
 * Test files run in parallel worker processes, and a crashed run may leave a namespace
 * behind; names carry the pid plus a counter plus randomness so that neither collides.
 * Namespace names are kept short because they end up in paths and log lines.
 */
import { randomBytes } from 'node:crypto';

let counter = 0;

/** Prefix of every namespace this harness creates (see netns.ts, sweepStaleNamespaces). */
export const NETNS_PREFIX = 'rnt-';

/** `<pid base 36>-<counter><random>`: the pid lets a later run find leftovers of a dead one. */
export function uniqueId(): string {
  counter += 1;
  return `${process.pid.toString(36)}-${counter.toString(36)}${randomBytes(2).toString('hex')}`;
}

/** The pid that created a harness namespace, from its name (undefined if not ours). */
export function ownerPid(namespace: string): number | undefined {
  const match = /^rnt-[a-z]+-([0-9a-z]+)-[0-9a-z]+$/.exec(namespace);
  return match ? parseInt(match[1], 36) : undefined;
}
