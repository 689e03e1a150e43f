/**
 * The V8 flags the installed command (launch.cts) sets before it compiles the bundle.
 *
 * A whole-inventory run is short and spends a third of its time warming up, and V8's
 * optimising compiler, on the second core, is busy for all of it: at N=1000 its jobs add
 * up to about 0.5 s, and a function waits in that queue for its optimised code. So:
 * - hand a function to the optimising compiler once it has run twice the default budget
 *   of bytecode (67,584): code that is hot only briefly stays in the lower tiers;
 * - inline at most 150 bytes of bytecode into one function instead of 920: each job is
 *   smaller, so the code that stays hot is optimised sooner.
 * Measured on the bench's inventories (best of 67,584 to 1,400,000 and 50 to 920,
 * interleaved runs): N=1000 about 710 -> 660 ms, N=5000 2.30 -> 2.19 s, cold `node`
 * unchanged (62-64 ms). The previous setting, four times the budget with default
 * inlining, had taken cold `node` from 80 to 68 ms.
 *
 * And the young generation grows four-fold instead of two-fold when it fills: a run keeps
 * what it learns about each class list (tens of MB at N=1000), which the collector copies
 * out of a young generation that starts at 1 MB; reaching full size in fewer steps copies
 * it fewer times. N=1000: median 635 -> 615 ms over 60 interleaved runs each; factors 8
 * and 16 were no better. (Read when the space grows, so it works when set at run time.)
 *
 * The commands that resolve one node do not grow it at all (ONE_NODE_FLAGS): they scavenge a
 * few times, copying little each time, and a young generation grown four-fold when it first
 * filled made a cold `node cmp01` of a real model (mcp-ocata-ovs) peak at 57 MB instead of
 * 53 MB, in no less time; kept at its first size, `node` and `render` cmp01 of ocata peak 2 MB
 * lower than with the default two-fold growth, at the same CPU time (20 interleaved runs). The
 * launcher sets the factor after compiling the bundle: V8 checks the code cache against the
 * flags set before, and would reject the cache a `node` call recorded.
 *
 * The commands that resolve one node run without V8's optimising compiler (`--no-turbofan`):
 * in a process of a few tens of milliseconds it optimised a handful of functions on the second
 * core, too late to pay back, and its code in the node binary, once paged in, is resident. A
 * cold `render cmp01` of mcp-ocata-ovs peaked at 49.6 instead of 53.6 MB and used 8% less CPU
 * (20 interleaved runs each), in the same wall time; `node` alike. Set after the bundle is
 * compiled, like the growth factor, and never while the build records the code cache.
 *
 * A command-line flag would cost more than it saves (Node then starts without its
 * start-up snapshot); set before the bundle is compiled, it is also in force when the
 * build records the code cache, whose check includes the engine's flags. Only the command
 * sets these, never the library. The bench's phase probe and the launch test apply the
 * same string.
 */
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
 * touched pages: at the size of real sites (the shared corpora, 150 generated nodes) peak RSS
 * was 90 MB, reclass's 32-64 MB. Without growth it scavenges more often (82 times instead of 13
 * at N=150) but each time copies little; without TurboFan its code stays out of memory and its
 * jobs off the second core. Peak RSS 90 -> 60 MB at N=150 and on mk24-ovs-dvr-vlan-bm, 99 -> 78 MB
 * at N=400, in the same or less wall time (15 interleaved runs each); at N=1000 the optimising
 * compiler pays (14% more CPU without it), hence the bound. `validate` alike: of ocata's cmp01
 * 57 -> 48 MB with 7% less CPU, of all 11 ocata nodes 91 -> 60 MB with 23% less.
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
 * up front, so a `node` call given the larger one paid for the renderer it never ran (2.5% more
 * CPU and 1.5 MB more peak RSS on the shared corpora's cmp01).
 */
export function codeCacheFor(args: readonly string[]): 'resolve' | 'render' {
  const command = args.find((a) => !a.startsWith('-'));
  return command !== undefined && RENDERING_COMMANDS.has(command) ? 'render' : 'resolve';
}
