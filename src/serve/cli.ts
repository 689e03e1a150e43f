/** `reclass-net serve`: starts the server and runs until SIGTERM or SIGINT. */
import { expectPositionals, usageError, type Command } from '../cli/args.js';
import { ReclassNetError } from '../errors.js';
import { parseListen } from './listen.js';
import { startServer } from './server.js';

const DEFAULT_POLL_MS = 1000;

export async function serve(cmd: Command, inventory: string): Promise<number> {
  expectPositionals(cmd, 0, 0, 'no positional arguments');
  const { listen, socket, 'allow-remote': allowRemote, 'poll-interval': poll } = cmd.integration;
  for (const key of ['pillar', 'top', 'minion-id', 'ext-nodes', 'list', 'host', 'applications-postfix'] as const) {
    if (cmd.integration[key] !== undefined) throw usageError(`'serve' does not take --${key}`);
  }
  if (cmd.format !== undefined) throw usageError("'serve' does not take --format (it answers JSON)");
  const address = parseListen(listen, socket, allowRemote ?? false);
  const pollIntervalMs = poll === undefined ? DEFAULT_POLL_MS : Number(poll);
  if (!Number.isInteger(pollIntervalMs) || pollIntervalMs < 50)
    throw usageError(`--poll-interval needs milliseconds (at least 50), not '${poll}'`);

  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  let server;
  try {
    server = await startServer({ inventory, address, pollIntervalMs, log });
  } catch (e) {
    if (e instanceof ReclassNetError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ReclassNetError(
      'ServeError',
      `cannot serve ${inventory} on ${listen ?? socket ?? 'the default address'}: ${(e as Error).message}${code === 'EADDRINUSE' ? ' (the address is in use)' : ''}`,
    );
  }
  log(`serving ${inventory} on ${server.where}`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log(`${signal}: stopping`);
  await server.close();
  log('stopped');
  return 0;
}
