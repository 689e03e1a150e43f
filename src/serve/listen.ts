/** Where the server listens: a loopback TCP address by default, a Unix socket on request. */
import { isIP } from 'node:net';
import { usageError } from '../cli/args.js';

export type ListenAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

const DEFAULT_LISTEN = '127.0.0.1:8180';

/** 127.0.0.0/8, ::1 and `localhost`: addresses no other machine can reach. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * `--listen HOST:PORT` (`[::1]:PORT` for IPv6) or `--socket PATH`. A pillar holds
 * passwords and keys, so an address other machines can reach needs `--allow-remote`.
 */
export function parseListen(
  listen: string | undefined,
  socket: string | undefined,
  allowRemote: boolean,
): ListenAddress {
  if (listen !== undefined && socket !== undefined) throw usageError("'serve' takes --listen or --socket, not both");
  if (socket !== undefined) {
    if (socket === '') throw usageError('--socket needs a path');
    return { kind: 'unix', path: socket };
  }
  const text = listen ?? DEFAULT_LISTEN;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw usageError(`--listen needs HOST:PORT (e.g. ${DEFAULT_LISTEN}), not '${text}'`);
  const host = m[1] ?? m[2];
  if (!isLoopback(host) && !allowRemote) {
    throw usageError(
      `refusing to listen on ${host}: pillars hold secrets, so only loopback addresses are served unless --allow-remote is given`,
    );
  }
  return { kind: 'tcp', host, port };
}
