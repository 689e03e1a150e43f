#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node
/**
 * The installed `reclass-net` command: starts the CLI (main.ts) from one bundled file with
 * V8's code cache, because a one-node call is mostly start-up. Measured on the N=1000 bench
 * inventory (2-vCPU VM, best of 20), against `node dist/src/cli/main.js`:
 * - one CommonJS bundle instead of 30 ES modules: the module loader resolves, reads and
 *   links one file, not thirty, about 15 ms less;
 * - the code cache written at build time (scripts/bundle-cli.mjs) holds the bytecode of
 *   every function a `node` call runs, so V8 neither parses nor compiles them: about 7 ms;
 * - the shebang drops NODE_EXTRA_CA_CERTS: Node 20 reads and parses every certificate in
 *   that file at start-up, before any of our code runs (44 ms for Debian's bundle), and
 *   reclass-net never opens a TLS connection;
 * - V8 optimises a function later than by default (below): about 14 ms of a `node` call
 *   and 60 ms of a 1000-node `inventory` run.
 * When the bundle is missing (only `tsc` has run) it falls back to the ES modules; when V8
 * rejects the cache (another Node version, other engine flags) it compiles as usual.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire, wrap } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

const bundle = join(__dirname, '../../cli/reclass-net.cjs');

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

// V8 hands a function to its optimising compiler once it has run for a set budget of
// bytecode. The CLI's runs are short: at the default budget much of that compiling was
// still under way, or just done, when the process ended, and the main thread waited for it
// at exit. Four times the default (best of 67,584 to 1,400,000 measured) leaves short-lived
// code to the interpreter and still optimises what stays hot, with no loss at 5000 nodes.
// A command-line flag would cost more than it saves (Node then starts without its start-up
// snapshot); set here, before the bundle is compiled, it is also in force when the build
// records the code cache, whose check includes the engine's flags. Only the command does
// this, never the library.
setFlagsFromString('--interrupt-budget=270336');

const source = readIfThere(bundle);
if (source === undefined) {
  void import('./main.js');
} else {
  const cacheFile = `${bundle}.v8cache`;
  const script = new Script(wrap(source.toString('utf8')), { filename: bundle, cachedData: readIfThere(cacheFile) });
  // Only the build sets this: it runs one call and keeps what V8 compiled for it.
  const cacheOut = process.env.RECLASS_NET_WRITE_CODE_CACHE;
  if (cacheOut) process.once('exit', () => writeFileSync(cacheOut, script.createCachedData()));
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} };
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, join(bundle, '..'));
}
