/** The topology picture: DOT built from the network model, laid out by Graphviz (WebAssembly). */
import { describe, expect, it } from 'vitest';
import { buildNetworkModel } from '../../src/network/index.js';
import { dotToSvg, inlineSvg, topologyDot, topologySvg } from '../../src/docs/topology.js';
import { pageStem, relativeHref } from '../../src/docs/paths.js';
import { textOf } from './helpers.js';

function model(interfaces: Record<string, unknown>) {
  return buildNetworkModel({ name: 'n1', parameters: { linux: { network: { interface: interfaces } } } as never });
}

describe('topology', () => {
  it('draws NICs, bonds, VLANs, bridges and OVS with memberships as edges', async () => {
    const m = model({
      eth0: { type: 'slave', master: 'bond0', mtu: 9000 },
      eth1: { type: 'slave', master: 'bond0', mtu: 9000 },
      bond0: { type: 'bond', mode: '802.3ad', use_interfaces: ['eth0', 'eth1'], mtu: 9000 },
      'bond0.10': { type: 'vlan', use_interfaces: ['bond0'], mtu: 9000 },
      br0: {
        type: 'bridge',
        use_interfaces: ['bond0.10'],
        mtu: 9000,
        proto: 'static',
        address: '192.0.2.1',
        netmask: '255.255.255.0',
      },
      'br-a': { type: 'ovs_bridge', mtu: 1500 },
      'br-b': { type: 'ovs_bridge', mtu: 1500 },
      'a-to-b': { type: 'ovs_port', port_type: 'patch', bridge: 'br-a', peer: 'b-to-a' },
      'b-to-a': { type: 'ovs_port', port_type: 'patch', bridge: 'br-b', peer: 'a-to-b' },
    });
    const dot = topologyDot(m);
    // One undirected patch edge for the pair, not two.
    expect(dot.match(/label="patch"/g)).toHaveLength(1);
    expect(dot).toContain('subgraph cluster_0');
    const svg = await topologySvg(m);
    const text = textOf(svg);
    for (const name of ['eth0', 'eth1', 'bond0', 'bond0.10', 'br0', 'br-a', 'br-b', 'a-to-b', 'b-to-a'])
      expect(text).toContain(name);
    expect(text).toContain('VLAN 10');
    expect(text).toContain('192.0.2.1/24');
    expect(svg.startsWith('<svg class="topology" role="img"')).toBe(true);
  });

  it('quotes labels so model text cannot change the graph or the page', async () => {
    // A name validation would reject, handed straight to the picture: still only text.
    const m = model({ eth0: { type: 'eth' } });
    m.interfaces[0].name = 'x"];evil [label="\\N<script>';
    const dot = topologyDot(m);
    expect(dot).toContain('label="x\\"];evil [label=\\"\\\\N<script>\\n');
    const svg = await dotToSvg(dot);
    expect(svg).not.toContain('<script');
    expect(textOf(svg)).toContain('x"];evil [label="\\N<script>');
  });

  it('refuses SVG with active content', () => {
    expect(() => inlineSvg('<svg><a href="javascript:x">y</a></svg>')).toThrow(/active content/);
    expect(() => inlineSvg('<svg onload="x()"></svg>')).toThrow(/active content/);
  });

  it('names pages safely and links them relatively', () => {
    expect(pageStem('cmp01.lab.local')).toBe('cmp01.lab.local');
    expect(pageStem('../../etc/passwd')).toMatch(/^etc_passwd-[0-9a-f]{8}$/);
    expect(pageStem('a b')).not.toBe(pageStem('a_b'));
    expect(pageStem('..')).toMatch(/^x-[0-9a-f]{8}$/);
    expect(relativeHref('nodes/a.html', 'classes/b.html')).toBe('../classes/b.html');
    expect(relativeHref('index.html', 'nodes/a.html')).toBe('nodes/a.html');
    expect(relativeHref('nodes/a.html', 'nodes/a.svg')).toBe('a.svg');
  });
});
