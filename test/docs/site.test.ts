/**
 * The HTML site of a small fixture inventory: what each page says, that every link lands on a
 * generated page, that model text is escaped, and that writes are atomic.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDocs } from '../../src/docs/index.js';
import { openInventory } from '../../src/index.js';
import { analyzeNetwork } from '../../src/network/index.js';
import { LAB, links, read, relativeFiles, removeDir, svgTexts, tempDir, textOf } from './helpers.js';

let out: string;
let files: string[];

beforeAll(async () => {
  out = tempDir();
  const inv = await openInventory(LAB);
  files = relativeFiles(out, await generateDocs(inv, out, { format: 'html' }));
});
afterAll(() => removeDir(out));

describe('docs site (html) of the lab fixture', () => {
  it('writes an index, a class index, a page per node and a page per class', () => {
    expect(files).toEqual([
      'classes.html',
      'classes/cluster.lab.compute.html',
      'classes/cluster.lab.control.html',
      'classes/cluster.lab.html',
      'classes/system.linux.network.bond.html',
      'classes/system.linux.network.defaults.html',
      'classes/system.linux.network.ovs.html',
      'index.html',
      'networks.html',
      'networks/subnet-10.0.0.0-24.html',
      'networks/vlan-100.html',
      'nodes/bad01.lab.local.html',
      'nodes/cmp01.lab.local.html',
      'nodes/ctl01.lab.local.html',
      'search-index.js',
      'search.html',
      'search.js',
      'site.html',
    ]);
    // Atomic writes leave no temporary files behind.
    const all = readdirSync(out, { recursive: true }).map(String);
    expect(all.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('indexes nodes by cluster with role, domain, addresses and class count', () => {
    const index = read(out, 'index.html');
    expect(index).toContain('Cluster lab');
    const row = /<tr>\s*<td><a href="nodes\/cmp01\.lab\.local\.html">cmp01\.lab\.local<\/a><\/td>([\s\S]*?)<\/tr>/.exec(
      index,
    );
    expect(row, 'cmp01 row').not.toBeNull();
    const cells = textOf(row![1]);
    expect(cells).toContain('compute'); // role: its cluster class without `cluster.lab.`
    expect(cells).toContain('lab.local');
    expect(cells).toContain('eth0 10.0.0.11/24');
    expect(cells).toMatch(/\b4\s*$/); // cluster.lab.compute, system.linux.network.ovs, .defaults, cluster.lab
  });

  it('shows the class tree in resolution order with the chain that included each class', async () => {
    const inv = await openInventory(LAB);
    const node = await inv.node('cmp01');
    const page = read(out, 'nodes/cmp01.lab.local.html');
    const section = page.slice(page.indexOf('Classes in resolution order'));
    const rows = [
      ...section.matchAll(
        /<tr><td class="num">(\d+)<\/td><td>([\s\S]*?)<\/td><td>([\s\S]*?)<\/td><td class="mono">([^<]*)<\/td><\/tr>/g,
      ),
    ];
    expect(rows.map((r) => textOf(r[2]).trim())).toEqual(node.classTree.map((c) => c.name));
    const defaults = rows.find((r) => textOf(r[2]).trim() === 'system.linux.network.defaults')!;
    expect(textOf(defaults[3]).trim()).toBe('cluster.lab.compute → system.linux.network.ovs');
    expect(defaults[4]).toBe('classes/system/linux/network/defaults.yml');
    expect(defaults[3]).toContain('href="../classes/system.linux.network.ovs.html"');
  });

  it('tabulates interfaces with type, MTU, address, members, bridge, peer and tag', () => {
    const page = read(out, 'nodes/cmp01.lab.local.html');
    const rowOf = (name: string) => {
      const m = new RegExp(
        `<tr[^>]*>\\s*<td><strong class="mono">${name.replace(/\./g, '\\.')}</strong>([\\s\\S]*?)</tr>`,
      ).exec(page);
      expect(m, `row of ${name}`).not.toBeNull();
      return textOf(m![1]);
    };
    expect(rowOf('eth0')).toMatch(/NIC \(eth\).*1500.*10\.0\.0\.11\/24/);
    // Effective MTUs: an OVS port without mtu gets the bridge default, marked as a default.
    expect(rowOf('data-to-ex')).toContain('1500 (default)');
    expect(rowOf('eth1')).toMatch(/NIC \(eth\).*9000.*br-data/);
    expect(rowOf('br-data')).toMatch(/OVS bridge \(ovs_bridge\).*9000/);
    expect(rowOf('data-to-ex')).toMatch(/OVS patch port \(ovs_port\).*br-data.*ex-to-data.*100/);
  });

  it('gives the provenance of each interface value: file and line of each step', () => {
    const page = read(out, 'nodes/cmp01.lab.local.html');
    const row = /<strong class="mono">eth1<\/strong>[\s\S]*?<\/tr>/.exec(page)![0];
    // The MTU of eth1: written by the system class through ${_param:data_mtu}, whose default
    // the cluster class overrides.
    const mtu = /<details class="prov"><summary title="([^"]*)">mtu: ([^<]*)<\/summary>([\s\S]*?)<\/details>/.exec(
      row,
    )!;
    expect(mtu[1]).toBe('classes/system/linux/network/ovs.yml:20:16');
    expect(mtu[2]).toBe('ovs.yml:20');
    const steps = textOf(mtu[3]);
    expect(steps).toContain(
      'set ${_param:data_mtu} by system.linux.network.ovs at classes/system/linux/network/ovs.yml:20:16',
    );
    expect(steps).toContain('reference through ${_param:data_mtu}');
    expect(steps).toContain(
      'set 1500 by system.linux.network.defaults at classes/system/linux/network/defaults.yml:5:15',
    );
    expect(steps).toContain('override 9000 by cluster.lab at classes/cluster/lab/init.yml:4:15');
    expect(steps.indexOf('defaults.yml')).toBeLessThan(steps.indexOf('init.yml')); // oldest first
  });

  it('draws every interface of the node in the topology SVG, with MTUs', () => {
    for (const [page, names] of [
      ['nodes/cmp01.lab.local.html', ['eth0', 'eth1', 'br-data', 'br-ex', 'data-to-ex', 'ex-to-data']],
      ['nodes/ctl01.lab.local.html', ['eth2', 'eth3', 'bond0', 'bond0.100', 'br-mgmt']],
    ] as const) {
      const html = read(out, page);
      const texts = svgTexts(html);
      for (const name of names) expect(texts, `${page}: ${name}`).toContain(name);
      expect(texts).toContain('MTU 9000');
    }
    const cmp = svgTexts(read(out, 'nodes/cmp01.lab.local.html'));
    expect(cmp).toContain('OVS patch port, tag 100');
    expect(cmp).toContain('patch'); // the patch pair's edge
    const ctl = svgTexts(read(out, 'nodes/ctl01.lab.local.html'));
    expect(ctl).toContain('VLAN 100');
    expect(ctl).toContain('10.0.0.21/24');
  });

  it('draws an invalid network all the same, its problems marked on the interfaces they concern', async () => {
    const page = read(out, 'nodes/bad01.lab.local.html');
    expect(page).toContain('<svg class="topology"');
    expect(svgTexts(page)).toContain('⚠ validation problem');
    expect(textOf(page)).toContain('a VLAN has one raw device, but use_interfaces lists 2');
    // The row of the interface the problem is about is marked, and carries the problem.
    const inv = await openInventory(LAB);
    const { problems } = analyzeNetwork(await inv.node('bad01'));
    const concerned = [
      ...new Set(problems.filter((p) => p.severity === 'error' && p.interface).map((p) => p.interface!)),
    ];
    expect(concerned.length).toBeGreaterThan(0);
    for (const key of concerned) {
      const row = new RegExp(
        `<tr class="[^"]*\\bbad\\b[^"]*"[^>]*>\\s*<td><strong class="mono">${key.replace(/[.]/g, '\\.')}</strong>`,
      );
      expect(page, key).toMatch(row);
    }
    expect(textOf(read(out, 'index.html'))).toContain('network invalid');
  });

  it('escapes model text: markup in values stays text', () => {
    const bad = read(out, 'nodes/bad01.lab.local.html');
    expect(bad).not.toContain('<img src=x');
    expect(bad).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const cls = read(out, 'classes/cluster.lab.html');
    expect(cls).not.toContain("<script>alert('motd')");
    expect(cls).toContain('&lt;script&gt;');
    // No script but the search page's own two files; no event handler anywhere.
    for (const f of files.filter((f) => f.endsWith('.html'))) {
      const html =
        f === 'search.html'
          ? read(out, f).replace('<script src="search-index.js"></script>\n<script src="search.js"></script>', '')
          : read(out, f);
      expect(html, f).not.toMatch(/<script|<[^>]*\son[a-z]+=/i);
    }
  });

  it('shows what a class sets and which nodes use it', () => {
    const page = read(out, 'classes/system.linux.network.ovs.html');
    expect(page).toContain('classes/system/linux/network/ovs.yml');
    const pre = textOf(/<pre>([\s\S]*?)<\/pre>/.exec(page)![1]);
    expect(pre).toContain('mtu: ${_param:data_mtu}');
    expect(pre).toContain('bridge: openvswitch');
    const users = page.slice(page.indexOf('Nodes that use it'));
    expect(users).toContain('href="../nodes/cmp01.lab.local.html"');
    expect(users).not.toContain('ctl01');
    expect(textOf(users)).toContain('cluster.lab.compute');
    const defaults = read(out, 'classes/system.linux.network.defaults.html');
    for (const n of ['bad01', 'cmp01', 'ctl01']) expect(defaults).toContain(`../nodes/${n}.lab.local.html`);
  });

  it('has no broken links: every href points at a generated page', () => {
    const generated = new Set(files);
    for (const page of files) {
      for (const href of links(read(out, page))) {
        const target = posix.normalize(posix.join(posix.dirname(page), href.split('#')[0]));
        expect(generated.has(target), `${page} -> ${href}`).toBe(true);
      }
    }
  });

  it('needs nothing from the network: no external URLs in any page', () => {
    for (const f of files) {
      const html = read(out, f);
      expect(
        links(html).filter((l) => /^[a-z]+:/i.test(l)),
        f,
      ).toEqual([]);
      expect(html).not.toMatch(/<link\b|@import|url\(http/i);
    }
    expect(existsSync(join(dirname(join(out, 'index.html')), 'nodes'))).toBe(true);
  });
});
