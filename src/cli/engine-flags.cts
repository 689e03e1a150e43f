/**
 * The V8 flags the installed command (launch.cts) sets before it compiles the bundle.
 *
 * V8 hands a function to its optimising compiler once it has run for a set budget of
 * bytecode. The CLI's runs are short: at the default budget much of that compiling was
 * still under way, or just done, when the process ended, and the main thread waited for it
 * at exit. Four times the default (best of 67,584 to 1,400,000 measured) leaves short-lived
 * code to the interpreter and still optimises what stays hot, with no loss at 5000 nodes.
 * A command-line flag would cost more than it saves (Node then starts without its start-up
 * snapshot); set before the bundle is compiled, it is also in force when the build records
 * the code cache, whose check includes the engine's flags. Only the command sets these,
 * never the library. The bench's phase probe and the launch test apply the same string.
 */
export const ENGINE_FLAGS = '--interrupt-budget=270336';
