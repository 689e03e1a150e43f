#!/usr/bin/env node
/**
 * The `reclass-net` command. Every failure ends in one paragraph on stderr and a non-zero
 * exit: 1 for a bad model or input, 2 for bad usage. `--debug` adds the stack trace.
 */
import { ReclassNetError } from '../errors.js';
import { parseCommand, usageError, type Command } from './args.js';
import { nearestWord } from '../network/suggest.js';
import { commands } from './commands.js';
import { chooseInventory, embeddedInventory, embeddedNotice } from './which-model.js';
import { escapeControl } from './terminal.js';
import { StdoutClosed, writeStderr, writeStdout } from './stdio.js';

function exitCodeOf(error: ReclassNetError): number {
  return error.kind === 'UsageError' ? 2 : 1;
}

function unknownCommand(name: string): ReclassNetError {
  const near = nearestWord(name, [...Object.keys(commands), 'help', 'completion']);
  return usageError(`unknown command '${name}'${near ? `; did you mean ${near}?` : ''}`);
}

/** Settles which inventory the command uses (which-model.ts) and says so where asked. */
function chooseModel(cmd: Command): void {
  const choice = chooseInventory(cmd.inventory, process.env, process.cwd(), embeddedInventory);
  cmd.inventory = choice.dir;
  cmd.inventorySource = choice.source;
  if (choice.source === 'embedded example') writeStderr(embeddedNotice(process.cwd()));
  else if (cmd.verbose) writeStderr(`reclass-net: inventory ${choice.dir} (from ${choice.source})\n`);
}

async function main(argv: string[]): Promise<number> {
  let cmd: Command | undefined;
  try {
    cmd = parseCommand(argv);
    if (cmd.version || cmd.help || cmd.name === 'help' || cmd.name === 'completion') {
      const { completionScript, helpText, versionText } = await import('./help.js');
      if (cmd.version) writeStdout(versionText() + '\n');
      else if (cmd.name === 'completion') {
        const script = completionScript(cmd.positionals[0] ?? '', Object.keys(commands));
        if (script === undefined) throw usageError("'completion' takes bash or zsh");
        writeStdout(script);
      } else {
        const topic = cmd.name === 'help' ? cmd.positionals[0] : cmd.name || undefined;
        const text = helpText(topic);
        // helpText answers every command without a topic, so only a topic can be unknown.
        if (text === undefined) throw unknownCommand(topic ?? '');
        writeStdout(text + '\n');
      }
      return 0;
    }
    if (!cmd.name) throw usageError('no command given');
    const run = commands[cmd.name];
    if (!run) throw unknownCommand(cmd.name);
    // Commands with one output form still refuse a --format they do not have.
    if (cmd.format !== undefined && ['explain', 'generate-nodes', 'serve'].includes(cmd.name))
      throw usageError(`'${cmd.name}' takes no --format`);
    chooseModel(cmd);
    // Every command, and every worker thread it starts, opens its inventories with
    // openInventory, whose default this sets.
    if (!cmd.accelerator) process.env.RECLASS_NET_ACCELERATOR = 'off';
    return await run(cmd);
  } catch (e) {
    // A reader that stops early (`reclass-net inventory | head`): stop quietly, at once (worker
    // threads included), instead of reporting an error. Nothing is wrong with the model.
    if (e instanceof StdoutClosed) process.exit(process.exitCode ?? 0);
    if (cmd?.debug) writeStderr(`${(e as Error).stack}\n`);
    if (e instanceof ReclassNetError) {
      writeStderr(`reclass-net: ${escapeControl(e.message)}\n`);
      return exitCodeOf(e);
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      // The system refused a file operation (ENAMETOOLONG, EACCES, ENOSPC, ...): the input
      // or the machine, not a bug of ours.
      writeStderr(`reclass-net: OutputError: ${escapeControl((e as Error).message)}\n`);
      return 1;
    }
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      // The resolver recurses per reference and per nesting level; a chain of thousands of
      // references runs out of stack (reclass itself stops at Python's recursion limit).
      const node = cmd && ['node', 'render', 'explain'].includes(cmd.name) ? cmd.positionals[0] : undefined;
      writeStderr(
        `reclass-net: InfiniteRecursion: the model nests data or chains references too deeply to resolve` +
          `${node ? ` for node ${node}` : ''} (run with --debug for the stack)\n`,
      );
      return 1;
    }
    if (e instanceof RangeError && /Invalid (string|array) length/i.test(e.message)) {
      // V8 caps a string at about 512 MB; data built by nesting references can be larger.
      writeStderr(
        'reclass-net: OutputError: the output is larger than a string can hold (about 512 MB); resolve fewer nodes or smaller data\n',
      );
      return 1;
    }
    writeStderr(`reclass-net: internal error: ${escapeControl((e as Error).message)} (run with --debug for details)\n`);
    return 1;
  }
}

// Not a top-level await: the installed command runs this module bundled as CommonJS
// (see launch.cts), where only a promise chain can wait for main.
// Exits at once rather than letting Node wind the process down: every command has written
// its output by now (stdio.ts writes synchronously) and awaited its work, and tearing down
// the environment and the engine's heap was a part of every cold call. Not while the build
// records the code cache (launch.cts): it runs several calls in this one process.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  if (process.env.RECLASS_NET_WRITE_CODE_CACHE === undefined) process.exit(code);
});
