/**
 * What each request path answers, from one model snapshot. Node names are looked up in the
 * inventory's index of node files, never used as a path: no request reads a file.
 */
import { ReclassNetError, NetworkValidationError } from '../errors.js';
import { pythonJson } from '../cli/output.js';
import { nodeDocument } from '../cli/node-output.js';
import { saltTop } from '../adapters/salt.js';
import type { ResolvedNode } from '../types.js';
import type { ReloadReport } from './model.js';
import type { NodeEntry, Snapshot } from './snapshot.js';

export interface Reply {
  status: number;
  body: Buffer | string;
}

/** What the routes need besides the snapshot: the reload state and the renderer. */
export interface RouteContext {
  snapshot: Snapshot | undefined;
  generation: number;
  lastReload: ReloadReport | undefined;
  /** renderNetwork, loaded on the first /render request. */
  render: () => Promise<(node: ResolvedNode) => unknown>;
}

const json = (status: number, data: unknown): Reply => ({ status, body: JSON.stringify(data, null, 2) + '\n' });

/** HTTP status of a typed error: a name that is no node is the client's mistake, a node that does not resolve is the model's. */
function statusOf(error: ReclassNetError): number {
  if (error.kind === 'NodeNotFound') return 404;
  if (error.kind === 'AmbiguousNodeName') return 409;
  if (error instanceof NetworkValidationError) return 422;
  return 500;
}

function errorReply(error: ReclassNetError): Reply {
  const body: Record<string, unknown> = { kind: error.kind, message: error.message };
  if (error instanceof NetworkValidationError) body.problems = error.problems;
  return json(statusOf(error), { error: body });
}

const failure = (status: number, kind: string, message: string): Reply => json(status, { error: { kind, message } });

const ROUTES = new Set(['nodes', 'pillar', 'top', 'render']);

export async function route(ctx: RouteContext, method: string, rawPath: string): Promise<Reply> {
  if (method !== 'GET' && method !== 'HEAD')
    return failure(405, 'MethodNotAllowed', `${method} is not served; use GET`);
  const path = rawPath.split('?', 1)[0];
  if (path === '/health') return health(ctx);
  const snapshot = ctx.snapshot;
  if (!snapshot) return failure(503, 'NotReady', 'the model is still loading');
  if (path === '/nodes') return json(200, [...snapshot.nodes.keys()]);
  const m = /^\/([a-z]+)\/([^/]+)$/.exec(path);
  if (!m || !ROUTES.has(m[1]))
    return failure(
      404,
      'NotFound',
      `no such path: ${path.slice(0, 200)} (try /nodes, /nodes/NAME, /pillar/NAME, /top/NAME, /render/NAME, /health)`,
    );
  let name: string;
  try {
    name = decodeURIComponent(m[2]);
  } catch {
    return failure(400, 'BadRequest', 'the node name is not valid percent-encoding');
  }
  const entry = lookup(snapshot, name);
  if (!entry.ok) return errorReply(entry.error);
  switch (m[1]) {
    case 'pillar':
      return { status: 200, body: entry.pillar };
    case 'top':
      return { status: 200, body: pythonJson(saltTop(entry.raw), snapshot.inventory.shared) + '\n' };
    case 'nodes':
      return { status: 200, body: pythonJson(nodeDocument(entry.raw), snapshot.inventory.shared) + '\n' };
    default:
      return render(ctx, snapshot, entry.raw.name);
  }
}

/** The node `name` (or the one node whose name starts with `name.`) in this snapshot. */
function lookup(snapshot: Snapshot, name: string): NodeEntry {
  const direct = snapshot.nodes.get(name);
  if (direct) return direct;
  try {
    return snapshot.nodes.get(snapshot.inventory.resolveName(name)) ?? { ok: false, error: notFound(name) };
  } catch (e) {
    if (e instanceof ReclassNetError) return { ok: false, error: e };
    throw e;
  }
}

const notFound = (name: string) => new ReclassNetError('NodeNotFound', `node '${name}' not found`);

/** renderNetwork's result, passed through whole: it may gain fields. */
async function render(ctx: RouteContext, snapshot: Snapshot, name: string): Promise<Reply> {
  const renderNetwork = await ctx.render();
  try {
    const node = await snapshot.inventory.node(name);
    return json(200, { node: name, ...(renderNetwork(node) as object) });
  } catch (e) {
    if (e instanceof ReclassNetError) return errorReply(e);
    throw e;
  }
}

function health(ctx: RouteContext): Reply {
  const { snapshot, lastReload } = ctx;
  const failing: Record<string, string> = {};
  for (const [name, entry] of snapshot?.nodes ?? []) if (!entry.ok) failing[name] = entry.error.message;
  const status = !snapshot ? 'loading' : lastReload?.ok === false ? 'stale' : 'ok';
  return json(snapshot ? 200 : 503, {
    status,
    generation: ctx.generation,
    loadedAt: snapshot?.loadedAt.toISOString() ?? null,
    nodes: snapshot?.nodes.size ?? 0,
    failingNodes: failing,
    lastReload: lastReload ? { at: lastReload.at.toISOString(), ok: lastReload.ok, errors: lastReload.errors } : null,
    rssBytes: process.memoryUsage.rss(),
  });
}
