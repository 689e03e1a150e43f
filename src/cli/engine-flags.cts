/**
 * The V8 flags the installed command (launch.cts) sets before it compiles the bundle, and the
 * code caches it compiles with. What each bought, measured, is in docs/performance.md ("Where
 * the time goes" and "One node, cold").
 *
 * A whole-inventory run is short and spends much of its time warming up, and V8's optimising
 * compiler, on the second core, is busy for all of it: a function waits in that queue for its
 * optimised code. So:
 * - hand a function to the optimising compiler once it has run twice the default budget
 *   of bytecode: code that is hot only briefly stays in the lower tiers;
 * - inline far less bytecode into one function than by default: each job is smaller, so the
 *   code that stays hot is optimised sooner.
 *
 * And the young generation grows four-fold instead of two-fold when it fills: a run keeps
 * what it learns about each class list, which the collector copies out of a small young
 * generation; reaching full size in fewer steps copies it fewer times (larger factors were no
 * better). V8 reads the factor when the space grows, so it works when set at run time.
 *
 * The commands that resolve one node do not grow it at all (ONE_NODE_FLAGS): they scavenge a
 * few times, copying little each time, and a grown young generation is only touched memory.
 * They also run without V8's optimising compiler (`--no-turbofan`): in a process of a few tens
 * of milliseconds it optimised a handful of functions on the second core, too late to pay
 * back, and its code in the node binary, once paged in, stays resident. The launcher sets both
 * after compiling the bundle: V8 checks the code cache against the flags set before, and would
 * reject the cache the build recorded; never while the build records it.
 *
 * A flag on the command line would cost more than it saves: Node then rejects the code cache
 * of its own built-in modules, which is checked against the engine's flags too. Set before the
 * bundle is compiled, ENGINE_FLAGS are also in force when the build records the code cache.
 * Only the command sets these, never the library. The bench's phase probe and the launch test
 * apply the same string.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Script } from 'node:vm';

export const ENGINE_FLAGS = '--interrupt-budget=135168 --max-inlined-bytecode-size-cumulative=150';

/**
 * The young generation's growth for commands that resolve many nodes (see above).
 * @public the launch test reads it from the build, where knip cannot follow
 */
export const MANY_NODES_FLAGS = '--semi-space-growth-factor=4';

/**
 * The optimising compiler off and no young-generation growth, for commands that resolve one node (see above).
 * @public the launch test reads it from the build, where knip cannot follow
 */
export const ONE_NODE_FLAGS = '--no-turbofan --semi-space-growth-factor=1';

/**
 * `inventory` and `validate` start with SMALL_INVENTORY_FLAGS and, once they know how many
 * nodes they resolve, take LARGE_INVENTORY_FLAGS when it is at least this many.
 */
export const SMALL_INVENTORY_NODES = 500;

/**
 * A small inventory holds little, yet a young generation grown four-fold twice is tens of MB of
 * touched pages: at the size of real sites (the shared corpora, 150 generated nodes) that was
 * most of the peak. Without growth it scavenges more often but each time copies little;
 * without TurboFan its code stays out of memory and its jobs off the second core, in the same
 * or less wall time. From some hundreds of nodes on, the optimising compiler pays, hence the
 * bound; `validate` alike.
 * @public the launch test reads it from the build, where knip cannot follow
 */
export const SMALL_INVENTORY_FLAGS = '--semi-space-growth-factor=1 --no-turbofan';

/**
 * What a large inventory gets back once its size is known: V8 reads the growth factor when the
 * space next grows and TurboFan's flag when a function is next considered, so both work mid-run.
 */
export const LARGE_INVENTORY_FLAGS = `${MANY_NODES_FLAGS} --turbofan`;

/** Commands that learn early how many nodes they resolve (SMALL_INVENTORY_NODES). */
const SIZED_COMMANDS = new Set(['inventory', 'validate']);

/** Commands that resolve one node, unless `--all` asks for every one. */
const ONE_NODE_COMMANDS = new Set(['node', 'render', 'explain', 'diff', 'apply']);

/**
 * Whether a command line (the arguments after the program) gets MANY_NODES_FLAGS rather than
 * ONE_NODE_FLAGS. The command is the first argument that is not an option; where that guess is
 * wrong, a one-node command gets the many-node flags, which only costs it a few MB.
 * @public the launch test reads it from the build, where knip cannot follow
 */
export function resolvesManyNodes(args: readonly string[]): boolean {
  const command = args.find((a) => !a.startsWith('-'));
  return command === undefined || !ONE_NODE_COMMANDS.has(command) || args.includes('--all');
}

/** The flags a command line gets once the bundle is compiled (the launcher sets them). */
export function runFlagsFor(args: readonly string[]): string {
  if (!resolvesManyNodes(args)) return ONE_NODE_FLAGS;
  const command = args.find((a) => !a.startsWith('-'));
  return command !== undefined && SIZED_COMMANDS.has(command) ? SMALL_INVENTORY_FLAGS : MANY_NODES_FLAGS;
}

/**
 * Every flag a command line runs under (for probes that compile no bundle).
 * @public the launch test and the bench's probes read it from the build, where knip cannot follow
 */
export function engineFlagsFor(args: readonly string[]): string {
  return `${ENGINE_FLAGS} ${runFlagsFor(args)}`;
}

/** Commands that analyse or render a network pillar: they load the renderer's code. */
const RENDERING_COMMANDS = new Set(['render', 'validate', 'diff', 'apply']);

/**
 * The code cache a command line takes (the build records both, scripts/bundle-cli.mjs):
 * `render` holds the renderer's code as well, which V8 would otherwise compile on the way;
 * `resolve` holds only what resolving and printing a node run. V8 deserialises all of a cache
 * up front, so a `node` call given the larger one paid, in CPU and memory, for the renderer it
 * never ran.
 */
export function codeCacheFor(args: readonly string[]): 'resolve' | 'render' {
  const command = args.find((a) => !a.startsWith('-'));
  return command !== undefined && RENDERING_COMMANDS.has(command) ? 'render' : 'resolve';
}

/** A CommonJS file's body as Node's `wrap` makes it a function. */
export type ModuleFunction = (
  exports: object,
  require: NodeRequire,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

/**
 * `file` compiled with the V8 code cache in `cacheFile`, as the launcher compiles the bundle and
 * the bundle its copy of the yaml package; undefined when `file` is not there. V8 takes a cache
 * only for the same source length, engine and flags, and otherwise compiles as usual. With
 * `recordTo` (set by the build alone) it compiles afresh and writes what V8 has compiled by the
 * time the process exits. The build writes these files ASCII, so Latin-1 reads them with a
 * plain copy into a one-byte string, and already wrapped as Node wraps a CommonJS file
 * (scripts/bundle-cli.mjs), so that the string read is the one V8 compiles.
 */
export function compileCached(file: string, cacheFile: string, recordTo?: string): ModuleFunction | undefined {
  const source = readIfThere(file);
  if (source === undefined) return undefined;
  const cachedData = recordTo ? undefined : readIfThere(cacheFile);
  const script = new Script(source.toString('latin1'), { filename: file, cachedData });
  if (recordTo) process.once('exit', () => writeFileSync(recordTo, script.createCachedData()));
  return script.runInThisContext() as ModuleFunction;
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
