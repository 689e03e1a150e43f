/** Shared pieces of the docs tests: fixture paths, temp dirs, and reading generated pages. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** A small inventory with OVS (bridges, patch pair, tag), a bond, a VLAN and a Linux bridge. */
export const LAB = fileURLToPath(new URL('./fixtures/lab/', import.meta.url));
export const CLI = join(REPO, 'dist/src/cli/launch.cjs');

export function tempDir(prefix = 'reclass-net-docs-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The written files relative to `dir`, `/`-separated and sorted. */
export function relativeFiles(dir: string, files: string[]): string[] {
  return files.map((f) => relative(dir, f).split('\\').join('/')).sort();
}

export function read(dir: string, rel: string): string {
  return readFileSync(join(dir, rel), 'utf8');
}

/** Text content of an HTML fragment: tags dropped, the entities the templates produce decoded. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The `<text>` contents of the page's inline topology SVG. */
export function svgTexts(html: string): string[] {
  const svg = /<svg class="topology"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => textOf(m[1]).trim());
}

/** Every href / src of an HTML page. */
export function links(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown',
  '.js': 'text/javascript',
};

/** A static file server for `root` on 127.0.0.1, on a free port (the browser tests' site). */
export async function serveSite(root: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(root + sep)) return void res.writeHead(403).end();
    readFile(path).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
