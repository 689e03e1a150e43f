#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node --v8-pool-size=0
/**
 * The installed `reclass-net` command: starts the CLI (main.ts) from one bundled file with
 * V8's code cache, because a one-node call is mostly start-up. Each of these was measured
 * against the way before it (docs/performance.md, "Where the time goes"):
 * - one CommonJS bundle instead of 30 ES modules: the module loader resolves, reads and
 *   links one file, not thirty;
 * - the bundle is ASCII (scripts/bundle-cli.mjs) and read as Latin-1, a plain copy into a
 *   one-byte string, where UTF-8 decoding of its one non-ASCII character made a two-byte one;
 *   the build writes it already inside CommonJS's function wrapper, without blanks or
 *   comments, so that V8 compiles the string as read, not a copy joined to the wrapper;
 * - the build bundles this file with engine-flags.cts, one file to resolve, read and compile
 *   instead of two (tsc's two files are the fallback);
 * - the code cache written at build time (scripts/bundle-cli.mjs) holds the bytecode of
 *   every function a `node` and a `render` call run, so V8 neither parses nor compiles them;
 * - the shebang drops NODE_EXTRA_CA_CERTS: Node 20 reads and parses every certificate in
 *   that file at start-up, before any of our code runs (tens of ms for Debian's), and
 *   reclass-net never opens a TLS connection;
 * - the shebang sizes V8's pool of helper threads (optimising compiler, garbage collector)
 *   to the machine's cores (`--v8-pool-size=0`) instead of Node's fixed four: on the 2-vCPU
 *   machine four helpers took turns with the main thread, which does nearly all the work.
 *   A Node option, not a V8 flag, so Node keeps its built-in modules' code cache;
 * - V8 optimises a function later and inlines less than by default, and not at all in
 *   commands that resolve one node (engine-flags.cts).
 * When the bundle is missing (only `tsc` has run) it falls back to the ES modules; when V8
 * rejects the cache (another Node version, other engine flags) it compiles as usual.
 */
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { ENGINE_FLAGS, codeCacheFor, compileCached, runFlagsFor } from './engine-flags.cjs';

const bundle = join(__dirname, '../../cli/reclass-net.cjs');

// Before the bundle is compiled: see engine-flags.cts.
setFlagsFromString(ENGINE_FLAGS);

// Only the build sets this: it runs its calls in one process and keeps what V8 compiled
// for all of them (a cache recorded by `node` alone left a cold `render` compiling the
// resolver's consumers and the renderer itself). It compiles afresh, so that the cache
// holds what these calls run, not what an older cache held.
const cacheOut = process.env.RECLASS_NET_WRITE_CODE_CACHE;
const run = compileCached(bundle, codeCacheFile(bundle, codeCacheFor(process.argv.slice(2))), cacheOut);
if (run === undefined) {
  setFlagsFromString(runFlagsFor(process.argv.slice(2)));
  void import('./main.js');
} else {
  // After the cache's check, which these would fail (engine-flags.cts); and not while recording
  // the cache, which V8 stamps with the flags in force when it is written.
  if (!cacheOut) setFlagsFromString(runFlagsFor(process.argv.slice(2)));
  for (const call of cacheOut ? buildCalls(process.argv.slice(2)) : [process.argv.slice(2)]) {
    // main reads its arguments when the bundle runs, before its first await.
    process.argv = [...process.argv.slice(0, 2), ...call];
    const module = { exports: {} };
    run.call(module.exports, module.exports, createRequire(bundle), module, bundle, join(bundle, '..'));
  }
}

/** The build's command lines, one argument list separated from the next by `--then`. */
function buildCalls(args: string[]): string[][] {
  const calls: string[][] = [];
  let call: string[] = [];
  for (const a of args) {
    if (a !== '--then') call.push(a);
    else {
      calls.push(call);
      call = [];
    }
  }
  return [...calls, call];
}

/** Where the build writes the code cache of each kind (engine-flags.cts's codeCacheFor). */
function codeCacheFile(bundle: string, kind: 'resolve' | 'render'): string {
  return kind === 'resolve' ? `${bundle}.v8cache` : `${bundle}.${kind}.v8cache`;
}
