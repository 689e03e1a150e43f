/**
 * The key catalogue (src/network/keys.ts) is the one list of what becomes of every
 * salt-formula-linux key: these tests hold the docs to it, and prove each fate on a pillar
 * that sets every key: a rendered key shows up in the output, every other key is named in
 * a warning (or an error), an unknown key gets "did you mean".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeNetwork, formatProblem } from '../../src/network/index.js';
import { INTERFACE_KEYS, NETWORK_KEYS, keyTable, type KeySpec } from '../../src/network/keys.js';
import type { PillarInterfaceType } from '../../src/network/types.js';
import { renderNetwork } from '../../src/render/index.js';
import type { ValueMap } from '../../src/types.js';

const DOCS = readFileSync(new URL('../../docs/network.md', import.meta.url), 'utf8');

describe('the key table', () => {
  it('docs/network.md holds the catalogue exactly (regenerate with node scripts/network-keys.mjs)', () => {
    expect(DOCS).toContain(keyTable(NETWORK_KEYS, false));
    expect(DOCS).toContain(keyTable(INTERFACE_KEYS, true));
  });

  it('gives every key one fate, once', () => {
    for (const keys of [INTERFACE_KEYS, NETWORK_KEYS]) {
      const names = keys.map((k) => k.key);
      expect(new Set(names).size).toBe(names.length);
      for (const k of keys) expect(['rendered', 'apply-time', 'refused']).toContain(k.fate);
    }
  });
});

/**
 * One interface per type, each setting every key its type reads, with the text each
 * rendered key must put into the output (interfaces file, ovs-setup.sh or a host file).
 */
interface Sample {
  value: unknown;
  /** Text the rendered output must contain; `undefined` for keys whose effect is structural. */
  shows?: string;
}

const SAMPLES: Partial<Record<PillarInterfaceType, Record<string, Sample>>> = {
  eth: {
    name: { value: 'ens3', shows: 'iface ens3 inet static' },
    enabled: { value: true, shows: 'auto ens3' },
    managed: { value: true },
    proto: { value: 'static', shows: 'iface ens3 inet static' },
    address: { value: '10.1.0.5', shows: 'address 10.1.0.5/24' },
    netmask: { value: '255.255.255.0', shows: '10.1.0.5/24' },
    broadcast: { value: '10.1.0.255', shows: 'broadcast 10.1.0.255' },
    network: { value: '10.1.0.0' },
    gateway: { value: '10.1.0.1', shows: 'gateway 10.1.0.1' },
    metric: { value: 7, shows: 'metric 7' },
    mtu: { value: 9000, shows: 'mtu 9000' },
    hwaddr: { value: '52:54:00:00:00:01', shows: 'hwaddress 52:54:00:00:00:01' },
    hwaddress: { value: '52:54:00:00:00:01', shows: 'hwaddress 52:54:00:00:00:01' },
    name_servers: { value: ['10.1.0.2'], shows: 'dns-nameservers 10.1.0.2' },
    'dns-search': { value: 'lab.local', shows: 'dns-search lab.local' },
    enable_ipv6: { value: true, shows: 'iface ens3 inet6 static' },
    ipv6proto: { value: 'static', shows: 'inet6 static' },
    ipv6ipaddr: { value: '2001:db8::5', shows: 'address 2001:db8::5/64' },
    ipv6netmask: { value: 64, shows: '2001:db8::5/64' },
    ipv6gateway: { value: '2001:db8::1', shows: 'gateway 2001:db8::1' },
    route: {
      value: {
        r1: { address: '10.9.0.0', netmask: '255.255.0.0', gateway: '10.1.0.1', metric: 5 },
        r6: { address: '2001:db8:9::', netmask: 48, gateway: '2001:db8::1' },
      },
      shows: 'up ip route add 10.9.0.0/16 via 10.1.0.1 metric 5 dev ens3',
    },
    pre_up_cmds: { value: ['echo pre-up'], shows: 'pre-up echo pre-up' },
    up_cmds: { value: ['echo up'], shows: 'up echo up' },
    post_up_cmds: { value: ['echo post-up'], shows: 'post-up echo post-up' },
    pre_down_cmds: { value: ['echo pre-down'], shows: 'pre-down echo pre-down' },
    down_cmds: { value: ['echo down'], shows: 'down echo down' },
    post_down_cmds: { value: ['echo post-down'], shows: 'post-down echo post-down' },
    require_interfaces: { value: ['eno9'] },
    use_interfaces: { value: ['eno9'] },
    rx: { value: 'on', shows: 'offload-rx on' },
    tx: { value: 'off', shows: 'offload-tx off' },
    sg: { value: 'on', shows: 'offload-sg on' },
    tso: { value: 'off', shows: 'offload-tso off' },
    gso: { value: 'off', shows: 'offload-gso off' },
    gro: { value: 'off', shows: 'offload-gro off' },
    lro: { value: 'off', shows: 'offload-lro off' },
    ufo: { value: 'off' },
    'hardware-dma-ring-rx': { value: 4096, shows: 'hardware-dma-ring-rx 4096' },
    'hardware-dma-ring-tx': { value: 2048, shows: 'hardware-dma-ring-tx 2048' },
    ovs_options: { value: 'other_config:x=y', shows: 'other_config:x=y' },
    ovs_extra: { value: 'set Port ens3 other_config:z=1', shows: 'other_config:z=1' },
    ovs_bridge: { value: 'br-x', shows: 'add-port br-x ens3' },
    noifupdown: { value: true },
    ipflush_onchange: { value: true },
    restart_on_ipflush: { value: true },
    wireless: { value: { essid: 'lab', key: 'secret', security: 'wpa' } },
  },
  bond: {
    mode: { value: 'active-backup', shows: 'bond-mode active-backup' },
    slaves: { value: 'eno1 eno2', shows: 'bond-slaves eno1 eno2' },
    arp_ip_target: { value: ['10.1.0.1'], shows: 'bond-arp-ip-target 10.1.0.1' },
    arp_interval: { value: 300, shows: 'bond-arp-interval 300' },
    lacp_rate: { value: 'fast', shows: 'bond-lacp-rate fast' },
    ad_select: { value: 'bandwidth', shows: 'bond-ad-select bandwidth' },
    'hashing-algorithm': { value: 'layer3+4', shows: 'bond-xmit-hash-policy layer3+4' },
    primary: { value: 'eno1', shows: 'bond-primary eno1' },
  },
  ovs_port: {
    port_type: { value: 'patch', shows: 'ovs_type OVSPatchPort' },
    peer: { value: 'p-x', shows: 'ovs_patch_peer p-x' },
    tag: { value: 20, shows: 'tag=20' },
    bridge: { value: 'br-x', shows: 'ovs_bridge br-x' },
  },
  dpdk_ovs_port: {
    pci: { value: '"0000:00:05.0"', shows: 'options:dpdk-devargs=0000:00:05.0' },
    driver: { value: 'igb_uio', shows: 'pci 0000:00:05.0 igb_uio' },
    n_rxq: { value: 2, shows: 'options:n_rxq=2' },
    pmd_rxq_affinity: { value: '0:3,1:7', shows: 'other_config:pmd-rxq-affinity=0:3,1:7' },
    bridge: { value: 'br-x', shows: 'add-port br-x dpdk0' },
  },
};

/** A node whose pillar sets every sample key, plus what it needs around them. */
function everyKeyNode(): { parameters: ValueMap; keys: Array<{ iface: string; key: string; sample: Sample }> } {
  const values = (type: PillarInterfaceType) =>
    Object.fromEntries(Object.entries(SAMPLES[type]!).map(([k, s]) => [k, s.value]));
  const eth = { type: 'eth', ...values('eth') };
  const bond = { type: 'bond', ...values('bond') };
  const patch = { type: 'ovs_port', ...values('ovs_port') };
  const dpdk = { type: 'dpdk_ovs_port', ...values('dpdk_ovs_port') };
  const interfaces = {
    eth0: eth,
    eno1: { type: 'eth', proto: 'manual' },
    eno2: { type: 'eth', proto: 'manual' },
    bond0: bond,
    'br-x': { type: 'dpdk_ovs_bridge' },
    'br-y': { type: 'ovs_bridge' },
    'x-p': patch,
    'p-x': { type: 'ovs_port', port_type: 'patch', bridge: 'br-y', peer: 'x-p' },
    dpdk0: dpdk,
  };
  const network = {
    enabled: true,
    bridge: 'openvswitch',
    interface: interfaces,
    hostname: 'cmp01',
    fqdn: 'cmp01.lab.local',
    host: { ctl01: { address: '10.1.0.11', names: ['ctl01', 'ctl01.lab.local'] } },
    purge_hosts: true,
    resolv: { dns: ['10.1.0.2'], domain: 'lab.local', search: ['lab.local'], options: ['ndots:5'] },
    proxy: { host: 'proxy.lab.local', port: 3128 },
    dpdk: { enabled: true, driver: 'uio' },
    openvswitch: {
      pmd_cpu_mask: '0x6',
      dpdk_socket_mem: '1024',
      dpdk_lcore_mask: '0x1',
      memory_channels: '2',
      vhost_socket_dir: { path: '/run/openvswitch' },
    },
    concat_iface_files: [{ src: '/etc/network/interfaces.d/50-cloud-init.cfg', dst: '/etc/network/interfaces' }],
    remove_iface_files: ['/etc/network/interfaces.d/90-old.cfg'],
    systemd: { network: { '40-dhcp': { match: { name: 'en*' }, network: { DHCP: 'yes' } } } },
    tap_custom_txqueuelen: 10000,
    noifupdown: true,
    mine_dns_records: true,
    ovs_nowait: true,
    network_manager: { disable: true },
    dhclient: { enabled: false },
    hostname_file: '/etc/hostname',
    interface_params: [],
    pkgs: [],
    bridge_pkgs: [],
    ovs_pkgs: [],
    dpdk_pkgs: [],
    dhclient_config: '/etc/dhcp/dhclient.conf',
    default_interface: 'eth0',
    gateway: '10.1.0.1',
  };
  const keys = [
    ...Object.entries(SAMPLES.eth!).map(([key, sample]) => ({ iface: 'eth0', key, sample })),
    ...Object.entries(SAMPLES.bond!).map(([key, sample]) => ({ iface: 'bond0', key, sample })),
    ...Object.entries(SAMPLES.ovs_port!).map(([key, sample]) => ({ iface: 'x-p', key, sample })),
    ...Object.entries(SAMPLES.dpdk_ovs_port!).map(([key, sample]) => ({ iface: 'dpdk0', key, sample })),
  ];
  return { parameters: { linux: { system: { name: 'cmp01' }, network } }, keys };
}

describe('every key of the table, set in one pillar', () => {
  const { parameters, keys } = everyKeyNode();
  const node = { name: 'cmp01', parameters };
  const { problems } = analyzeNetwork(node);
  const messages = problems.map(formatProblem);

  it('renders (no error), warning about what it does not render', () => {
    expect(problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
  });

  const result = renderNetwork(node);
  const output = [...Object.values(result.files), result.ovs.join('\n')].join('\n');

  it('puts every rendered key into the output', () => {
    const missing = keys
      .filter(({ sample }) => sample.shows !== undefined && !output.includes(sample.shows))
      .map(({ iface, key, sample }) => `${iface}:${key} (${sample.shows})`);
    expect(missing, output).toEqual([]);
  });

  it('names every refused key in a warning, interface keys and network keys alike', () => {
    const refused = (list: readonly KeySpec[]) => list.filter((k) => k.fate === 'refused').map((k) => k.key);
    for (const key of refused(INTERFACE_KEYS).filter((k) => keys.some((s) => s.key === k))) {
      expect(
        messages.some((m) => m.startsWith('warning:') && m.includes(`key ${key}`)),
        `${key} in:\n${messages.join('\n')}`,
      ).toBe(true);
    }
    for (const key of refused(NETWORK_KEYS)) {
      expect(
        messages.some((m) => m.startsWith('warning:') && m.includes(`key ${key}`)),
        `${key} in:\n${messages.join('\n')}`,
      ).toBe(true);
    }
  });

  it('writes the host files the pillar declares', () => {
    expect(Object.keys(result.files).sort()).toEqual([
      'etc/apt/apt.conf.d/95proxies',
      'etc/dpdk/interfaces',
      'etc/hostname',
      'etc/hosts',
      'etc/network/interfaces',
      'etc/resolv.conf',
      'etc/systemd/network/40-dhcp.network',
      'etc/udev/rules.d/60-net-txqueue.rules',
      'ovs-setup.sh',
    ]);
    expect(result.files['etc/hostname']).toBe('cmp01\n');
    expect(result.files['etc/hosts']).toMatch(/^127\.0\.1\.1 cmp01\.lab\.local cmp01$/m);
    expect(result.files['etc/hosts']).toMatch(/^10\.1\.0\.11 ctl01 ctl01\.lab\.local$/m);
    expect(result.files['etc/resolv.conf']).toMatch(
      /^search lab\.local\ndomain lab\.local\nnameserver 10\.1\.0\.2\noptions ndots:5$/m,
    );
    expect(result.files['etc/apt/apt.conf.d/95proxies']).toContain(
      'Acquire::http::proxy "http://proxy.lab.local:3128/";',
    );
    expect(result.files['etc/systemd/network/40-dhcp.network']).toContain('[Match]\nName=en*\n\n[Network]\nDHCP=yes');
    expect(result.interfaces).toContain('source /etc/network/interfaces.d/50-cloud-init.cfg');
    expect(result.interfaces).not.toContain('90-old.cfg');
    expect(result.ovs[0]).toBe(
      "ovs-vsctl set Open_vSwitch . other_config:dpdk-init=true other_config:pmd-cpu-mask=0x6 other_config:dpdk-socket-mem=1024 other_config:dpdk-lcore-mask=0x1 'other_config:dpdk-extra=-n 2 --vhost-owner libvirt-qemu:kvm --vhost-perm 0664' other_config:vhost-sock-dir=/run/openvswitch",
    );
  });

  it('keeps what only apply acts on in the model, out of the files', () => {
    const eth = result.model.interfaces.find((i) => i.key === 'eth0')!;
    expect(eth.applyTime).toEqual({ noIfupdown: true, ipflushOnChange: true, restartOnIpflush: true });
    expect(result.model.host.noIfupdown).toBe(true);
    expect(result.model.host.removeFiles).toEqual(['/etc/network/interfaces.d/90-old.cfg']);
    expect(output).not.toMatch(/ipflush|noifupdown/);
  });
});

describe('unknown and misplaced keys', () => {
  const warnings = (iface: Record<string, unknown>, network: Record<string, unknown> = {}) =>
    analyzeNetwork({
      name: 'cmp01',
      parameters: { linux: { network: { ...network, interface: { eth0: iface } } } } as ValueMap,
    }).problems.map(formatProblem);

  it('warns of a misspelt key with the nearest known one, and still renders', () => {
    const found = warnings({ type: 'eth', mttu: 1234, addres: '10.0.0.1', netmask: 24 });
    expect(found).toContainEqual(
      expect.stringMatching(
        /^warning: node cmp01, interface eth0, key mttu: unknown key "mttu" \(did you mean mtu\?\)/,
      ),
    );
    expect(found).toContainEqual(expect.stringMatching(/key addres: unknown key "addres" \(did you mean address\?\)/));
    expect(() =>
      renderNetwork({
        name: 'cmp01',
        parameters: { linux: { network: { interface: { eth0: { type: 'eth', mttu: 1234 } } } } },
      }),
    ).not.toThrow();
    expect(() =>
      renderNetwork(
        {
          name: 'cmp01',
          parameters: { linux: { network: { interface: { eth0: { type: 'eth', mttu: 1234 } } } } },
        },
        { strict: true },
      ),
    ).toThrow(/unknown key "mttu"/);
  });

  it('warns of a misspelt network-level key and of a route key', () => {
    expect(warnings({ type: 'eth' }, { hostnme: 'x' })).toContainEqual(
      expect.stringMatching(/key hostnme: unknown key "hostnme" \(did you mean hostname\?\)/),
    );
    expect(
      warnings({
        type: 'eth',
        address: '10.0.0.1',
        netmask: 24,
        route: { r: { address: '10.1.0.0', netmask: 16, gatway: '10.0.0.9' } },
      }),
    ).toContainEqual(expect.stringMatching(/key route:r:gatway: unknown key "gatway" \(did you mean gateway\?\)/));
  });

  it('warns of a key its type does not read', () => {
    expect(warnings({ type: 'eth', peer: 'x' })).toContainEqual(
      expect.stringMatching(/^warning: .*key peer: key peer has no effect on a eth interface/),
    );
  });

  it('offers no suggestion for a word far from every key', () => {
    const [message] = warnings({ type: 'eth', colour: 'blue' });
    expect(message).toMatch(/unknown key "colour"; /);
  });
});
