/**
 * The resident server: HTTP/JSON over node:http on a loopback port or a Unix socket,
 * answering from the model in memory and reloading it when the inventory's files change.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { ModelHolder } from './model.js';
import { route, type Reply, type RouteContext } from './routes.js';
import type { ListenAddress } from './listen.js';
import type { ResolvedNode } from '../types.js';

export interface ServeOptions {
  inventory: string;
  address: ListenAddress;
  /** How often the inventory's files are checked for changes, in ms. */
  pollIntervalMs: number;
  /** One line per request and per reload. */
  log: (line: string) => void;
}

export interface RunningServer {
  /** `host:port` or the socket path, as bound (port 0 becomes the real port). */
  where: string;
  /** Stops accepting, lets requests in flight finish, stops watching. */
  close(): Promise<void>;
}

// Bounds a slow or hostile client: headers must arrive within 10 s and a whole request
// within 30 s; a header block over 16 KiB is refused (431) by Node itself.
const LIMITS = { maxHeaderSize: 16 * 1024, headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 };
/** Connections beyond this are dropped: each costs memory, and a Salt master needs a few. */
const MAX_CONNECTIONS = 1024;

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { log } = options;
  const model = new ModelHolder(options.inventory, log);
  await model.start();

  let renderer: Promise<(node: ResolvedNode) => unknown> | undefined;
  const context = (): RouteContext => ({
    snapshot: model.current,
    generation: model.generation,
    lastReload: model.lastReload,
    render: () =>
      (renderer ??= import('../render/index.js').then((m) => (node: ResolvedNode) => m.renderNetwork(node))),
  });

  const server = createServer(LIMITS, (req, res) => void handle(req, res, context, log));
  server.maxConnections = MAX_CONNECTIONS;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Malformed requests, oversized headers and timeouts never reach the handler.
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    log(`- - ${status} (${err.code ?? err.message})`);
    if (socket.writable)
      socket.end(
        `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
    else socket.destroy();
  });

  const { address } = options;
  if (address.kind === 'unix') server.listen(address.path);
  else server.listen(address.port, address.host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]: Error[]) => Promise.reject(error)),
  ]);
  const bound = server.address();
  const where =
    typeof bound === 'string'
      ? bound
      : bound
        ? `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`
        : '?';

  const stopWatching = watch(model, options.pollIntervalMs);
  return {
    where,
    close: async () => {
      stopWatching();
      await closeServer(server);
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  context: () => RouteContext,
  log: (line: string) => void,
): Promise<void> {
  const started = process.hrtime.bigint();
  const method = req.method ?? '-';
  const path = req.url ?? '-';
  let reply: Reply;
  try {
    reply = await route(context(), method, path);
  } catch (e) {
    // A bug, not the model: the client gets one line, the log the message, nobody a stack.
    log(`internal error on ${method} ${path}: ${(e as Error).message}`);
    reply = {
      status: 500,
      body: JSON.stringify({ error: { kind: 'InternalError', message: 'internal error; see the server log' } }) + '\n',
    };
  }
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log(`${method} ${path.slice(0, 300)} ${res.statusCode} ${ms.toFixed(1)}ms`);
  });
  res.writeHead(reply.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(reply.body),
    'Cache-Control': 'no-store',
  });
  res.end(method === 'HEAD' ? undefined : reply.body);
}

/**
 * Polls the inventory's files; a change starts a reload, one at a time. A change is acted
 * on once two looks in a row agree: an editor or a copy writing a file in place is seen
 * half-written at most once, and half a YAML file can still parse (to the wrong value).
 */
function watch(model: ModelHolder, intervalMs: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let previous: string | undefined;
  const tick = async () => {
    try {
      const { fingerprint, changed } = await model.look();
      if (changed && fingerprint === previous) await model.reload();
      previous = fingerprint;
    } finally {
      if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
    }
  };
  timer = setTimeout(() => void tick(), intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Stops listening, closes idle keep-alive connections, and waits for requests in flight. */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // A connection still busy after 10 s (a stuck client) is not worth waiting for.
  const timer = setTimeout(() => server.closeAllConnections(), 10_000);
  await closed;
  clearTimeout(timer);
}
