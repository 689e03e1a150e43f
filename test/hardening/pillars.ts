/** Network pillars shared by the hostile-input and property tests. */

/**
 * A valid `linux:network` with one of every interface kind the renderer knows: static eth
 * with routes and commands, Linux bond with slaves, dotted and named VLANs, a Linux bridge,
 * OVS bridges, an OVS system port, an internal port with a tag, a patch pair, an OVS bond,
 * and a disabled dhcp NIC.
 */
export function everyKindPillar(): Record<string, unknown> {
  return {
    bridge: 'openvswitch',
    interface: {
      eth0: {
        type: 'eth',
        proto: 'static',
        address: '10.0.0.2',
        netmask: '255.255.255.0',
        gateway: '10.0.0.1',
        mtu: 9000,
        name_servers: ['10.0.0.53'],
        'dns-search': ['lab.local'],
        route: { mgmt: { address: '10.10.0.0', netmask: '255.255.0.0', gateway: '10.0.0.254' } },
        up_cmds: ['echo up'],
        post_down_cmds: ['echo down'],
      },
      eth1: { type: 'slave', master: 'bond0', mtu: 9000 },
      eth2: { type: 'slave', master: 'bond0', mtu: 9000 },
      bond0: { type: 'bond', slaves: 'eth1 eth2', mode: 'active-backup', mtu: 9000, proto: 'manual' },
      'bond0.100': { type: 'vlan', proto: 'manual', mtu: 9000 },
      mgmtvlan: { type: 'vlan', name: 'vlan200', vlan_id: 200, vlan_raw_device: 'bond0', proto: 'manual' },
      br_mgmt: {
        type: 'bridge',
        proto: 'static',
        address: '10.1.0.2',
        netmask: '255.255.255.0',
        use_interfaces: ['vlan200'],
        stp: false,
      },
      br_prv: {
        type: 'ovs_bridge',
        mtu: 9000,
        datapath_type: 'netdev',
        ovs_extra: ['set Bridge br_prv other_config:x=1'],
      },
      br_ex: { type: 'ovs_bridge' },
      eth3: { type: 'eth', ovs_bridge: 'br_prv', mtu: 9000, proto: 'manual' },
      prv_int: {
        type: 'ovs_port',
        bridge: 'br_prv',
        ovs_bridge: 'br_prv',
        proto: 'static',
        address: '10.2.0.2',
        netmask: '255.255.255.0',
        tag: 20,
        mtu: 1500,
      },
      'prv-to-ex': { type: 'ovs_port', port_type: 'patch', bridge: 'br_prv', ovs_bridge: 'br_prv', peer: 'ex-to-prv' },
      'ex-to-prv': { type: 'ovs_port', port_type: 'patch', bridge: 'br_ex', ovs_bridge: 'br_ex', peer: 'prv-to-ex' },
      eth4: { type: 'eth', proto: 'manual' },
      eth5: { type: 'eth', proto: 'manual' },
      ovsbond: {
        type: 'ovs_bond',
        bridge: 'br_ex',
        ovs_bridge: 'br_ex',
        slaves: 'eth4 eth5',
        ovs_options: 'bond_mode=active-backup lacp=off',
      },
      eth6: { type: 'eth', proto: 'dhcp', mtu: 1400, enabled: false },
    },
  };
}

/** Payloads that would add a line, a stanza, an option or a shell command if they got through. */
export const PAYLOADS = [
  '\nup touch /tmp/reclass-net-pwned',
  '\n\nauto evil\niface evil inet manual',
  '\r\nup reboot',
  '\u2028up reboot',
  '\u0000',
  '; touch /tmp/reclass-net-pwned',
  '&& reboot',
  '| sh',
  '$(touch /tmp/reclass-net-pwned)',
  '${IFS}reboot',
  '`touch /tmp/reclass-net-pwned`',
  "' ; reboot ; '",
  '" ; reboot ; "',
  '\\',
  ' # hidden',
  '\tup reboot',
  ' up reboot',
  '>/etc/passwd',
];

/** Every path to a string (or number) leaf of `value`, and to each mapping key under `interface`. */
export function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...prefix, String(i)]));
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

/** A deep copy of `value` with the leaf at `path` replaced by `replace(old)`. */
export function withLeaf(value: unknown, path: string[], replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replace(value);
  const [head, ...rest] = path;
  if (Array.isArray(value))
    return (value as unknown[]).map((v, i) => (String(i) === head ? withLeaf(v, rest, replace) : v));
  const obj = value as Record<string, unknown>;
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, k === head ? withLeaf(v, rest, replace) : v]));
}

/** A deep copy with the mapping key at `path` (its last element) renamed. */
export function withKeyRenamed(value: unknown, path: string[], rename: (old: string) => string): unknown {
  const [head, ...rest] = path;
  const obj = value as Record<string, unknown>;
  if (rest.length === 0)
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k === head ? rename(k) : k, v]));
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, k === head ? withKeyRenamed(v, rest, rename) : v]));
}
