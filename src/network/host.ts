/**
 * The host-level keys of `linux:network` (hostname, host, resolv, proxy, dpdk, openvswitch,
 * concat_iface_files, systemd, ...) -> {@link HostSettings}. Each value is held to the shape
 * of the file line it becomes; what does not fit is a problem here, before anything renders.
 */
import { isIpv4 } from './ipv4.js';
import { isIpAddress } from './ipv6.js';
import type { Value } from '../types.js';
import { NETWORK_KEYS } from './keys.js';
import type { ProblemSink } from './problems.js';
import { printable, singleLineProblem, valueText } from './safety.js';
import type { HostEntry, HostSettings, ResolvSettings, SystemdNetworkUnit } from './types.js';

type Raw = { [key: string]: Value };

const isMapping = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
// Real models use underscores in domains (mk24_lab_ovs.local); /etc/hosts and glibc take them.
const HOSTNAME = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?)*\.?$/;
const PATH = /^\/[A-Za-z0-9_.@+/-]*$/;
const WORD = /^[A-Za-z0-9_.:@+,/=*-]+$/;
/** salt-formula-linux's openvswitch keys and the other_config column each sets. */
const OVS_OTHER_CONFIG: Array<[string, string]> = [
  ['pmd_cpu_mask', 'pmd-cpu-mask'],
  ['dpdk_socket_mem', 'dpdk-socket-mem'],
  ['dpdk_lcore_mask', 'dpdk-lcore-mask'],
];

/**
 * Reads the host-level keys; `systemName` is `linux:system:name`, which salt writes to
 * /etc/hostname.
 * @example
 * const host = readHostSettings(network, 'cmp01', sink);
 */
export function readHostSettings(
  network: Raw | undefined,
  systemName: string | undefined,
  sink: ProblemSink,
): HostSettings {
  const reader = new HostReader(network ?? {}, sink);
  return reader.read(systemName);
}

class HostReader {
  constructor(
    private readonly raw: Raw,
    private readonly sink: ProblemSink,
  ) {}

  read(systemName: string | undefined): HostSettings {
    for (const spec of NETWORK_KEYS) {
      if (spec.fate === 'refused' && this.raw[spec.key] !== undefined && this.raw[spec.key] !== false)
        this.sink.network([spec.key], `key ${spec.key} is not rendered: ${spec.effect}`, 'warning');
    }
    const host: HostSettings = {
      sources: this.sources(),
      removeFiles: this.paths('remove_iface_files'),
      noIfupdown: this.raw['noifupdown'] !== undefined && this.raw['noifupdown'] !== false,
      ovsOtherConfig: [],
      systemdUnits: this.systemd(),
    };
    const hostname = this.name('hostname');
    if (hostname !== undefined)
      host.hostname = systemName !== undefined && HOSTNAME.test(systemName) ? systemName : hostname;
    const backend = this.raw['backend'];
    // The schema reports any other value; the render then uses the default.
    if (backend === 'ifupdown' || backend === 'netplan') host.backend = backend;
    const fqdn = this.name('fqdn');
    if (fqdn !== undefined) host.fqdn = fqdn;
    const hosts = this.hosts();
    if (hosts) host.hosts = hosts;
    if (this.raw['purge_hosts'] === false && hosts) {
      this.sink.network(
        ['purge_hosts'],
        'purge_hosts: false is not honoured: /etc/hosts is written whole, so lines it does not list are replaced',
        'warning',
      );
    }
    const resolv = this.resolv();
    if (resolv) host.resolv = resolv;
    const proxy = this.proxy();
    if (proxy) host.proxy = proxy;
    this.dpdk(host);
    const txqueuelen = this.raw['tap_custom_txqueuelen'];
    if (txqueuelen !== undefined) {
      const n = Number(txqueuelen);
      if (Number.isInteger(n) && n > 0 && n <= 1 << 24) host.tapTxqueuelen = n;
      else this.sink.network(['tap_custom_txqueuelen'], `"${printable(valueText(txqueuelen))}" is not a queue length`);
    }
    return host;
  }

  private name(key: string): string | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && HOSTNAME.test(value) && value.length <= 253) return value;
    this.sink.network([key], `"${printable(valueText(value))}" is not a host name`);
    return undefined;
  }

  private sources(): string[] {
    const list = this.raw['concat_iface_files'];
    if (!Array.isArray(list)) return [];
    const sources: string[] = [];
    list.forEach((entry, i) => {
      const src = isMapping(entry) ? entry['src'] : undefined;
      const dst = isMapping(entry) ? entry['dst'] : undefined;
      if (typeof src !== 'string' || !PATH.test(src)) {
        this.sink.network(['concat_iface_files', i], 'each entry needs src: an absolute path of plain characters');
        return;
      }
      if (dst !== undefined && dst !== '/etc/network/interfaces') {
        this.sink.network(
          ['concat_iface_files', i, 'dst'],
          `only /etc/network/interfaces can include ${src}; dst ${printable(valueText(dst))} is not rendered`,
          'warning',
        );
      }
      sources.push(src);
    });
    return sources;
  }

  private paths(key: string): string[] {
    const list = this.raw[key];
    if (!Array.isArray(list)) return [];
    const out: string[] = [];
    list.forEach((item, i) => {
      if (typeof item === 'string' && PATH.test(item)) out.push(item);
      else this.sink.network([key, i], `"${printable(valueText(item))}" is not an absolute path of plain characters`);
    });
    return out;
  }

  private hosts(): HostEntry[] | undefined {
    const table = this.raw['host'];
    if (table === undefined) return undefined;
    if (!isMapping(table)) return undefined; // the schema reports it
    const entries: HostEntry[] = [];
    for (const [key, raw] of Object.entries(table)) {
      if (!isMapping(raw)) {
        this.sink.network(['host', key], 'a host entry is a mapping with address and names');
        continue;
      }
      const address = raw['address'];
      const names = raw['names'];
      if (typeof address !== 'string' || !isIpAddress(address)) {
        this.sink.network(['host', key, 'address'], `"${printable(valueText(address))}" is not an IP address`);
        continue;
      }
      const list = Array.isArray(names) ? names : typeof names === 'string' ? [names] : [];
      const valid = [...new Set(list.filter((n): n is string => typeof n === 'string' && HOSTNAME.test(n)))];
      list.forEach((n, i) => {
        if (typeof n !== 'string' || !HOSTNAME.test(n))
          this.sink.network(['host', key, 'names', i], `"${printable(valueText(n))}" is not a host name`);
      });
      if (valid.length === 0) {
        this.sink.network(['host', key, 'names'], 'a host entry needs at least one name', 'warning');
        continue;
      }
      entries.push({ address, names: valid });
    }
    return entries;
  }

  private resolv(): ResolvSettings | undefined {
    const raw = this.raw['resolv'];
    if (!isMapping(raw)) return undefined;
    const list = (key: string, check: (v: string) => boolean, what: string): string[] => {
      const value = raw[key];
      const items = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
      return items.filter((item, i) => {
        const ok = typeof item === 'string' && check(item);
        if (!ok) this.sink.network(['resolv', key, i], `"${printable(valueText(item))}" is not ${what}`);
        return ok;
      }) as string[];
    };
    const resolv: ResolvSettings = {
      nameservers: list('dns', isIpAddress, 'an IP address'),
      search: list('search', (v) => HOSTNAME.test(v), 'a domain'),
      options: list('options', (v) => WORD.test(v), 'a resolver option such as ndots:5'),
    };
    const domain = raw['domain'];
    if (typeof domain === 'string' && HOSTNAME.test(domain)) resolv.domain = domain;
    else if (domain !== undefined)
      this.sink.network(['resolv', 'domain'], `"${printable(valueText(domain))}" is not a domain`);
    if (resolv.nameservers.length > 3) {
      this.sink.network(
        ['resolv', 'dns'],
        `the resolver reads at most 3 nameservers; ${resolv.nameservers.length - 3} would be ignored`,
        'warning',
      );
    }
    return resolv;
  }

  private proxy(): HostSettings['proxy'] {
    const raw = this.raw['proxy'];
    if (!isMapping(raw)) return undefined;
    const host = raw['host'];
    if (host === undefined || host === 'none') return undefined;
    if (typeof host !== 'string' || (!HOSTNAME.test(host) && !isIpv4(host))) {
      this.sink.network(['proxy', 'host'], `"${printable(valueText(host))}" is not a host name`);
      return undefined;
    }
    const port = raw['port'];
    if (port === undefined) return { host };
    if (!/^\d{1,5}$/.test(valueText(port)) || Number(port) > 65535) {
      this.sink.network(['proxy', 'port'], `"${printable(valueText(port))}" is not a port`);
      return undefined;
    }
    return { host, port: valueText(port) };
  }

  private dpdk(host: HostSettings): void {
    const dpdk = this.raw['dpdk'];
    const enabled = isMapping(dpdk) && dpdk['enabled'] === true;
    if (isMapping(dpdk)) {
      const driver = dpdk['driver'];
      host.dpdk = { enabled, ...(typeof driver === 'string' && /^[A-Za-z0-9_-]+$/.test(driver) ? { driver } : {}) };
    }
    const ovs = this.raw['openvswitch'];
    if (!isMapping(ovs)) {
      if (enabled) host.ovsOtherConfig.push(['dpdk-init', 'true']);
      return;
    }
    for (const key of ['enabled', 'logging']) {
      if (ovs[key] !== undefined) {
        this.sink.network(
          ['openvswitch', key],
          `openvswitch:${key} is not rendered: packages and daemon options are not host networking`,
          'warning',
        );
      }
    }
    // salt sets these only with DPDK; so does this, as they configure DPDK's poll-mode threads.
    if (!enabled) {
      const set = Object.keys(ovs).filter((k) => k !== 'enabled' && k !== 'logging');
      if (set.length > 0)
        this.sink.network(
          ['openvswitch'],
          `openvswitch:${set.join(', ')} are DPDK settings and are not rendered without dpdk:enabled`,
          'warning',
        );
      return;
    }
    host.ovsOtherConfig.push(['dpdk-init', 'true']);
    for (const [key, column] of OVS_OTHER_CONFIG) {
      const value = this.word(ovs, key);
      if (value !== undefined) host.ovsOtherConfig.push([column, value]);
    }
    const channels = this.word(ovs, 'memory_channels');
    if (channels !== undefined) {
      if (/^\d+$/.test(channels))
        host.ovsOtherConfig.push(['dpdk-extra', `-n ${channels} --vhost-owner libvirt-qemu:kvm --vhost-perm 0664`]);
      else
        this.sink.network(
          ['openvswitch', 'memory_channels'],
          `"${printable(channels)}" is not a number of memory channels`,
        );
    }
    const socketDir = ovs['vhost_socket_dir'];
    const path = isMapping(socketDir) ? socketDir['path'] : undefined;
    if (typeof path === 'string') {
      if (PATH.test(path)) host.ovsOtherConfig.push(['vhost-sock-dir', path]);
      else
        this.sink.network(
          ['openvswitch', 'vhost_socket_dir', 'path'],
          `"${printable(path)}" is not an absolute path of plain characters`,
        );
    }
  }

  private word(raw: Raw, key: string): string | undefined {
    const value = raw[key];
    if (value === undefined) return undefined;
    const text = valueText(value);
    if (typeof value !== 'object' && WORD.test(text)) return text;
    this.sink.network(['openvswitch', key], `"${printable(text)}" is not a plain value`);
    return undefined;
  }

  private systemd(): SystemdNetworkUnit[] {
    const raw = this.raw['systemd'];
    if (!isMapping(raw)) return [];
    const units: SystemdNetworkUnit[] = [];
    for (const [type, files] of Object.entries(raw)) {
      if (!['network', 'netdev', 'link'].includes(type) || !isMapping(files)) {
        this.sink.network(
          ['systemd', type],
          `systemd-networkd files are of type network, netdev or link, not ${printable(type)}`,
        );
        continue;
      }
      for (const [name, sections] of Object.entries(files)) {
        if (!/^[A-Za-z0-9_.@-]+$/.test(name) || !isMapping(sections)) {
          this.sink.network(['systemd', type, name], 'a systemd-networkd file is NAME: {Section: {Option: value}}');
          continue;
        }
        const unit: SystemdNetworkUnit = { file: `${name}.${type}`, sections: [] };
        for (const [section, options] of Object.entries(sections)) {
          if (!/^[A-Za-z][A-Za-z0-9]*$/.test(section) || !isMapping(options)) {
            this.sink.network(['systemd', type, name, section], 'a section is a mapping of options');
            continue;
          }
          const lines: Array<[string, string]> = [];
          for (const [option, value] of Object.entries(options)) {
            const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : valueText(value);
            const bad =
              typeof value === 'object' || !/^[A-Za-z][A-Za-z0-9]*$/.test(option)
                ? 'not an option: value pair'
                : singleLineProblem(text);
            if (bad) this.sink.network(['systemd', type, name, section, option], bad);
            else lines.push([capitalise(option), text]);
          }
          unit.sections.push([capitalise(section), lines]);
        }
        units.push(unit);
      }
    }
    return units;
  }
}

/** salt upper-cases the first letter of sections and options (`match` -> `Match`). */
function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
