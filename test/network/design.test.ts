/**
 * The site design a model declares under `reclass_net:design`: forbidden networks and overlay
 * MTU budgets, checked on every node that has a network pillar; and the example model's MOSK
 * and MidoNet clusters, which declare theirs, validate clean.
 */
import { describe, expect, it } from 'vitest';
import { openInventory } from '../../src/index.js';
import { analyzeNetwork, formatProblem } from '../../src/network/index.js';
import { nodeFromYaml } from './helpers.js';

const DESIGN = `
reclass_net:
  design:
    forbidden_networks:
      pxe: 10.16.0.0/24
      oob: 10.16.8.0/24
    overlays:
      tenant:
        underlay: 10.16.3.0/24
        mtu: 8950
        encapsulation: vxlan
`;

function problemsOf(interfaces: string, design = DESIGN): string[] {
  const indented = interfaces
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  return analyzeNetwork(nodeFromYaml(`${design}\nlinux:\n  network:\n    interface:\n${indented}\n`)).problems.map(
    formatProblem,
  );
}

describe('reclass_net:design', () => {
  it('holds nothing against a node that keeps to it', () => {
    expect(
      problemsOf(`
ens3: {type: eth, address: 10.16.1.10, netmask: 255.255.255.0, gateway: 10.16.1.1}
ens4: {type: eth, address: 10.16.3.10, netmask: 255.255.255.0, mtu: 9000}
`),
    ).toEqual([]);
  });

  it('refuses an address, a gateway and a route in a forbidden network, naming the network and the key', () => {
    const problems = problemsOf(`
ens3: {type: eth, address: 10.16.0.10, netmask: 255.255.255.0}
ens4:
  type: eth
  address: 10.16.1.10
  netmask: 255.255.255.0
  route:
    bmc: {address: 10.16.8.0, netmask: 255.255.255.0, gateway: 10.16.1.1}
    other: {address: 10.30.0.0, netmask: 255.255.0.0, gateway: 10.16.1.1}
ens5: {type: eth, address: 10.16.9.10, netmask: 255.255.255.0, gateway: 10.16.9.1}
`);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /interface ens3, key address: address 10\.16\.0\.10 is in the pxe network 10\.16\.0\.0\/24, which reclass_net:design:forbidden_networks keeps off every host \(set in classes\/cluster\/lab\/network\.yml:\d+/,
    );
    expect(problems[1]).toMatch(/interface ens4, key route:bmc: route 10\.16\.8\.0\/24 reaches into the oob network/);
    expect(problemsOf(`ens3: {type: eth, address: 10.16.1.10, netmask: 255.255.255.0, gateway: 10.16.8.1}`)[0]).toMatch(
      /key gateway: gateway 10\.16\.8\.1 is in the oob network/,
    );
  });

  it('refuses an underlay MTU below the overlay MTU plus the encapsulation, the default 1500 included', () => {
    const [short] = problemsOf(`ens4: {type: eth, address: 10.16.3.10, netmask: 255.255.255.0, mtu: 8990}`);
    expect(short).toMatch(
      /interface ens4, key mtu: MTU 8990 of ens4, the underlay of overlay tenant, is below its MTU 8950 plus 50 bytes of vxlan \(9000\)/,
    );
    const [unset] = problemsOf(`ens4: {type: eth, address: 10.16.3.10, netmask: 255.255.255.0}`);
    expect(unset).toMatch(/MTU 1500 \(the default\) of ens4/);
    // GRE needs 42 bytes: 8992 is enough for it.
    expect(
      problemsOf(
        `ens4: {type: eth, address: 10.16.3.10, netmask: 255.255.255.0, mtu: 8992}`,
        DESIGN.replace('vxlan', 'gre'),
      ),
    ).toEqual([]);
    // A node off the underlay is no tunnel endpoint.
    expect(problemsOf(`ens4: {type: eth, address: 10.16.4.10, netmask: 255.255.255.0, mtu: 1500}`)).toEqual([]);
  });

  it('reports a design of the wrong shape, and warns of unknown keys', () => {
    const problems = problemsOf(
      `ens3: {type: eth, address: 10.16.1.10, netmask: 255.255.255.0}`,
      `
reclass_net:
  design:
    forbiden_networks: {}
    forbidden_networks: {pxe: 10.16.0.0}
    overlays:
      tenant: {underlay: 10.16.3.0/24, mtu: 8950, encapsulation: ipip}
`,
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^warning: node cmp01, key reclass_net:design:forbiden_networks: unknown key "forbiden_networks"/,
      ),
      expect.stringMatching(
        /key reclass_net:design:forbidden_networks:pxe: "10\.16\.0\.0" is not a network: address 10\.16\.0\.0 has no netmask/,
      ),
      expect.stringMatching(
        /key reclass_net:design:overlays:tenant:encapsulation: "ipip" is not one of vxlan, geneve, gre, stt \(or give overhead: BYTES\)/,
      ),
    ]);
  });
});

describe('the example model keeps to the designs it declares', () => {
  it('MOSK and MidoNet nodes declare a design, and none breaks it', async () => {
    const inv = await openInventory(new URL('../..', import.meta.url).pathname);
    const designed = (await inv.nodes()).filter(
      (n) => (n.parameters['reclass_net'] as { design?: unknown } | undefined)?.design !== undefined,
    );
    expect(
      designed
        .map((n) => n.name.split('.')[1])
        .filter((c, i, all) => all.indexOf(c) === i)
        .sort(),
    ).toEqual(['midonet-k8s', 'mosk-lab']);
    for (const node of designed) expect(analyzeNetwork(node).problems.map(formatProblem), node.name).toEqual([]);
  });
});
