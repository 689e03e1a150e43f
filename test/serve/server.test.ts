// `reclass-net serve` as a process on a loopback port: it answers what the commands print,
// reloads a changed model without failing a request, keeps the last good model when the new
// one breaks, withstands hostile and many requests, and stops cleanly on SIGTERM.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInventory } from '../../src/index.js';
import { ROOT } from '../adapters/oracle.js';
import { CLI, copySite, eventually, get, pool, serve, type Served } from './helpers.js';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
/** A JSON reply, as the shape the test reads of it. */
const json = <T>(body: string): T => JSON.parse(body) as T;
interface Health {
  status: string;
  generation: number;
  failingNodes: Record<string, unknown>;
  lastReload: { ok: boolean; errors: string[] };
  rssBytes: number;
}
interface ErrorReply {
  error: { kind: string; message: string };
}
const NO_TRACE = /\n\s+at /;

describe('serve on the embedded model', () => {
  let srv: Served;
  beforeAll(async () => {
    srv = await serve(ROOT);
  });
  afterAll(async () => {
    expect(await srv.stop()).toBe(0);
  });

  it("answers every node's pillar exactly as `salt --pillar` prints it", async () => {
    const names: string[] = json((await get(srv.port, '/nodes')).body);
    expect(names.sort()).toEqual([...(await openInventory(ROOT, { provenance: false })).nodeNames()].sort());
    const served = await pool(
      8,
      names.map((n) => () => get(srv.port, `/pillar/${encodeURIComponent(n)}`)),
    );
    // Two CLI processes at a time: the machine has two cores.
    const printed = await pool(
      2,
      names.map((n) => () => Promise.resolve(cli('salt', '--pillar', n, '--format', 'json', '--inventory', ROOT))),
    );
    names.forEach((n, i) => {
      expect(served[i].status, n).toBe(200);
      expect(printed[i].status, n).toBe(0);
      expect(served[i].body, n).toBe(printed[i].stdout);
    });
  });

  it('answers /nodes/NAME as `node NAME`, /top/NAME as `salt --top --minion-id`, /render/NAME as `render`', async () => {
    const name = 'ctl01.mcp-lab.local';
    expect((await get(srv.port, `/nodes/${name}`)).body).toBe(
      cli('node', name, '--format', 'json', '--inventory', ROOT).stdout,
    );
    expect((await get(srv.port, `/top/${name}`)).body).toBe(
      cli('salt', '--top', '--minion-id', name, '--format', 'json', '--inventory', ROOT).stdout,
    );
    const rendered = json<{ node: string; interfaces: string; ovs: unknown }>(
      (await get(srv.port, '/render/cmp01')).body,
    );
    const printed = json<{ interfaces: string; ovs: unknown }>(
      cli('render', 'cmp01', '--format', 'json', '--inventory', ROOT).stdout,
    );
    expect(rendered.node).toBe('cmp01.mcp-lab.local');
    expect(rendered.interfaces).toBe(printed.interfaces);
    expect(rendered.ovs).toEqual(printed.ovs);
  });
});

describe('serve on a site that changes', () => {
  const site = copySite();
  const common = join(site.dir, 'classes/common.yml');
  let srv: Served;
  const motd = async (node = 'web01.site.local') => {
    const r = await get(srv.port, `/pillar/${node}`);
    return {
      status: r.status,
      motd: r.status === 200 ? json<{ linux: { system: { motd: string } } }>(r.body).linux.system.motd : r.body,
    };
  };
  /** Replaces a file as git or a deployment does: a new file renamed over the old. */
  const replace = (file: string, text: string) => {
    writeFileSync(`${file}.new`, text);
    renameSync(`${file}.new`, file);
  };
  const health = async () => json<Health>((await get(srv.port, '/health')).body);

  beforeAll(async () => {
    srv = await serve(site.dir, '--poll-interval', '100');
  });
  afterAll(async () => {
    await srv.stop();
    site.cleanup();
  });

  it('answers a node that does not resolve with its typed error and a 5xx, and the others as usual', async () => {
    const broken = await get(srv.port, '/pillar/broken.site.local');
    expect(broken.status).toBe(500);
    expect(json<ErrorReply>(broken.body).error.kind).toBe('ResolveError');
    expect(json<ErrorReply>(broken.body).error.message).toMatch(/no_such_parameter/);
    expect(broken.body).not.toMatch(NO_TRACE);
    expect(await motd()).toEqual({ status: 200, motd: 'generation one' });
    const h = await health();
    expect(h.status).toBe('ok');
    expect(Object.keys(h.failingNodes)).toEqual(['broken.site.local']);
  });

  it('reloads a changed class; requests in flight get the old or the new value, never an error', async () => {
    const before = (await health()).generation;
    const seen = new Set<string>();
    const failures: string[] = [];
    let stop = false;
    const load = (async () => {
      let rounds = 0;
      // Bounded: 8 concurrent requests per round, at most 2000 rounds.
      while (!stop && rounds++ < 2000) {
        for (const r of await Promise.all(Array.from({ length: 8 }, () => motd()))) {
          if (r.status === 200) seen.add(r.motd);
          else failures.push(`${r.status} ${r.motd}`);
        }
      }
    })();
    replace(
      common,
      'applications: [linux]\nparameters:\n  _param:\n    motd: generation two\n  linux:\n    system:\n      motd: ${_param:motd}\n',
    );
    await eventually(async () => ((await motd()).motd === 'generation two' ? true : undefined), 'the new value');
    stop = true;
    await load;
    expect(failures).toEqual([]);
    expect(
      [...seen].every((v) => v === 'generation one' || v === 'generation two'),
      [...seen].join(', '),
    ).toBe(true);
    const h = await health();
    expect(h.generation).toBeGreaterThan(before);
    expect(h.status).toBe('ok');
    expect(srv.log()).toMatch(/model \d+ loaded/);
  });

  it('keeps answering with the last good model when a class breaks, and reports it at /health', async () => {
    const good = (await motd()).motd;
    const generation = (await health()).generation;
    replace(common, 'applications: [linux]\nparameters: {_param: {motd: [unclosed\n');
    const h = await eventually(async () => {
      const now = await health();
      return now.status === 'stale' ? now : undefined;
    }, 'the refused reload');
    expect(h.generation).toBe(generation);
    expect(h.lastReload.ok).toBe(false);
    expect(h.lastReload.errors.join('\n')).toMatch(/common\.yml/);
    expect(await motd()).toEqual({ status: 200, motd: good });
    expect(await motd('web02.site.local')).toEqual({ status: 200, motd: good });
    expect(srv.log()).toMatch(/reload refused, still answering with model \d+: .*common\.yml/);

    replace(
      common,
      'applications: [linux]\nparameters:\n  _param:\n    motd: generation three\n  linux:\n    system:\n      motd: ${_param:motd}\n',
    );
    await eventually(async () => ((await motd()).motd === 'generation three' ? true : undefined), 'the repaired model');
    expect((await health()).status).toBe('ok');
  });

  it('answers bad paths, .. and bad methods with a 4xx and a JSON error, reading no file', async () => {
    const paths = [
      '/',
      '/nope',
      '/pillar',
      '/pillar/',
      '/pillar/a/b',
      '/pillar/..',
      '/pillar/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/../../../etc/passwd',
      '/pillar/../../../etc/passwd',
      '/nodes/..%2Freclass-config.yml',
      '/pillar/%ZZ',
      '/pillar/web01.site.local/../../../../etc/passwd',
      '/render/%00',
      '/top/' + 'x'.repeat(5000),
      '//pillar//web01',
    ];
    for (const path of paths) {
      const r = await get(srv.port, path);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
      expect(json<ErrorReply>(r.body).error.kind, path).toMatch(/^[A-Za-z]+$/);
      expect(r.body, path).not.toMatch(/root:|nodes_uri|NODE_|\n\s+at /);
    }
    const post = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: srv.port, path: '/pillar/web01.site.local', method: 'POST', agent: false },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(post).toBe(405);
  });

  it('refuses huge headers with 431 and keeps serving', async () => {
    const r = await get(srv.port, '/pillar/web01.site.local', { 'X-Big': 'a'.repeat(64 * 1024) }).catch((e: Error) => ({
      status: -1,
      body: e.message,
    }));
    // Node answers 431 and closes; a client may also see the reset first.
    expect([431, -1]).toContain(r.status);
    expect((await motd()).status).toBe(200);
  });

  it('serves others while slow clients hold connections half-sent', async () => {
    const slow = Array.from({ length: 20 }, () => {
      const s = connect(srv.port, '127.0.0.1');
      s.on('error', () => {});
      s.write('GET /pillar/web01.site.local HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      return s;
    });
    try {
      const rs = await pool(
        8,
        Array.from({ length: 40 }, () => () => motd()),
      );
      expect(rs.every((r) => r.status === 200)).toBe(true);
    } finally {
      slow.forEach((s) => s.destroy());
    }
  });

  it('answers many concurrent requests, losing none, with memory flat', async () => {
    const burst = (n: number) =>
      pool(
        64,
        Array.from(
          { length: n },
          (_, i) => () => get(srv.port, i % 2 ? '/pillar/web01.site.local' : '/nodes/web02.site.local'),
        ),
      );
    await burst(500); // warm-up: code compiled, pools sized
    const rssBefore = (await health()).rssBytes;
    const rs = await burst(3000);
    expect(rs.filter((r) => r.status !== 200)).toEqual([]);
    expect(new Set(rs.filter((_, i) => i % 2).map((r) => r.body)).size).toBe(1);
    const rssAfter = (await health()).rssBytes;
    // Flat within noise: 3000 requests that each kept their reply would take far more.
    expect(rssAfter - rssBefore).toBeLessThan(48 * 1024 * 1024);
  });
});

describe('serve, starting and stopping', () => {
  it('logs one line per request and stops on SIGTERM with exit 0', async () => {
    const srv = await serve(copySite().dir);
    expect((await get(srv.port, '/pillar/web02.site.local')).status).toBe(200);
    expect((await get(srv.port, '/nope')).status).toBe(404);
    expect(await srv.stop()).toBe(0);
    expect(srv.log()).toMatch(/GET \/pillar\/web02\.site\.local 200 \d+\.\dms\n/);
    expect(srv.log()).toMatch(/GET \/nope 404 \d+\.\dms\n/);
    expect(srv.log()).toMatch(/SIGTERM: stopping\n.*stopped\n$/);
    await expect(get(srv.port, '/health')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('listens on a Unix socket and removes it when stopped', async () => {
    const site = copySite();
    const socketPath = join(site.dir, 'serve.sock');
    const child = (await import('node:child_process')).spawn(
      process.execPath,
      [CLI, 'serve', '--inventory', site.dir, '--socket', socketPath],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (log += c));
    await eventually(() => Promise.resolve(/serving .* on /.test(log) ? true : undefined), 'the socket');
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ socketPath, path: '/top/web01.site.local', agent: false }, (res) => {
        let b = '';
        res.setEncoding('utf8').on('data', (c: string) => (b += c));
        res.on('end', () => resolve(b));
      });
      req.on('error', reject);
      req.end();
    });
    expect(json(body)).toEqual({ base: ['linux', 'nginx'] });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(existsSync(socketPath)).toBe(false);
    site.cleanup();
  });

  it('refuses a non-loopback address without --allow-remote, and a missing inventory, each in one line', () => {
    const remote = cli('serve', '--listen', '0.0.0.0:0', '--inventory', ROOT);
    expect(remote.status).toBe(2);
    expect(remote.stderr).toMatch(/^reclass-net: UsageError: refusing to listen on 0\.0\.0\.0.*\n$/);
    const missing = cli('serve', '--listen', '127.0.0.1:0', '--inventory', '/nonexistent/inventory');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^reclass-net: .*\/nonexistent\/inventory.*\n$/);
  });
});
