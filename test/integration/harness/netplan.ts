/**
 * `netplan generate --root-dir` on a rendered netplan file, and readers of what it writes:
 * systemd-networkd `.network` / `.netdev` files under `run/systemd/network/` and the
 * `netplan-ovs-*.service` units (their ExecStart ovs-vsctl commands) under `run/systemd/system/`.
 * Checks hold the generated files to the NetworkModel the YAML was written from, so a writer
 * bug that netplan accepts silently is still caught.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatCidr } from '../../../src/network/ipv4.js';
import type { NetworkInterface, NetworkModel } from '../../../src/network/types.js';
import { NETPLAN_PATH } from '../../../src/render/netplan.js';
import { run } from './exec.js';
import type { HostState } from './host-state.js';

/** One `[Section]` of a unit file, its `Key=value` lines in order (sections may repeat). */
export interface UnitSection {
  name: string;
  entries: Array<[string, string]>;
}

export interface Generated {
  root: string;
  /** File name (`10-netplan-eth0.network`) -> sections. */
  networkd: Record<string, UnitSection[]>;
  /** Service name -> its ExecStart commands, in order. */
  services: Record<string, string[]>;
  stderr: string;
}

function parseUnit(text: string): UnitSection[] {
  const sections: UnitSection[] = [];
  for (const line of text.split('\n')) {
    const header = /^\[(.+)\]\s*$/.exec(line);
    if (header) sections.push({ name: header[1], entries: [] });
    else if (/^[A-Za-z]/.test(line) && sections.length > 0) {
      const eq = line.indexOf('=');
      sections[sections.length - 1].entries.push([line.slice(0, eq), line.slice(eq + 1)]);
    }
  }
  return sections;
}

/** Writes the YAML under `root` (mode 0600, as netplan wants) and runs `netplan generate`. */
export async function netplanGenerate(root: string, yaml: string): Promise<Generated> {
  const path = join(root, NETPLAN_PATH);
  await mkdir(join(root, 'etc/netplan'), { recursive: true });
  await writeFile(path, yaml, { mode: 0o600 });
  const result = await run('netplan', ['generate', '--root-dir', root], { timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`netplan generate failed (${result.code}): ${result.stderr}`);
  const networkd: Generated['networkd'] = {};
  const networkDir = join(root, 'run/systemd/network');
  for (const file of await readdir(networkDir).catch(() => [] as string[])) {
    networkd[file] = parseUnit(await readFile(join(networkDir, file), 'utf8'));
  }
  const services: Generated['services'] = {};
  const systemDir = join(root, 'run/systemd/system');
  for (const file of (await readdir(systemDir).catch(() => [] as string[])).filter(
    (f) => f.startsWith('netplan-ovs-') && f.endsWith('.service'),
  )) {
    const sections = parseUnit(await readFile(join(systemDir, file), 'utf8'));
    services[file] = sections.flatMap((s) => s.entries.filter(([k]) => k === 'ExecStart').map(([, v]) => v));
  }
  return { root, networkd, services, stderr: result.stderr };
}

/** Every value of `key` in the sections named `section` of a file. */
export function values(generated: Generated, file: string, section: string, key: string): string[] {
  return (generated.networkd[file] ?? [])
    .filter((s) => s.name === section)
    .flatMap((s) => s.entries.filter(([k]) => k === key).map(([, v]) => v));
}

/** The ovs-vsctl commands of every netplan OVS service, without the program path. */
export function ovsCommandsOf(generated: Generated): string[] {
  return Object.values(generated.services)
    .flat()
    .map((c) => c.replace(/^\S*ovs-vsctl\s+/, ''));
}

/**
 * What of the model the generated files do not carry, one line each; empty when they agree.
 * Devices only ovs-setup.sh creates (DPDK ports and bonds) are not expected here.
 */
export function compareWithModel(model: NetworkModel, generated: Generated): string[] {
  const problems: string[] = [];
  const byName = new Map(model.interfaces.map((i) => [i.name, i]));
  const network = (name: string) => `10-netplan-${name}.network`;
  const netdev = (name: string) => `10-netplan-${name}.netdev`;
  const expectValue = (file: string, section: string, key: string, value: string, what: string) => {
    if (!values(generated, file, section, key).includes(value))
      problems.push(
        `${what}: ${file} has no [${section}] ${key}=${value} (has ${JSON.stringify(values(generated, file, section, key))})`,
      );
  };
  const ovs = ovsCommandsOf(generated);
  const expectOvs = (pattern: string, what: string) => {
    if (!ovs.some((c) => c.startsWith(pattern)))
      problems.push(`${what}: no netplan OVS command starts with "${pattern}"`);
  };
  const dpdkBond = (iface: NetworkInterface) =>
    (iface.ovsBondSlaves ?? []).some((m) => byName.get(m)?.kind === 'ovs-dpdk-port') ||
    (iface.ovsBondSlaves ?? []).length === 0;
  if (!model.enabled)
    return Object.keys(generated.networkd).length > 0 ? ['network disabled, yet networkd files were generated'] : [];

  for (const iface of model.interfaces) {
    const ovsObject = iface.kind.startsWith('ovs-') || iface.ovsBridge !== undefined;
    if (ovsObject && !iface.enabled) continue;
    const name = iface.name;
    const hasDevice = [
      'ethernet',
      'bond',
      'vlan',
      'linux-bridge',
      'ovs-bridge',
      'ovs-internal-port',
      'ovs-system-port',
    ].includes(iface.kind);
    if (hasDevice) {
      if (!generated.networkd[network(name)]) {
        problems.push(`${name}: no ${network(name)}`);
        continue;
      }
      if (iface.address && iface.proto === 'static')
        expectValue(network(name), 'Network', 'Address', formatCidr(iface.address), name);
      if (iface.ipv6?.address && iface.ipv6.proto === 'static')
        expectValue(network(name), 'Network', 'Address', formatCidr(iface.ipv6.address), name);
      if (iface.proto === 'dhcp') expectValue(network(name), 'Network', 'DHCP', 'ipv4', name);
      if (iface.mtu !== undefined) expectValue(network(name), 'Link', 'MTUBytes', String(iface.mtu), name);
      if (iface.gateway !== undefined)
        expectValue(network(name), 'Route', 'Gateway', iface.gateway, `${name} default route`);
      for (const route of iface.routes)
        expectValue(network(name), 'Route', 'Destination', formatCidr(route.network), `${name} route ${route.name}`);
      for (const server of iface.nameServers) expectValue(network(name), 'Network', 'DNS', server, name);
      if (!iface.enabled) expectValue(network(name), 'Link', 'ActivationPolicy', 'manual', `${name} (disabled)`);
    }
    if (iface.kind === 'vlan') {
      expectValue(netdev(name), 'NetDev', 'Kind', 'vlan', name);
      expectValue(netdev(name), 'VLAN', 'Id', String(iface.vlan!.id), name);
      expectValue(network(iface.vlan!.rawDevice), 'Network', 'VLAN', name, `${name} on ${iface.vlan!.rawDevice}`);
    }
    if (iface.kind === 'bond') {
      expectValue(netdev(name), 'NetDev', 'Kind', 'bond', name);
      expectValue(netdev(name), 'Bond', 'Mode', iface.bond!.options.find(([k]) => k === 'mode')![1], name);
      for (const slave of iface.bond!.slaves)
        expectValue(network(slave), 'Network', 'Bond', name, `${slave} in ${name}`);
    }
    if (iface.kind === 'linux-bridge') {
      expectValue(netdev(name), 'NetDev', 'Kind', 'bridge', name);
      for (const port of iface.bridgePorts ?? [])
        expectValue(network(port), 'Network', 'Bridge', name, `${port} in ${name}`);
    }
    if (iface.kind === 'ovs-bridge') expectOvs(`--may-exist add-br ${name}`, name);
    if (
      iface.ovsBridge !== undefined &&
      (iface.kind === 'ethernet' || iface.kind === 'bond' || iface.kind === 'vlan' || iface.kind === 'ovs-system-port')
    ) {
      expectOvs(`--may-exist add-port ${iface.ovsBridge} ${name}`, `${name} on ${iface.ovsBridge}`);
    }
    if (iface.kind === 'ovs-bond' && !dpdkBond(iface)) {
      // netplan lists the members in an order of its own: compare them as a set.
      const head = `--may-exist add-bond ${iface.ovsBridge} ${name} `;
      const members = ovs
        .find((c) => c.startsWith(head))
        ?.slice(head.length)
        .split(' ')
        .sort();
      if (JSON.stringify(members) !== JSON.stringify([...(iface.ovsBondSlaves ?? [])].sort())) {
        problems.push(
          `${name} on ${iface.ovsBridge}: netplan's add-bond has members ${JSON.stringify(members)}, the model ${JSON.stringify(iface.ovsBondSlaves)}`,
        );
      }
    }
    if (iface.kind === 'ovs-patch-port') {
      expectOvs(
        `--may-exist add-port ${iface.ovsBridge} ${name} -- set Interface ${name} type=patch options:peer=${iface.peer}`,
        `patch ${name}`,
      );
    }
  }
  return problems;
}

/**
 * netplan records what it made in external_ids (`netplan=true`, `netplan/...`), which is not
 * host state, and says `set-fail-mode BR standalone` where it has no fail-mode: what OVS does
 * with no fail_mode at all.
 */
export function withoutNetplanBookkeeping(state: HostState): HostState {
  const ovs: HostState['ovs'] = {};
  for (const [row, columns] of Object.entries(state.ovs)) {
    const ids =
      columns.external_ids === undefined ? undefined : (JSON.parse(columns.external_ids) as Record<string, string>);
    const kept = ids && Object.fromEntries(Object.entries(ids).filter(([k]) => !k.startsWith('netplan')));
    const view: Record<string, string> = kept ? { ...columns, external_ids: JSON.stringify(kept) } : { ...columns };
    if (row.startsWith('Bridge ') && view.fail_mode === '"standalone"') view.fail_mode = '[]';
    ovs[row] = view;
  }
  return { ...state, ovs };
}

/**
 * The ovs-vsctl commands of the netplan-ovs-*.service units, in the order systemd starts them
 * (their After= on each other). netplan-ovs-cleanup runs `netplan apply --only-ovs-cleanup`,
 * which removes what an earlier netplan made; on an empty database it has nothing to do.
 */
export async function netplanOvsScript(root: string): Promise<string> {
  const dir = join(root, 'run/systemd/system');
  const units = new Map<string, { after: string[]; commands: string[] }>();
  for (const file of (await readdir(dir).catch(() => [] as string[])).filter((f) =>
    /^netplan-ovs-.*\.service$/.test(f),
  )) {
    if (file === 'netplan-ovs-cleanup.service') continue;
    const entries = parseUnit(await readFile(join(dir, file), 'utf8')).flatMap((s) => s.entries);
    const commands = entries.filter(([k]) => k === 'ExecStart').map(([, v]) => v);
    for (const command of commands)
      if (!/^\S*\/ovs-vsctl /.test(command)) throw new Error(`${file} runs ${command}, which is not ovs-vsctl`);
    units.set(file, {
      after: entries.filter(([k]) => k === 'After').map(([, v]) => v),
      commands: commands.map((c) => c.replace(/^\S*\/ovs-vsctl /, 'ovs-vsctl ')),
    });
  }
  const ordered: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (ordered.includes(file) || !units.has(file)) return;
    if (path.includes(file))
      throw new Error(`netplan's OVS units wait for each other: ${[...path, file].join(' -> ')}`);
    for (const before of units.get(file)!.after) visit(before, [...path, file]);
    ordered.push(file);
  };
  [...units.keys()].sort().forEach((file) => visit(file, []));
  return ['#!/bin/sh', 'set -e', ...ordered.flatMap((file) => units.get(file)!.commands), ''].join('\n');
}
