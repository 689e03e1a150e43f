/**
 * The generated site for the embedded model, opened in headless Chromium (Debian's
 * /usr/bin/chromium driven by playwright-core): every page loads without console errors, every
 * link and image resolves to a generated file, nothing is fetched from anywhere but the local
 * server, and each node page's SVG names each of the node's interfaces.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDocs } from '../../src/docs/index.js';
import { pageLayout } from '../../src/docs/paths.js';
import { openInventory, renderNetwork } from '../../src/index.js';
import { REPO, relativeFiles, removeDir, tempDir, serveSite } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  console.warn(
    `docs browser test skipped: ${CHROMIUM} is missing (Debian package \`chromium\`; add it to .ci/run's apt-get list)`,
  );
}

describe.skipIf(!HAVE_CHROMIUM)('docs site of the embedded model in Chromium', () => {
  let out: string;
  let pages: string[];
  let server: Server;
  let base: string;
  const interfaces = new Map<string, string[]>();

  beforeAll(async () => {
    out = tempDir();
    const inv = await openInventory(REPO);
    pages = relativeFiles(out, await generateDocs(inv, out, { format: 'html' }));
    const layout = pageLayout('html', { nodes: inv.nodeNames() });
    for (const node of await inv.nodes()) {
      interfaces.set(
        layout.node(node.name),
        renderNetwork(node).model.interfaces.map((i) => i.name),
      );
    }
    ({ server, base } = await serveSite(out));
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    removeDir(out);
  });

  it('visits every page: no console errors, no broken links, every interface in each node SVG', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const problems: string[] = [];
    try {
      const page = await browser.newPage();
      let current = '';
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`${current}: console error: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`${current}: page error: ${err.message}`));
      page.on('requestfailed', (req) => problems.push(`${current}: request failed: ${req.url()}`));
      page.on('response', (res) => {
        if (res.status() >= 400) problems.push(`${current}: HTTP ${res.status()} for ${res.url()}`);
      });
      // The site must work offline: anything not served by the local server is refused.
      await page.route('**/*', (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));

      const generated = new Set(pages);
      expect(pages.filter((p) => !p.endsWith('.html'))).toEqual(['search-index.js', 'search.js']);
      expect(interfaces.size).toBeGreaterThan(40);
      for (const rel of pages.filter((p) => p.endsWith('.html'))) {
        current = rel;
        const response = await page.goto(base + rel, { waitUntil: 'load' });
        expect(response?.status(), rel).toBe(200);
        // getAttribute, not .href: an SVG <a> (the site picture) has no string href property.
        const targets: string[] = await page.$$eval('a[href], img[src], link[href], script[src]', (els) =>
          els.map((e) => new URL(e.getAttribute('href') ?? e.getAttribute('src') ?? '', document.baseURI).href),
        );
        for (const target of targets) {
          const url = new URL(target);
          const file = decodeURIComponent(url.pathname).replace(/^\//, '');
          if (!url.href.startsWith(base) || !generated.has(file)) problems.push(`${rel}: broken link ${target}`);
        }
        const names = interfaces.get(rel);
        if (names) {
          const texts: string[] = await page.$$eval('svg.topology text', (els) => els.map((e) => e.textContent ?? ''));
          expect(texts.length, `${rel} has a topology SVG`).toBeGreaterThan(0);
          for (const name of names) if (!texts.includes(name)) problems.push(`${rel}: SVG lacks interface ${name}`);
        }
      }
      expect([...interfaces.keys()].filter((p) => !generated.has(p))).toEqual([]);
    } finally {
      await browser.close();
    }
    expect(problems).toEqual([]);
  });
});
