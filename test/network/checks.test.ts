import { describe, expect, it } from 'vitest';
import { NetworkValidationError } from '../../src/errors.js';
import {
  buildNetworkModel,
  collectNetworkProblems,
  findDuplicateAddresses,
  formatProblem,
} from '../../src/network/index.js';
import { nodeFromYaml, nodeWithInterfaces } from './helpers.js';

/** The formatted problems of a node whose interfaces are `yaml`. */
function problems(yaml: string, extra = ''): string[] {
  return collectNetworkProblems(nodeWithInterfaces(yaml, extra)).map(formatProblem);
}

/** Expects exactly one problem, naming node cmp01, the interface and the key, and matching `text`. */
function expectOne(yaml: string, iface: string, key: string | undefined, text: RegExp): string {
  const found = problems(yaml);
  expect(found, found.join('\n')).toHaveLength(1);
  const [problem] = found as [string];
  expect(problem).toContain('node cmp01');
  expect(problem).toContain(`interface ${iface}`);
  if (key) expect(problem).toContain(`key ${key}`);
  expect(problem).toMatch(text);
  return problem;
}

describe('validation: unknown references', () => {
  it('warns of a Linux bridge member the pillar does not declare: a NIC of the host, taken as it is', () => {
    const problem = expectOne(
      'br0: {type: bridge, use_interfaces: [eth9]}',
      'br0',
      'use_interfaces:0',
      /bridge member eth9 is not declared in the pillar; it is taken to be a NIC of the host/,
    );
    expect(problem).toMatch(/^warning: /);
    expect(
      buildNetworkModel(nodeWithInterfaces('br0: {type: bridge, use_interfaces: [eth9]}')).interfaces[0].bridgePorts,
    ).toEqual(['eth9']);
  });

  it('refuses bond and OVS bond members the pillar does not declare', () => {
    expectOne(
      'bond0: {type: bond, mode: active-backup, slaves: eth8}',
      'bond0',
      'slaves',
      /bond slave eth8 is not an interface of this node/,
    );
  });

  it('reports use_ovs_ports naming something that is not an OVS internal port', () => {
    expectOne(
      `
eth0: {type: eth, proto: manual}
br0: {type: bridge, use_ovs_ports: [eth0]}
`,
      'br0',
      'use_ovs_ports:0',
      /bridge member eth0 is an eth interface, expected an OVS internal port/,
    );
  });

  it('reports an unknown OVS bridge of an eth (ovs_bridge) and of an ovs_port (bridge)', () => {
    expectOne(
      'eth0: {type: eth, proto: manual, ovs_bridge: br-nope}',
      'eth0',
      'ovs_bridge',
      /OVS bridge br-nope is not an interface/,
    );
    expectOne('p0: {type: ovs_port, bridge: br-nope}', 'p0', 'bridge', /OVS bridge br-nope is not an interface/);
  });

  it('reports a bridge: that names a Linux bridge instead of an OVS bridge', () => {
    expectOne(
      `
br0: {type: bridge, proto: manual, use_interfaces: []}
p0: {type: ovs_port, bridge: br0}
`,
      'p0',
      'bridge',
      /is a Linux bridge, expected an OVS bridge/,
    );
  });

  it('reports an unknown patch peer', () => {
    expectOne(
      `
br-a: {type: ovs_bridge}
pa: {type: ovs_port, port_type: patch, bridge: br-a, peer: pz}
`,
      'pa',
      'peer',
      /patch peer pz is not an interface/,
    );
  });

  it('reports an unknown bond master and an unknown bond slave', () => {
    expectOne('eth0: {type: slave, master: bond7}', 'eth0', 'master', /bond master bond7 is not an interface/);
    expectOne(
      'bond0: {type: bond, mode: active-backup, proto: manual, slaves: eth0 eth1}\neth0: {type: eth}',
      'bond0',
      'slaves',
      /bond slave eth1 is not an interface/,
    );
  });

  it('reports an unknown VLAN parent, and one given by a key instead of a device name', () => {
    expectOne(
      'vlan10: {type: vlan, proto: manual, use_interfaces: [bond9]}',
      'vlan10',
      'use_interfaces:0',
      /^warning: .*VLAN raw device bond9 is not declared in the pillar/,
    );
    expectOne(
      `
pxe: {type: eth, name: eno1, proto: manual}
vlan10: {type: vlan, proto: manual, use_interfaces: [pxe]}
`,
      'vlan10',
      'use_interfaces:0',
      /there is an interface with key pxe, but its device name is eno1/,
    );
  });

  it('warns of a dotted VLAN whose parent is not declared, and renders it on the host NIC', () => {
    expectOne(
      'ens3.100: {type: vlan, proto: manual}',
      'ens3.100',
      undefined,
      /^warning: .*VLAN raw device ens3 is not declared in the pillar; it is taken to be a NIC of the host/,
    );
    expect(buildNetworkModel(nodeWithInterfaces('ens3.100: {type: vlan, proto: manual}')).interfaces[0].vlan).toEqual({
      id: 100,
      rawDevice: 'ens3',
    });
  });

  it('reports a reference to a disabled interface', () => {
    expectOne(
      `
eth0: {type: eth, proto: manual, enabled: false}
br0: {type: bridge, proto: manual, use_interfaces: [eth0]}
`,
      'br0',
      'use_interfaces:0',
      /eth0 is disabled/,
    );
  });

  it('reports OVS bond members that do not exist', () => {
    const found = problems(`
br-a: {type: ovs_bridge}
b0: {type: ovs_bond, bridge: br-a, slaves: ens1 ens2, mode: balance-tcp}
`);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/interface b0, key slaves: OVS bond member ens1 is not an interface/);
  });
});

describe('validation: patch peers, ownership, cycles', () => {
  it('reports asymmetric patch peers', () => {
    const found = problems(`
br-a: {type: ovs_bridge}
br-b: {type: ovs_bridge}
a-to-b: {type: ovs_port, port_type: patch, bridge: br-a, peer: b-to-a}
b-to-a: {type: ovs_port, port_type: patch, bridge: br-b, peer: c-to-a}
c-to-a: {type: ovs_port, port_type: patch, bridge: br-b, peer: b-to-a}
`);
    expect(found.join('\n')).toMatch(
      /interface a-to-b, key peer: patch peers are asymmetric: a-to-b points at b-to-a, but b-to-a points at c-to-a/,
    );
  });

  it('reports a patch port without peer and a peer that is not a patch port', () => {
    expectOne(
      'br-a: {type: ovs_bridge}\np: {type: ovs_port, port_type: patch, bridge: br-a}',
      'p',
      'peer',
      /needs peer/,
    );
    expectOne(
      `
br-a: {type: ovs_bridge}
i: {type: ovs_port, bridge: br-a}
p: {type: ovs_port, port_type: patch, bridge: br-a, peer: i}
`,
      'p',
      'peer',
      /patch peer i is an OVS internal port, expected an OVS patch port/,
    );
  });

  it('reports a device claimed by two bridges', () => {
    expectOne(
      `
eth0: {type: eth, proto: manual}
br0: {type: bridge, proto: manual, use_interfaces: [eth0]}
br1: {type: bridge, proto: manual, use_interfaces: [eth0]}
`,
      'eth0',
      undefined,
      /claimed by Linux bridge br0 and Linux bridge br1/,
    );
  });

  it('reports a dependency cycle', () => {
    const found = problems(`
br0: {type: bridge, proto: manual, use_interfaces: [br0.5]}
br0.5: {type: vlan, proto: manual}
`);
    expect(found.join('\n')).toMatch(/cycle: (br0 -> br0\.5 -> br0|br0\.5 -> br0 -> br0\.5)/);
  });
});

describe('validation: MTU', () => {
  it('reports a Linux bridge member whose MTU is below the bridge MTU', () => {
    expectOne(
      `
eth0: {type: eth, proto: manual, mtu: 1500}
br0: {type: bridge, proto: manual, mtu: 9000, use_interfaces: [eth0]}
`,
      'eth0',
      'mtu',
      /MTU 1500 is below the MTU 9000 of Linux bridge br0/,
    );
  });

  it('counts an unset member MTU as the Linux default 1500', () => {
    expectOne(
      `
eth0: {type: eth, proto: manual}
br0: {type: bridge, proto: manual, mtu: 9000, use_interfaces: [eth0]}
`,
      'eth0',
      'mtu',
      /MTU 1500 \(no mtu set\) is below the MTU 9000/,
    );
  });

  it('reports a VLAN above the MTU of its raw device', () => {
    expectOne(
      `
bond0: {type: bond, mode: active-backup, proto: manual, slaves: eth0}
eth0: {type: slave, master: bond0, mtu: 9000}
bond0.100: {type: vlan, proto: manual, mtu: 9000, use_interfaces: [bond0]}
`,
      'bond0',
      'mtu',
      /MTU 1500 \(no mtu set\) is below the MTU 9000 of VLAN bond0\.100/,
    );
  });

  it('reports a bond slave with an explicit MTU below the bond MTU', () => {
    expectOne(
      `
eth0: {type: slave, master: bond0, mtu: 1500}
bond0: {type: bond, mode: active-backup, proto: manual, slaves: eth0, mtu: 9000}
`,
      'eth0',
      'mtu',
      /below the MTU 9000 of bond bond0/,
    );
  });

  it('reports an OVS bridge port and OVS bond member below the bridge MTU', () => {
    const found = problems(`
ens6: {type: eth, proto: manual, mtu: 1500, ovs_bridge: br-f}
ens7: {type: eth, proto: manual}
ens8: {type: eth, proto: manual, mtu: 9000}
br-f: {type: ovs_bridge, mtu: 9000}
b0: {type: ovs_bond, bridge: br-f, slaves: ens7 ens8, mode: active-backup}
`);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/interface ens6, key mtu: MTU 1500 is below the MTU 9000 of OVS bridge br-f/);
    expect(found[1]).toMatch(
      /interface ens7, key mtu: MTU 1500 \(no mtu set\) is below the MTU 9000 of OVS bridge br-f/,
    );
  });

  it('accepts members at or above the MTU of what they carry', () => {
    expect(
      problems(`
ens5: {type: eth, proto: manual, mtu: 9000}
br-floating: {type: ovs_bridge, mtu: 9000}
float-to-ex: {type: ovs_port, bridge: br-floating, mtu: 65000}
br-ex: {type: bridge, address: 203.0.113.11, netmask: 24, mtu: 9000, use_interfaces: [ens5], use_ovs_ports: [float-to-ex]}
`),
    ).toEqual([]);
  });
});

describe('validation: interface names', () => {
  it.each([
    ['a name longer than 15 bytes', 'br-way-too-long-name', /is 20 bytes long; Linux allows at most 15/],
    ['whitespace', '"eth 0"', /contains whitespace/],
    ['a slash', '"eth/0"', /contains "\/"/],
    ['a colon in a non-alias', 'br:0', /misuses ":"/],
    ['a shell metacharacter', '"eth$(id)"', /shell metacharacter/],
    ['a semicolon', '"e;reboot"', /shell metacharacter/],
    ['multi-byte characters over 15 bytes', '"ethéééééééé"', /bytes long/],
  ])('rejects %s', (_what, name, text) => {
    const found = problems(`x: {type: bridge, proto: manual, name: ${name}}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/node cmp01, interface x, key name: /);
    expect(found[0]).toMatch(text);
  });

  it('accepts an ifupdown alias NAME:LABEL on an eth interface', () => {
    expect(problems('a: {type: eth, name: "eth0:1", address: 10.1.1.1, netmask: 24}')).toEqual([]);
  });

  it('rejects a newline in a dict key used as the name', () => {
    const found = collectNetworkProblems({
      name: 'cmp01',
      parameters: { linux: { network: { interface: { 'eth0\nauto evil': { type: 'eth' } } } } },
    }).map(formatProblem);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/control character/);
  });

  it('rejects lo and two interfaces with the same device name', () => {
    expectOne('lo: {type: eth, proto: manual}', 'lo', undefined, /loopback/);
    expectOne(
      'a: {type: eth, proto: manual, name: eth0}\nb: {type: eth, proto: manual, name: eth0}',
      'b',
      'name',
      /already used by interface a/,
    );
  });
});

describe('validation: values that could break out of a stanza or a command', () => {
  it('rejects a newline in an up command (it would add a stanza)', () => {
    const node = {
      name: 'cmp01',
      parameters: {
        linux: {
          network: {
            interface: {
              eth0: {
                type: 'eth',
                proto: 'manual',
                up_cmds: ['ip link set eth0 up\n\nauto evil\niface evil inet manual'],
              },
            },
          },
        },
      },
    };
    const found = collectNetworkProblems(node).map(formatProblem);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/interface eth0, key up_cmds:0: value .* contains a newline/);
  });

  it('rejects newlines in plain values (address, gateway, mode, dns-search)', () => {
    const node = {
      name: 'cmp01',
      parameters: {
        linux: {
          network: {
            interface: {
              eth0: {
                type: 'eth',
                address: '10.0.0.1\n  up reboot',
                netmask: '24',
                'dns-search': ['a.example\nup reboot'],
              },
              bond0: { type: 'bond', proto: 'manual', mode: 'active-backup\n  up reboot', slaves: 'eth0' },
            },
          },
        },
      },
    };
    const found = collectNetworkProblems(node).map(formatProblem).join('\n');
    expect(found).toMatch(/interface eth0, key address: value .* contains a newline/);
    expect(found).toMatch(/interface eth0, key dns-search:0: .* must be a single word/);
    expect(found).toMatch(/interface bond0, key mode: value .* contains a newline/);
  });

  it('rejects shell syntax in ovs_options and ovs_extra (Debian evaluates ovs_extra)', () => {
    const found = problems(`
br-a: {type: ovs_bridge, ovs_extra: 'set bridge br-a stp_enable=true; reboot'}
p: {type: ovs_port, bridge: br-a, ovs_options: 'tag=5 $(reboot)'}
q: {type: ovs_port, bridge: br-a, ovs_options: 'tag=5 \`id\`'}
`);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(
      /interface br-a, key ovs_extra: "reboot"|interface br-a, key ovs_extra: "stp_enable=true;"/,
    );
    expect(found[1]).toMatch(/interface p, key ovs_options: "\$\(reboot\)" is not a plain ovs-vsctl word/);
    expect(found[2]).toMatch(/interface q, key ovs_options:/);
  });

  it('rejects malformed values with a message per key', () => {
    const found = problems(`
eth0: {type: eth, address: 10.0.0.300, netmask: 24, gateway: gw.example, hwaddr: "zz:zz", mtu: 12}
eth1: {type: eth, proto: static}
eth2: {type: eth, proto: dhcp, address: 10.0.2.1, netmask: 255.0.255.0}
eth3: {type: eth, proto: dhcp, address: 10.0.3.1, netmask: 24}
`);
    const all = found.join('\n');
    expect(all).toMatch(/interface eth0, key address: "10\.0\.0\.300" is not an IPv4 address/);
    expect(all).toMatch(/interface eth0, key gateway: "gw\.example" is not an IPv4 address/);
    expect(all).toMatch(/interface eth0, key hwaddr: "zz:zz" is not a MAC address/);
    expect(all).toMatch(/interface eth0, key mtu: 12 is outside 68-65535/);
    expect(all).toMatch(/interface eth1, key proto: proto is static but no address is set/);
    expect(all).toMatch(/interface eth2, key netmask: "255\.0\.255\.0" is not a valid netmask/);
    expect(all).toMatch(/^warning: .*interface eth3, key address: address 10\.0\.3\.1 is not rendered: proto is dhcp/m);
  });
});

describe('validation: schema', () => {
  it('names node, interface and key for shape errors', () => {
    const found = problems(
      `
eth0: {type: eth, mtu: [9000], enabled: "yes please", name_servers: 8.8.8.8, proto: staticc}
eth1: {proto: manual}
`,
      'bridge: ovs',
    );
    const all = found.join('\n');
    expect(all).toMatch(/node cmp01, key bridge: must be one of "none", "linuxbridge", "openvswitch"/);
    expect(all).toMatch(/interface eth0, key mtu: must be a whole number/);
    expect(all).toMatch(/interface eth0, key enabled: must be boolean/);
    expect(all).toMatch(/interface eth0, key name_servers: must be array/);
    expect(all).toMatch(/interface eth0, key proto: must be one of "static", "dhcp", "manual"/);
    expect(all).toMatch(/interface eth1: the required key "type" is missing/);
  });

  it('rejects interface types it cannot render', () => {
    expectOne('tun0: {type: tunnel}', 'tun0', 'type', /interface type "tunnel" is not supported/);
  });

  it('does not crash on a pillar that is not a mapping', () => {
    const found = collectNetworkProblems({ name: 'n', parameters: { linux: { network: { interface: 'eth0' } } } }).map(
      formatProblem,
    );
    expect(found).toEqual(['node n, key interface: must be object']);
  });
});

describe('validation: addresses', () => {
  it('reports an address assigned twice within a node', () => {
    expectOne(
      `
eth0: {type: eth, address: 10.0.0.1, netmask: 24}
eth1: {type: eth, address: 10.0.0.1, netmask: 24}
`,
      'eth1',
      'address',
      /address 10\.0\.0\.1 is already assigned to interface eth0/,
    );
  });

  it('reports two default gateways with the same metric', () => {
    expectOne(
      `
eth0: {type: eth, address: 10.0.0.1, netmask: 24, gateway: 10.0.0.254}
eth1: {type: eth, address: 10.0.1.1, netmask: 24, gateway: 10.0.1.254}
`,
      'eth1',
      'gateway',
      /second default gateway/,
    );
  });

  it('finds addresses assigned on more than one node of an inventory', () => {
    const a = nodeWithInterfaces('eth0: {type: eth, address: 10.0.0.1, netmask: 24}', '', 'a');
    const b = nodeWithInterfaces(
      'ens3: {type: eth, address: 10.0.0.1/24}\nens4: {type: eth, address: 10.0.0.2, netmask: 24}',
      '',
      'b',
    );
    const c = nodeWithInterfaces('ens3: {type: eth, address: 10.0.0.2, netmask: 24, enabled: false}', '', 'c');
    expect(findDuplicateAddresses([a, b, c])).toEqual([
      'address 10.0.0.1 is assigned 2 times: node a (interface eth0), node b (interface ens3)',
    ]);
  });
});

describe('NetworkValidationError', () => {
  it('lists every problem at once and carries node, path and the class file that set the value', () => {
    const node = nodeFromYaml(
      [
        'linux:',
        '  network:',
        '    interface:',
        '      br0:',
        '        type: ovs_bridge',
        '        proto: manual',
        '        use_interfaces: [eth9]',
        '      eth0:',
        '        type: eth',
        '        mtu: 12',
        '',
      ].join('\n'),
    );
    let error: unknown;
    try {
      buildNetworkModel(node);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetworkValidationError);
    const nve = error as NetworkValidationError;
    expect(nve.kind).toBe('NetworkValidationError');
    expect(nve.problems).toHaveLength(2);
    expect(nve.problems[0]).toBe(
      'node cmp01, interface br0, key use_interfaces:0: OVS bridge port eth9 is not an interface of this node (set in classes/cluster/lab/network.yml:7:26, class cluster.lab.network)',
    );
    expect(nve.problems[1]).toMatch(
      /interface eth0, key mtu: 12 is outside 68-65535 \(set in classes\/cluster\/lab\/network\.yml:10:14/,
    );
    expect(nve.message).toMatch(/^NetworkValidationError: 2 problems in the linux:network pillar of node cmp01: /);
    expect(nve.context.node).toBe('cmp01');
    expect(nve.context.location).toEqual({ file: 'classes/cluster/lab/network.yml', line: 7, column: 26 });
  });
});

describe('validation: a list or mapping where a word belongs', () => {
  it('shows the value as JSON in the problem, not as [object Object]', () => {
    const found = problems('eth0: {type: eth, proto: manual}', 'hostname: {a: 1}\nresolv:\n  dns: [[10.0.0.1]]');
    expect(found).toContainEqual(expect.stringContaining('key hostname: "{\\"a\\":1}" is not a host name'));
    expect(found).toContainEqual(expect.stringContaining('key resolv:dns:0: "[\\"10.0.0.1\\"]" is not an IP address'));
    expect(found.join('\n')).not.toContain('[object Object]');
  });
});
