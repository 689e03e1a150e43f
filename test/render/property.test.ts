/**
 * Random and hostile pillars: rendering either fails with NetworkValidationError or yields
 * files that hold exactly the declared stanzas and commands (nothing injected), and that
 * Debian's ifup accepts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { NetworkValidationError } from '../../src/errors.js';
import { renderNetwork, type RenderResult } from '../../src/render/index.js';
import type { Value, ValueMap } from '../../src/types.js';
import { parseInterfaces } from './parse.js';

const NAMES = ['eth0', 'eth1', 'ens3', 'bond0', 'bond0.10', 'vlan20', 'br-a', 'br-b', 'br0', 'p-a', 'p-b', 'mgmt0'];
const HOSTILE = [
  'a b',
  'x\ny',
  'e$(id)',
  'e;reboot',
  '`id`',
  'very-long-interface-name',
  'br:0',
  'e/1',
  "q'uote",
  '-x',
  'auto evil',
];
const name = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
);
const text = fc.oneof(
  fc.constantFrom('ip link set $IFACE up', 'echo ok', 'x\nauto evil', 'a\r\nb', 'true'),
  fc.string({ maxLength: 12 }),
);
const mtu: fc.Arbitrary<Value> = fc.oneof(
  fc.constantFrom(1500, 9000, 65000, '9000', 12, '9000\nup reboot'),
  fc.integer(),
);
const address = fc.constantFrom('10.0.0.1', '10.0.0.2', '192.0.2.10/24', '10.0.0.300', '10.0.0.1\n up x');
const ovsOptions = fc.constantFrom(
  'tag=5',
  'tag=5 vlan_mode=access',
  '-- set bridge br-a stp_enable=true',
  'tag=5;reboot',
  '$(x)',
  'tag=99999',
);

const iface: fc.Arbitrary<ValueMap> = fc.record(
  {
    type: fc.constantFrom('eth', 'slave', 'bond', 'vlan', 'bridge', 'ovs_bridge', 'ovs_port', 'ovs_bond', 'dpdk'),
    name,
    enabled: fc.boolean(),
    proto: fc.constantFrom('static', 'dhcp', 'manual'),
    address,
    netmask: fc.constantFrom('255.255.255.0', 24, '24', 'bogus'),
    gateway: fc.constantFrom('10.0.0.254', 'gw'),
    mtu,
    use_interfaces: fc.array(name, { maxLength: 2 }),
    use_ovs_ports: fc.array(name, { maxLength: 1 }),
    bridge: name,
    ovs_bridge: name,
    peer: name,
    master: name,
    slaves: fc.oneof(fc.array(name, { minLength: 1, maxLength: 3 }), name),
    mode: fc.constantFrom('active-backup', '802.3ad', 'balance-tcp', 'bogus'),
    port_type: fc.constantFrom('internal', 'patch'),
    tag: fc.oneof(fc.integer({ min: -1, max: 5000 }), fc.constant('12')),
    up_cmds: fc.array(text, { maxLength: 2 }),
    ovs_options: ovsOptions,
    name_servers: fc.array(fc.constantFrom('192.0.2.53', 'x y'), { maxLength: 2 }),
  },
  { requiredKeys: ['type'] },
);

const pillar = fc.dictionary(name, iface, { maxKeys: 6 }).map((interfaces): ValueMap => ({
  linux: { network: { enabled: true, bridge: 'openvswitch', interface: interfaces } },
}));

function tryRender(parameters: ValueMap): RenderResult | undefined {
  try {
    return renderNetwork({ name: 'prop01', parameters });
  } catch (error) {
    if (error instanceof NetworkValidationError) return undefined;
    throw error;
  }
}

function checkNothingInjected(result: RenderResult): void {
  const stanzas = parseInterfaces(result.interfaces);
  const declared = ['lo', ...result.model.interfaces.map((i) => i.name)];
  expect([...stanzas.keys()].sort()).toEqual([...declared].sort());
  for (const line of result.interfaces.split('\n')) {
    const head = line.trim().split(/\s+/)[0] ?? '';
    if (head === 'auto' || head.startsWith('allow-')) expect(declared).toContain(line.trim().split(/\s+/)[1]);
  }
  for (const line of result.ovsScript.split('\n')) {
    if (line === '' || line.startsWith('#') || line === 'set -e') continue;
    expect(line).toMatch(/^ovs-vsctl "\$@" --may-exist add-(br|port|bond)( [A-Za-z0-9_@%+=:,./-]+)+$/);
  }
}

describe('property: hostile pillars', () => {
  it('either fail validation or render only what was declared', () => {
    let rendered = 0;
    fc.assert(
      fc.property(pillar, (parameters) => {
        const result = tryRender(parameters);
        if (!result) return;
        rendered++;
        checkNothingInjected(result);
      }),
      { numRuns: 2000, seed: 4242 },
    );
    expect(rendered).toBeGreaterThan(50); // the generator must reach the renderers, not only validation
  });

  const scratch = mkdtempSync(join(tmpdir(), 'reclass-net-prop-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let ifup = true;
  try {
    execFileSync('ifup', ['--version'], { stdio: 'pipe' });
  } catch {
    ifup = false;
  }

  it.skipIf(!ifup)('render files that ifup --no-act accepts', () => {
    let n = 0;
    fc.assert(
      fc.property(pillar, (parameters) => {
        const result = tryRender(parameters);
        if (!result) return;
        const file = join(scratch, `i${n++}`);
        writeFileSync(file, result.interfaces);
        execFileSync('ifup', ['--no-act', '-i', file, '-a', '--state-dir', join(scratch, `s${n}`)], { stdio: 'pipe' });
      }),
      { numRuns: 400, seed: 777 },
    );
  });
});
