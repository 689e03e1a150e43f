/**
 * Issue 20 in a real browser (Debian's /usr/bin/chromium via playwright-core), on the embedded
 * model and on the mk24 corpus: the networks page, the site picture, a node page with a
 * validation problem, a class page and the search. It clicks from the site picture to a node
 * and from a search hit to its page, and checks what the pages say (addresses, VLANs, MTUs,
 * resolved values) against the resolved model, not against a snapshot. Screenshots go to
 * docs/screenshots/, which the README links to.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveMtus } from '../../src/docs/mtu.js';
import { generateDocs } from '../../src/docs/index.js';
import { openInventory, type ResolvedNode } from '../../src/index.js';
import { analyzeNetwork, formatCidr } from '../../src/network/index.js';
import { networkOf } from '../../src/network/ipv4.js';
import type { NetworkModel } from '../../src/network/types.js';
import { REPO, removeDir, tempDir, serveSite } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const MK24 = join(REPO, '../shared/corpus/mk24-ovs-dvr-vlan-bm/inventory');
const SHOTS = join(REPO, 'docs/screenshots');

interface Expected {
  node: ResolvedNode;
  model: NetworkModel;
  errors: string[];
}

const MODELS = [
  { label: 'example', dir: REPO },
  { label: 'mk24', dir: MK24 },
].filter((m) => existsSync(m.dir));

describe.skipIf(!existsSync(CHROMIUM))('the site plan in Chromium', () => {
  let browser: import('playwright-core').Browser;
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => browser?.close());

  for (const { label, dir } of MODELS) {
    describe(label, () => {
      let out: string;
      let server: Server;
      let base: string;
      let page: Page;
      const errors: string[] = [];
      const expected = new Map<string, Expected>();

      beforeAll(async () => {
        out = tempDir();
        const inv = await openInventory(dir);
        await generateDocs(inv, out);
        for (const node of await inv.nodes()) {
          const { model, problems } = analyzeNetwork(node);
          expected.set(node.name, {
            node,
            model,
            errors: problems.filter((p) => p.severity === 'error').map((p) => p.interface ?? ''),
          });
        }
        ({ server, base } = await serveSite(out));
        page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        await page.route('**/*', (r) => (r.request().url().startsWith(base) ? r.continue() : r.abort()));
      });
      afterAll(async () => {
        await page?.close();
        await new Promise((resolve) => server?.close(resolve));
        removeDir(out);
      });

      const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${label}-${name}.png`) });

      it('networks page: every subnet with its hosts, addresses and MTUs as the model has them', async () => {
        // Subnet -> address -> [node, effective MTU], from the model.
        const subnets = new Map<string, Map<string, [string, number]>>();
        for (const { node, model } of expected.values()) {
          const mtus = effectiveMtus(model);
          for (const i of model.interfaces) {
            if (!i.address || !i.enabled) continue;
            const net = `${networkOf(i.address)}/${i.address.prefixLength}`;
            if (!subnets.has(net)) subnets.set(net, new Map());
            subnets.get(net)!.set(formatCidr(i.address), [node.name, mtus.get(i.name)!.mtu]);
          }
        }
        expect(subnets.size).toBeGreaterThan(0);
        await page.goto(base + 'networks.html');
        await shot('networks');
        const rows = await page.$$eval('table.networks tbody tr', (trs) =>
          trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
        );
        const listed = new Map(rows.map((r) => [r[0], r]));
        for (const [net, hosts] of subnets) {
          expect(listed.has(net), net).toBe(true);
          expect(Number(listed.get(net)![7]), `${net} host count`).toBe(hosts.size);
        }
        // The busiest subnet's own page: every host, address and MTU.
        const [net, hosts] = [...subnets].sort((a, b) => b[1].size - a[1].size)[0];
        await page.click(`table.networks a:text-is("${net}")`);
        await page.waitForSelector('table.hosts');
        await shot('network');
        const hostRows = await page.$$eval('table.hosts tbody tr', (trs) =>
          trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
        );
        const seen = new Map(hostRows.map((r) => [r[2].replace(/\s*held twice$/, ''), r]));
        for (const [address, [node, mtu]] of hosts) {
          if (address.includes('redacted')) continue;
          const row = seen.get(address);
          if (!row) {
            // The redaction of published output may hide an address that is also a secret value.
            expect(
              hostRows.some((r) => r[0] === node && r[2].includes('redacted')),
              `${node} ${address}`,
            ).toBe(true);
            continue;
          }
          expect(row[0]).toBe(node);
          expect(Number.parseInt(row[5], 10)).toBe(mtu);
        }
        // VLAN ids on the page are the model's: each VLAN id shown is one a host on it uses.
        const vlans = new Set(
          [...expected.values()].flatMap((e) =>
            e.model.interfaces.flatMap((i) => [i.vlan?.id, i.tag]).filter((v) => v !== undefined),
          ),
        );
        for (const r of rows)
          for (const v of r[1]
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean))
            expect(vlans.has(Number(v)), `VLAN ${v}`).toBe(true);
      });

      it('site picture: every host drawn, grouped by cluster; a click on a host opens its node page', async () => {
        await page.goto(base + 'site.html');
        await shot('site-picture');
        const titles = await page.$$eval('svg.site-picture a > title', (ts) => ts.map((t) => t.textContent ?? ''));
        for (const name of expected.keys())
          expect(
            titles.some((t) => t === name || t.startsWith(`${name}:`)),
            name,
          ).toBe(true);
        const withAddress = [...expected.values()].find((e) => e.model.interfaces.some((i) => i.address))!;
        const box = page
          .locator('svg.site-picture a', { has: page.locator(`title:text-is("${withAddress.node.name}")`) })
          .first();
        await box.click();
        await page.waitForURL(/\/nodes\//);
        expect((await page.textContent('h1'))!.trim()).toBe(`Node ${withAddress.node.name}`);
        const address = withAddress.model.interfaces.find((i) => i.address)!;
        expect(await page.textContent('table.interfaces')).toContain(formatCidr(address.address!));
      });

      it('node page with a validation problem: picture and table, the problem marked on its interface', async () => {
        const bad = [...expected.values()].find((e) => e.errors.some(Boolean));
        if (!bad) return expect(label).toBe('example'); // the embedded model validates; mk24 has kvm nodes that do not
        await page.goto(base + 'index.html');
        await page.click(`a:text-is("${bad.node.name}")`);
        await page.waitForSelector('svg.topology');
        await shot('node-with-problem');
        const marked = await page.$$eval('table.interfaces tr.bad strong', (els) =>
          els.map((e) => e.textContent.trim()),
        );
        const keys = bad.errors.filter(Boolean);
        const names = keys.map((k) => bad.model.interfaces.find((i) => i.key === k)?.name ?? k);
        for (const n of names) expect(marked).toContain(n);
        const svgText = await page.textContent('svg.topology');
        expect(svgText).toContain('validation problem');
        // Effective MTUs in the table are the model's, defaults marked.
        const mtus = effectiveMtus(bad.model);
        const cells = await page.$$eval('table.interfaces tbody tr', (trs) =>
          trs.map((tr) => [
            tr.querySelector('strong')!.textContent.trim(),
            tr.children[2].firstChild?.textContent?.trim() ?? '',
          ]),
        );
        for (const [name, mtu] of cells) {
          const e = mtus.get(name)!;
          expect(Number.parseInt(mtu, 10), name).toBe(e.mtu);
          expect(mtu.includes('(default)'), name).toBe(e.origin === 'default');
        }
      });

      it('class page: parameters as written and as resolved on the nodes that use the class', async () => {
        await page.goto(base + 'classes.html');
        // A class whose parameters hold a reference, used by at least two nodes.
        const candidates = await page.$$eval('table tbody tr', (trs) =>
          trs.map((tr) => [tr.querySelector('a')!.getAttribute('href')!, Number(tr.children[2].textContent)]),
        );
        let checked = 0;
        for (const [href, users] of candidates) {
          if ((users as number) < 2) continue;
          await page.goto(base + href);
          const rows = await page.$$eval('table.params tbody tr', (trs) =>
            trs.map((tr) => ({
              path: tr.children[0].textContent.trim(),
              ref: tr.children[1].querySelector('.ref') !== null,
              values: [...tr.children[2].querySelectorAll('li')].map((li) => ({
                value: li.querySelector('code')?.textContent ?? '',
                nodes: [...li.querySelectorAll('a')].map((a) => a.textContent),
              })),
            })),
          );
          const row = rows.find((r) => r.ref && r.values.length > 0 && !r.values[0].value.includes('redacted'));
          if (!row) continue;
          await shot('class');
          for (const { value, nodes } of row.values) {
            if (value.includes('<redacted>')) continue; // a value that is also a secret's is scrubbed everywhere
            for (const n of nodes) {
              let v: unknown = expected.get(n)!.node.parameters;
              for (const k of row.path.split(':')) v = (v as Record<string, unknown>)?.[k];
              expect(typeof v === 'string' ? v : JSON.stringify(v), `${href} ${row.path} on ${n}`).toBe(value);
            }
          }
          checked++;
          break;
        }
        expect(checked).toBe(1);
      });

      it('search: an address finds its node; the hit opens the page', async () => {
        const e = [...expected.values()].find((x) =>
          x.model.interfaces.some((i) => i.address && !i.address.address.endsWith('.1')),
        )!;
        const iface = e.model.interfaces.find((i) => i.address)!;
        const address = iface.address!.address;
        await page.goto(base + 'index.html');
        await page.fill('header input[name=q]', address);
        await page.press('header input[name=q]', 'Enter');
        await page.waitForSelector('#results li');
        await shot('search');
        const hits = await page.$$eval('#results li', (lis) => lis.map((li) => li.textContent ?? ''));
        expect(hits.some((h) => h.includes(address) && h.includes(e.node.name))).toBe(true);
        await page.click(`#results li:has-text("${e.node.name}") >> a`);
        await page.waitForURL(/\/nodes\//);
        expect((await page.textContent('h1'))!.trim()).toBe(`Node ${e.node.name}`);
        expect(await page.textContent('table.interfaces')).toContain(formatCidr(iface.address!));
        // The node pages work without JavaScript: the search page says where to go instead.
        expect(await page.locator('script').count()).toBe(0);
      });

      it('had no page or console errors', () => expect(errors).toEqual([]));
    });
  }
});
