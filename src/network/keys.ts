/**
 * Every key salt-formula-linux reads under `linux:network`, and the one fate each has here:
 * rendered (into which line, command or file), apply-time (acted on by `apply`, never written),
 * or refused (named in a warning saying why). This table is the single source of the JSON
 * Schema (`schema.ts`), of the unknown-key warnings and of the table in docs/network.md (a test
 * holds the two equal). Keys outside it are warned about with the nearest known key.
 */
import type { Commands, PillarInterfaceType } from './types.js';

/** What becomes of a key. */
export type KeyFate = 'rendered' | 'apply-time' | 'refused';

/**
 * One pillar key.
 * @example
 * const mtu = INTERFACE_KEYS.find((k) => k.key === 'mtu'); // { fate: 'rendered', effect: '`mtu N` ...' }
 */
export interface KeySpec {
  key: string;
  /** The interface types that read it (interface keys only); `all` for every type. */
  types?: readonly PillarInterfaceType[] | 'all';
  /** JSON Schema of the value. */
  schema: object;
  fate: KeyFate;
  /** Rendered: what it becomes. Apply-time: what apply does. Refused: why. */
  effect: string;
}

const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const stringList = { type: 'array', items: str } as const;
const stringOrList = { anyOf: [str, stringList] } as const;
/** A whole number, or a string of digits (YAML 1.1 models quote numbers freely). */
export const INTEGER_LIKE = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+$' }] } as const;
const integerLike = INTEGER_LIKE;
const scalar = { type: ['string', 'number', 'boolean'] } as const;
const netmask = { anyOf: [str, { type: 'integer' }] } as const;
const onOff = { type: ['string', 'boolean'] } as const;
const any = {} as const;

const LINUX: readonly PillarInterfaceType[] = ['eth', 'slave', 'bond', 'vlan', 'bridge'];
const NIC_LIKE: readonly PillarInterfaceType[] = ['eth', 'slave', 'bond', 'vlan'];
const ADDRESSED: readonly PillarInterfaceType[] = [...LINUX, 'ovs_bridge', 'ovs_port', 'dpdk_ovs_bridge'];
const DPDK_PORT: readonly PillarInterfaceType[] = ['dpdk_ovs_port'];

export const INTERFACE_TYPES = [
  'eth',
  'slave',
  'bond',
  'vlan',
  'bridge',
  'ovs_bridge',
  'ovs_port',
  'ovs_bond',
  'dpdk_ovs_bridge',
  'dpdk_ovs_port',
  'dpdk_ovs_bond',
] as const satisfies readonly PillarInterfaceType[];

const ethtool = (key: string, what: string): KeySpec => ({
  key,
  types: NIC_LIKE,
  schema: onOff,
  fate: 'rendered',
  effect: `\`offload-${key} on|off\` (Debian's ethtool hook: \`ethtool --offload DEV ${key} ...\`, ${what})`,
});

const bondOption = (key: string, effect: string, schema: object = scalar): KeySpec => ({
  key,
  types: ['bond'],
  schema,
  fate: 'rendered',
  effect,
});

/** Keys of `linux:network:interface:NAME`. */
export const INTERFACE_KEYS: readonly KeySpec[] = [
  {
    key: 'type',
    types: 'all',
    schema: str,
    fate: 'rendered',
    effect: 'the kind of device and so the stanza (`ovs_type` for OVS types); one of ' + INTERFACE_TYPES.join(', '),
  },
  {
    key: 'name',
    types: 'all',
    schema: str,
    fate: 'rendered',
    effect:
      'the device name (default: the key). DPDK types keep the key as the OVS name, as salt does; `name` is then the NIC DPDK takes over',
  },
  {
    key: 'enabled',
    types: 'all',
    schema: bool,
    fate: 'rendered',
    effect:
      '`auto NAME` when true; false: the stanza is written without `auto` and the device takes no part in OVS setup',
  },
  {
    key: 'managed',
    types: 'all',
    schema: bool,
    fate: 'rendered',
    effect: 'false: no stanza and no OVS command; the interface is left as the host has it',
  },
  {
    key: 'proto',
    types: ADDRESSED,
    schema: { enum: ['static', 'dhcp', 'manual'] },
    fate: 'rendered',
    effect: '`iface NAME inet PROTO` (default static with an address, manual for members and OVS, else dhcp)',
  },
  { key: 'address', types: ADDRESSED, schema: str, fate: 'rendered', effect: '`address A/PREFIX`' },
  { key: 'netmask', types: ADDRESSED, schema: netmask, fate: 'rendered', effect: 'the prefix of `address A/PREFIX`' },
  { key: 'broadcast', types: ADDRESSED, schema: str, fate: 'rendered', effect: '`broadcast B`' },
  {
    key: 'network',
    types: ADDRESSED,
    schema: str,
    fate: 'refused',
    effect: 'ifupdown derives the network from address and prefix, and salt drops it too',
  },
  { key: 'gateway', types: ADDRESSED, schema: str, fate: 'rendered', effect: '`gateway G` (the default route)' },
  { key: 'metric', types: ADDRESSED, schema: integerLike, fate: 'rendered', effect: '`metric N` of the default route' },
  {
    key: 'mtu',
    types: 'all',
    schema: integerLike,
    fate: 'rendered',
    effect:
      '`mtu N` (`pre-up ip link set dev X mtu N` on dhcp stanzas) and `mtu_request=N` for OVS devices; OVS bridges and internal ports without one get 1500, as salt pins',
  },
  { key: 'hwaddr', types: LINUX, schema: str, fate: 'rendered', effect: '`hwaddress MAC`' },
  {
    key: 'hwaddress',
    types: LINUX,
    schema: str,
    fate: 'rendered',
    effect: '`hwaddress MAC` (salt reads only hwaddr; both are honoured)',
  },
  {
    key: 'name_servers',
    types: ADDRESSED,
    schema: stringList,
    fate: 'rendered',
    effect: '`dns-nameservers A B` (resolvconf)',
  },
  {
    key: 'dns-search',
    types: ADDRESSED,
    schema: stringOrList,
    fate: 'rendered',
    effect: '`dns-search D E` (resolvconf)',
  },
  {
    key: 'enable_ipv6',
    types: ADDRESSED,
    schema: bool,
    fate: 'rendered',
    effect: 'true: an `iface NAME inet6 PROTO` stanza (ipv6proto, default static with ipv6ipaddr, else auto)',
  },
  {
    key: 'ipv6proto',
    types: ADDRESSED,
    schema: { enum: ['static', 'dhcp', 'auto', 'manual'] },
    fate: 'rendered',
    effect: '`iface NAME inet6 PROTO`',
  },
  {
    key: 'ipv6ipaddr',
    types: ADDRESSED,
    schema: str,
    fate: 'rendered',
    effect: '`address A/PREFIX` in the inet6 stanza',
  },
  {
    key: 'ipv6netmask',
    types: ADDRESSED,
    schema: integerLike,
    fate: 'rendered',
    effect: 'the prefix length of the IPv6 address (default 64)',
  },
  { key: 'ipv6gateway', types: ADDRESSED, schema: str, fate: 'rendered', effect: '`gateway G` in the inet6 stanza' },
  {
    key: 'route',
    types: 'all',
    schema: { type: 'object' },
    fate: 'rendered',
    effect:
      '`up ip route add NET/PREFIX [via GW] [metric M] dev NAME` and a matching `down ... || true` (`ip -6 route` for IPv6); keys address, netmask, gateway, metric',
  },
  { key: 'pre_up_cmds', types: 'all', schema: stringList, fate: 'rendered', effect: '`pre-up CMD` lines' },
  { key: 'up_cmds', types: 'all', schema: stringList, fate: 'rendered', effect: '`up CMD` lines' },
  { key: 'post_up_cmds', types: 'all', schema: stringList, fate: 'rendered', effect: '`post-up CMD` lines' },
  { key: 'pre_down_cmds', types: 'all', schema: stringList, fate: 'rendered', effect: '`pre-down CMD` lines' },
  { key: 'down_cmds', types: 'all', schema: stringList, fate: 'rendered', effect: '`down CMD` lines' },
  { key: 'post_down_cmds', types: 'all', schema: stringList, fate: 'rendered', effect: '`post-down CMD` lines' },
  {
    key: 'require_interfaces',
    types: 'all',
    schema: stringList,
    fate: 'rendered',
    effect: 'the listed interfaces come first in the file (and in ovs-setup.sh)',
  },
  {
    key: 'use_interfaces',
    types: ['eth', 'bond', 'vlan', 'bridge', 'ovs_bridge', 'ovs_bond', 'dpdk_ovs_bridge'],
    schema: stringOrList,
    fate: 'rendered',
    effect:
      'bond: `bond-slaves`; vlan: `vlan-raw-device`; bridge: `bridge_ports`; OVS bridge: ports checked to be attached; eth (Contrail vhost0): the listed interfaces come first',
  },
  {
    key: 'use_ovs_ports',
    types: ['bridge'],
    schema: stringList,
    fate: 'rendered',
    effect: 'OVS internal ports in `bridge_ports`',
  },
  { key: 'master', types: ['slave'], schema: str, fate: 'rendered', effect: '`bond-master BOND`' },
  {
    key: 'slaves',
    types: ['bond', 'ovs_bond'],
    schema: stringOrList,
    fate: 'rendered',
    effect: 'bond: `bond-slaves A B`; ovs_bond: `ovs_bonds A B` and `add-bond BR NAME A B`',
  },
  {
    key: 'mode',
    types: ['bond', 'ovs_bond', 'dpdk_ovs_bond'],
    schema: scalar,
    fate: 'rendered',
    effect: 'bond: `bond-mode M`; OVS bonds: `bond_mode=M` (balance-slb DPDK bonds also `lacp=active`, as salt)',
  },
  bondOption('miimon', '`bond-miimon N` (default 100, as salt, unless ARP monitoring is asked for)', integerLike),
  bondOption('downdelay', '`bond-downdelay N` (default 200 with MII monitoring, as salt)', integerLike),
  bondOption('updelay', '`bond-updelay N` (default 0 with MII monitoring, as salt)', integerLike),
  bondOption('arp_ip_target', '`bond-arp-ip-target A,B` (ARP monitoring: no MII default is then added)', stringOrList),
  bondOption('arp_interval', '`bond-arp-interval N` (default 250 with arp_ip_target, as salt)', integerLike),
  bondOption('lacp_rate', '`bond-lacp-rate fast|slow`'),
  bondOption('lacp-rate', '`bond-lacp-rate fast|slow` (salt drops this spelling; honoured here)'),
  bondOption('ad_select', '`bond-ad-select stable|bandwidth|count`'),
  bondOption('hashing-algorithm', '`bond-xmit-hash-policy P`', str),
  bondOption('xmit_hash_policy', '`bond-xmit-hash-policy P` (same as hashing-algorithm)', str),
  bondOption('primary', '`bond-primary NIC`', str),
  ethtool('rx', 'receive checksumming'),
  ethtool('tx', 'transmit checksumming'),
  ethtool('sg', 'scatter-gather'),
  ethtool('tso', 'TCP segmentation'),
  ethtool('gso', 'generic segmentation'),
  ethtool('gro', 'generic receive'),
  ethtool('lro', 'large receive'),
  {
    key: 'ufo',
    types: NIC_LIKE,
    schema: onOff,
    fate: 'refused',
    effect: 'UDP fragmentation offload was removed from Linux 4.14; ethtool fails on it, which would fail ifup',
  },
  {
    key: 'hardware-dma-ring-rx',
    types: NIC_LIKE,
    schema: integerLike,
    fate: 'rendered',
    effect: '`hardware-dma-ring-rx N` (ethtool --set-ring DEV rx N)',
  },
  {
    key: 'hardware-dma-ring-tx',
    types: NIC_LIKE,
    schema: integerLike,
    fate: 'rendered',
    effect: '`hardware-dma-ring-tx N` (ethtool --set-ring DEV tx N)',
  },
  {
    key: 'vlan_id',
    types: ['vlan'],
    schema: integerLike,
    fate: 'rendered',
    effect: 'the VLAN ID (else from the name PARENT.ID or vlanID)',
  },
  { key: 'vlan_raw_device', types: ['vlan'], schema: str, fate: 'rendered', effect: '`vlan-raw-device DEV`' },
  { key: 'stp', types: ['bridge'], schema: bool, fate: 'rendered', effect: '`bridge_stp on|off`' },
  { key: 'maxwait', types: ['bridge'], schema: integerLike, fate: 'rendered', effect: '`bridge_maxwait N`' },
  {
    key: 'ovs_bridge',
    types: [...NIC_LIKE, 'ovs_port'],
    schema: str,
    fate: 'rendered',
    effect: 'a port of that OVS bridge: `ovs_type OVSPort`, `ovs_bridge BR`, `add-port BR NAME`',
  },
  {
    key: 'bridge',
    types: ['ovs_port', 'ovs_bond', 'dpdk_ovs_port', 'dpdk_ovs_bond'],
    schema: str,
    fate: 'rendered',
    effect: "the OVS bridge: `ovs_bridge BR`, `allow-BR NAME`, in the bridge's `ovs_ports`",
  },
  {
    key: 'port_type',
    types: ['ovs_port'],
    schema: { enum: ['internal', 'patch'] },
    fate: 'rendered',
    effect: '`ovs_type OVSIntPort` (internal, the default) or `OVSPatchPort`',
  },
  {
    key: 'ovs_port_type',
    types: ['ovs_port'],
    schema: { enum: ['OVSIntPort', 'OVSPort', 'OVSPatchPort'] },
    fate: 'rendered',
    effect: '`ovs_type` of the port',
  },
  {
    key: 'ovs_type',
    types: [...NIC_LIKE, 'ovs_bridge', 'ovs_port', 'ovs_bond'],
    schema: str,
    fate: 'refused',
    effect:
      'salt-formula-linux never reads it (its README shows it); the `ovs_type` line comes from type, ovs_port_type and ovs_bridge',
  },
  {
    key: 'ovs_bridge_type',
    types: ['ovs_bridge', 'dpdk_ovs_bridge'],
    schema: { enum: ['OVSBridge'] },
    fate: 'rendered',
    effect: "`ovs_type OVSBridge` (the only bridge type Debian's hook has)",
  },
  {
    key: 'peer',
    types: ['ovs_port'],
    schema: str,
    fate: 'rendered',
    effect: '`ovs_patch_peer PEER`, `options:peer=PEER`',
  },
  {
    key: 'tag',
    types: ['ovs_port', 'ovs_bond', 'dpdk_ovs_bridge'],
    schema: integerLike,
    fate: 'rendered',
    effect: '`set Port NAME tag=N`',
  },
  {
    key: 'ovs_options',
    types: ['ovs_bridge', 'ovs_port', 'ovs_bond', 'dpdk_ovs_bridge', ...NIC_LIKE],
    schema: str,
    fate: 'rendered',
    effect: 'COLUMN=VALUE words as `set` commands; after `--`, further ovs-vsctl commands',
  },
  {
    key: 'ovs_extra',
    types: ['ovs_bridge', 'ovs_port', 'ovs_bond', 'dpdk_ovs_bridge', ...NIC_LIKE],
    schema: stringOrList,
    fate: 'rendered',
    effect: "further ovs-vsctl commands (reclass-net's key; salt does not read it)",
  },
  {
    key: 'ovs_ports',
    types: ['ovs_bridge', 'dpdk_ovs_bridge'],
    schema: stringOrList,
    fate: 'rendered',
    effect: '`ovs_ports` of the bridge (always written from the ports attached to it; listed ports must be among them)',
  },
  {
    key: 'datapath_type',
    types: ['ovs_bridge'],
    schema: str,
    fate: 'rendered',
    effect: '`set Bridge BR datapath_type=T` (DPDK bridges: netdev)',
  },
  {
    key: 'pci',
    types: DPDK_PORT,
    schema: str,
    fate: 'rendered',
    effect: '`options:dpdk-devargs=PCI` and a `pci PCI DRIVER` line of /etc/dpdk/interfaces',
  },
  {
    key: 'driver',
    types: DPDK_PORT,
    schema: str,
    fate: 'rendered',
    effect: 'the driver of the /etc/dpdk/interfaces line',
  },
  {
    key: 'bond',
    types: DPDK_PORT,
    schema: str,
    fate: 'rendered',
    effect: 'member of that dpdk_ovs_bond (`add-bond BR BOND ... MEMBER`)',
  },
  {
    key: 'n_rxq',
    types: DPDK_PORT,
    schema: integerLike,
    fate: 'rendered',
    effect: '`set Interface NAME options:n_rxq=N`',
  },
  {
    key: 'pmd_rxq_affinity',
    types: DPDK_PORT,
    schema: str,
    fate: 'rendered',
    effect: '`set Interface NAME other_config:pmd-rxq-affinity=V`',
  },
  {
    key: 'noifupdown',
    types: 'all',
    schema: any,
    fate: 'apply-time',
    effect: 'apply writes the stanza but does not run ifdown/ifup for this interface',
  },
  {
    key: 'ipflush_onchange',
    types: ['eth', 'ovs_port'],
    schema: bool,
    fate: 'apply-time',
    effect: 'apply flushes the addresses of the interface when its stanza changed',
  },
  {
    key: 'restart_on_ipflush',
    types: ['eth', 'ovs_port'],
    schema: bool,
    fate: 'apply-time',
    effect: 'apply runs ifdown and ifup after such a flush',
  },
  {
    key: 'wireless',
    types: ['eth'],
    schema: { type: 'object' },
    fate: 'refused',
    effect: 'wireless networks are outside what reclass-net renders (no WPA keys in host files it publishes)',
  },
];

/** Keys of `linux:network` itself. */
export const NETWORK_KEYS: readonly KeySpec[] = [
  { key: 'enabled', schema: bool, fate: 'rendered', effect: 'false: only the loopback interface is configured' },
  {
    key: 'bridge',
    schema: { enum: ['none', 'linuxbridge', 'openvswitch'] },
    fate: 'rendered',
    effect: 'which bridge packages salt would install; recorded in the model, no line of its own',
  },
  { key: 'interface', schema: { type: 'object' }, fate: 'rendered', effect: 'the interfaces (the table above)' },
  {
    key: 'hostname',
    schema: str,
    fate: 'rendered',
    effect:
      '/etc/hostname (linux:system:name when set, as salt writes it, else this) and the 127.0.1.1 line of /etc/hosts',
  },
  { key: 'fqdn', schema: str, fate: 'rendered', effect: 'first name of the 127.0.1.1 line of /etc/hosts' },
  {
    key: 'hostname_file',
    schema: str,
    fate: 'refused',
    effect: 'the hostname is always written to /etc/hostname, where Debian reads it',
  },
  {
    key: 'host',
    schema: { type: 'object' },
    fate: 'rendered',
    effect: "/etc/hosts: the localhost lines, the node's own line, then one line per entry (address, names)",
  },
  {
    key: 'purge_hosts',
    schema: bool,
    fate: 'rendered',
    effect:
      '/etc/hosts is always written whole (purge_hosts: true); false is warned about, as lines the file does not list would be lost',
  },
  {
    key: 'mine_dns_records',
    schema: bool,
    fate: 'refused',
    effect: 'needs the Salt mine of a running master; list the entries under host: instead',
  },
  {
    key: 'resolv',
    schema: { type: 'object' },
    fate: 'rendered',
    effect: '/etc/resolv.conf: search, domain, nameserver and options lines',
  },
  {
    key: 'proxy',
    schema: { type: 'object' },
    fate: 'rendered',
    effect: '/etc/apt/apt.conf.d/95proxies (host, port), as salt; host: none writes nothing',
  },
  {
    key: 'dpdk',
    schema: { type: 'object' },
    fate: 'rendered',
    effect:
      'enabled: /etc/dpdk/interfaces and other_config:dpdk-init=true; driver: the kernel module (apply-time, not loaded by render)',
  },
  {
    key: 'openvswitch',
    schema: { type: 'object' },
    fate: 'rendered',
    effect:
      'pmd_cpu_mask, dpdk_socket_mem, dpdk_lcore_mask, memory_channels, vhost_socket_dir: `set Open_vSwitch . other_config:...`; enabled and logging: refused (packages and daemon options are not host networking)',
  },
  {
    key: 'ovs_nowait',
    schema: bool,
    fate: 'refused',
    effect: 'ovs-setup.sh always waits for ovs-vswitchd, so its end means the state is in place',
  },
  {
    key: 'network_manager',
    schema: any,
    fate: 'refused',
    effect:
      "reclass-net starts and stops no services; disable NetworkManager through the host's configuration management",
  },
  { key: 'noifupdown', schema: any, fate: 'apply-time', effect: 'apply writes the files but runs no ifdown/ifup' },
  {
    key: 'concat_iface_files',
    schema: { type: 'array' },
    fate: 'rendered',
    effect: '`source SRC` for each entry, right after lo: the stanzas salt would append are kept where they are',
  },
  {
    key: 'remove_iface_files',
    schema: stringList,
    fate: 'apply-time',
    effect: 'apply removes these files; the interfaces file never sources them',
  },
  {
    key: 'systemd',
    schema: { type: 'object' },
    fate: 'rendered',
    effect: '/etc/systemd/network/NAME.TYPE files, `[Section]` / `Option=value`, as salt writes them',
  },
  {
    key: 'dhclient',
    schema: { type: 'object' },
    fate: 'refused',
    effect: "dhclient.conf is not host networking reclass-net renders; salt's linux.network.dhclient state still can",
  },
  {
    key: 'tap_custom_txqueuelen',
    schema: integerLike,
    fate: 'rendered',
    effect: '/etc/udev/rules.d/60-net-txqueue.rules setting the txqueuelen of tap devices',
  },
  {
    key: 'interface_params',
    schema: any,
    fate: 'refused',
    effect: "salt-formula-linux's internal list of forwarded keys; every key here has its own fate",
  },
  { key: 'pkgs', schema: any, fate: 'refused', effect: "package lists are salt's; reclass-net installs nothing" },
  {
    key: 'bridge_pkgs',
    schema: any,
    fate: 'refused',
    effect: "package lists are salt's; reclass-net installs nothing",
  },
  { key: 'ovs_pkgs', schema: any, fate: 'refused', effect: "package lists are salt's; reclass-net installs nothing" },
  { key: 'dpdk_pkgs', schema: any, fate: 'refused', effect: "package lists are salt's; reclass-net installs nothing" },
  { key: 'dhclient_config', schema: any, fate: 'refused', effect: 'belongs to dhclient, which is refused' },
  { key: 'default_interface', schema: any, fate: 'refused', effect: 'salt-formula-linux reads it nowhere' },
  {
    key: 'gateway',
    schema: any,
    fate: 'refused',
    effect: 'salt-formula-linux reads it nowhere; set gateway on an interface',
  },
  {
    key: 'backend',
    schema: { enum: ['ifupdown', 'netplan'] },
    fate: 'rendered',
    effect:
      'which host file render writes: ifupdown (/etc/network/interfaces, the default) or netplan (/etc/netplan/60-reclass-net.yaml); `render --backend` overrides it',
  },
];

/** The keys a type reads. */
export function keysOfType(type: PillarInterfaceType): KeySpec[] {
  return INTERFACE_KEYS.filter((k) => k.types === 'all' || k.types?.includes(type));
}

/** The pillar key behind each kind of command (`preUp` <- `pre_up_cmds`, ...). */
export const COMMAND_KEYS: ReadonlyArray<readonly [keyof Commands, string]> = [
  ['preUp', 'pre_up_cmds'],
  ['up', 'up_cmds'],
  ['postUp', 'post_up_cmds'],
  ['preDown', 'pre_down_cmds'],
  ['down', 'down_cmds'],
  ['postDown', 'post_down_cmds'],
];
/**
 * The Markdown table of every key and its fate, as docs/network.md holds it (a test keeps the
 * two equal; `node scripts/network-keys.mjs` prints it).
 * @example
 * console.log(keyTable(INTERFACE_KEYS, true));
 */
export function keyTable(keys: readonly KeySpec[], withTypes: boolean): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const header = withTypes
    ? '| key | types | fate | what becomes of it |\n|---|---|---|---|'
    : '| key | fate | what becomes of it |\n|---|---|---|';
  const rows = keys.map((k) => {
    const types = k.types === 'all' ? 'all' : (k.types ?? []).join(', ');
    return withTypes
      ? `| \`${k.key}\` | ${types} | ${k.fate} | ${cell(k.effect)} |`
      : `| \`${k.key}\` | ${k.fate} | ${cell(k.effect)} |`;
  });
  return [header, ...rows].join('\n');
}
