/**
 * Model -> Debian ifupdown `interfaces`. One self-contained file, stanzas in dependency order:
 * salt-formula-linux splits OVS stanzas into `interfaces.u/` and sources them at the top,
 * which puts ports before the devices they need and pulls in whatever else lies in
 * `interfaces.d/`. Open vSwitch devices use the `ovs_type` options of Debian's
 * openvswitch-switch ifupdown hook.
 *
 * Choices, and why:
 * - Static routes are `up ip route add ...` / `down ip route del ... || true` in the stanza
 *   of their interface, not salt's if-up.d hook scripts: one file holds the whole state.
 * - Addresses are written `address A/PREFIX` (ifupdown accepts it; no separate netmask).
 * - OVS settings (tags, bond mode, datapath_type, mtu_request, ovs_options) go into
 *   `ovs_extra` as `set` commands, never `ovs_ports`: the hook would run a nested `ifup`
 *   that ignores `-i` and `--state-dir`. Ports follow their bridge in file order instead.
 * - A VLAN not named PARENT.ID gets a guarded `pre-up ip link add ... type vlan` (plain
 *   ifupdown only creates dotted names; the `vlan` package's hook is then a no-op).
 * - `mtu` is written only where the pillar sets one; on dhcp stanzas, which ignore `mtu`,
 *   as `pre-up ip link set dev X mtu N`. Patch ports and OVS bonds have no device of their
 *   own, so no mtu line (the bond's members get mtu_request).
 */
import { NetworkValidationError } from '../errors.js';
import { formatCidr } from '../network/ipv4.js';
import { mustGet, present } from '../invariant.js';
import type { Ipv6Settings, NetworkInterface, NetworkModel } from '../network/types.js';
import {
  dpdkPortSettings,
  isOvsSystemPort,
  openVswitchSettings,
  ovsBondSettings,
  ovsBridgeSettings,
  ovsPortSettings,
} from './ovs-settings.js';
import { shellCommand } from './shell.js';
import { assertRenderableModel } from './guard.js';
import { headerLabel } from './labels.js';
import { renderTemplate } from './templates.js';

/**
 * One `iface` stanza of the interfaces file, before formatting.
 * @example
 * for (const s of interfacesStanzas(model)) console.log(s.classes.join(' '), s.name, s.method, s.options.length);
 */
export interface Stanza {
  /** `auto NAME`, `allow-CLASS NAME` lines. */
  classes: string[];
  name: string;
  /** `inet`, or `inet6` for an interface's IPv6 side (a second stanza of the same name). */
  family: 'inet' | 'inet6';
  method: string;
  /** Option lines, in the order ifupdown should see them. */
  options: Array<[string, string]>;
  comment?: string;
}

/**
 * The stanzas of the interfaces file, in dependency order (parents first).
 * @example
 * const names = interfacesStanzas(buildNetworkModel(node)).map((s) => s.name); // parents first
 */
export function interfacesStanzas(model: NetworkModel): Stanza[] {
  assertRenderableModel(model);
  const byName = new Map(model.interfaces.map((i) => [i.name, i]));
  const context: StanzaContext = { lookup: (n) => byName.get(n), model };
  return model.order.flatMap((name) => {
    const iface = mustGet(byName, name, 'interface');
    // DPDK bond members have no stanza: their bond's add-bond creates and configures them.
    if (iface.kind === 'ovs-dpdk-port' && iface.ovsBridge === undefined) return [];
    const v4 = stanza(iface, context);
    return iface.ipv6 ? [v4, inet6Stanza(iface, iface.ipv6)] : [v4];
  });
}

interface StanzaContext {
  lookup: (name: string) => NetworkInterface | undefined;
  model: NetworkModel;
}

/**
 * The Debian ifupdown `interfaces` file of a model.
 * @example
 * await writeFile('interfaces', renderInterfaces(buildNetworkModel(node)));
 */
export function renderInterfaces(model: NetworkModel): string {
  const stanzas = interfacesStanzas(model);
  for (const s of stanzas) assertSingleLines(s);
  const sources = model.enabled ? model.host.sources.filter((src) => !model.host.removeFiles.includes(src)) : [];
  return renderTemplate('interfaces.njk', { node: headerLabel(model.node), enabled: model.enabled, sources, stanzas });
}

function stanza(iface: NetworkInterface, { lookup, model }: StanzaContext): Stanza {
  const options: Array<[string, string]> = [];
  const classes: string[] = [];
  const ovsType = ovsTypeOf(iface);
  if (iface.enabled) {
    classes.push(`auto ${iface.name}`);
    if (ovsType === 'OVSBridge') classes.push(`allow-ovs ${iface.name}`);
    else if (ovsType) classes.push(`allow-${iface.ovsBridge} ${iface.name}`);
  }

  if (ovsType) {
    options.push(['ovs_type', ovsType]);
    if (iface.ovsBridge !== undefined) options.push(['ovs_bridge', iface.ovsBridge]);
    if (ovsType === 'OVSBridge') {
      // Debian's hook brings these up with the bridge (`ifup --allow=BR PORTS`) and down with
      // it, so `ifdown BR; ifup BR` restores every port the bridge's del-br removed.
      const ports = model.order.filter((n) => {
        const port = present(lookup(n), `interface ${n}`);
        return port.enabled && port.ovsBridge === iface.name && ovsTypeOf(port) !== undefined;
      });
      if (ports.length > 0) options.push(['ovs_ports', ports.join(' ')]);
      // Host-wide OVS settings (DPDK's other_config) hold values with spaces, which the hook's
      // word-split ovs_extra cannot carry: a quoted pre-up command can.
      for (const command of openVswitchSettings(model.host.ovsOtherConfig))
        options.push(['pre-up', shellCommand(['ovs-vsctl', ...command])]);
    }
    if (ovsType === 'OVSBond') {
      // The hook adds a bond without --may-exist, so a bond already in the database (a reboot
      // keeps it; ovs-setup.sh made it) would fail ifup. Remove it first; the hook re-adds it.
      options.push([
        'pre-up',
        shellCommand([
          'ovs-vsctl',
          '--if-exists',
          'del-port',
          present(iface.ovsBridge, `the OVS bridge of ${iface.name}`),
          iface.name,
        ]),
      ]);
      if (iface.ovsBondSlaves) options.push(['ovs_bonds', iface.ovsBondSlaves.join(' ')]);
    }
    if (iface.peer !== undefined) options.push(['ovs_patch_peer', iface.peer]);
    // Everything else the hook passes to ovs-vsctl after `--`, as set commands, so that it
    // converges like ovs-setup.sh does (add-port's column arguments only apply at creation).
    const commands =
      ovsType === 'OVSBridge'
        ? ovsBridgeSettings(iface)
        : ovsType === 'OVSBond'
          ? ovsBondSettings(iface, lookup)
          : iface.kind === 'ovs-dpdk-port'
            ? dpdkPortSettings(iface)
            : ovsPortSettings(iface);
    if (commands.length > 0) options.push(['ovs_extra', commands.map((c) => c.join(' ')).join(' -- ')]);
  }

  if (iface.vlan) {
    options.push(['vlan-raw-device', iface.vlan.rawDevice]);
    if (!iface.name.endsWith(`.${iface.vlan.id}`)) {
      // ifupdown only creates VLANs named PARENT.ID itself (other names need the vlan package).
      const sys = `/sys/class/net/${iface.name}`;
      options.push([
        'pre-up',
        `[ -e ${sys} ] || ip link add link ${iface.vlan.rawDevice} name ${iface.name} type vlan id ${iface.vlan.id}`,
      ]);
    }
  }

  if (iface.address) options.push(['address', formatCidr(iface.address)]);
  if (iface.broadcast !== undefined) options.push(['broadcast', iface.broadcast]);
  if (iface.gateway !== undefined) options.push(['gateway', iface.gateway]);
  if (iface.metric !== undefined) options.push(['metric', String(iface.metric)]);
  if (iface.hwaddress !== undefined) options.push(['hwaddress', iface.hwaddress]);
  // A DPDK port has no kernel device: its MTU is mtu_request alone.
  if (
    iface.mtu !== undefined &&
    ovsType !== 'OVSPatchPort' &&
    ovsType !== 'OVSBond' &&
    iface.kind !== 'ovs-dpdk-port'
  ) {
    // The dhcp method has no mtu option; ifupdown would drop it without a word.
    if (iface.proto === 'dhcp') options.push(['pre-up', `ip link set dev ${iface.name} mtu ${iface.mtu}`]);
    else options.push(['mtu', String(iface.mtu)]);
  }

  if (iface.bondMaster !== undefined) options.push(['bond-master', iface.bondMaster]);
  if (iface.bond) {
    options.push(['bond-slaves', iface.bond.slaves.length > 0 ? iface.bond.slaves.join(' ') : 'none']);
    for (const [key, value] of iface.bond.options) options.push([`bond-${key}`, value]);
  }
  if (iface.kind === 'linux-bridge') {
    const ports = iface.bridgePorts ?? [];
    // Without bridge_ports, bridge-utils' hook does not even create the bridge.
    options.push(['bridge_ports', ports.length > 0 ? ports.join(' ') : 'none']);
    for (const option of iface.bridgeOptions ?? []) options.push(option);
  }

  if (iface.nameServers.length > 0) options.push(['dns-nameservers', iface.nameServers.join(' ')]);
  if (iface.dnsSearch.length > 0) options.push(['dns-search', iface.dnsSearch.join(' ')]);
  for (const option of iface.ethtool) options.push(option);

  const { commands } = iface;
  for (const c of commands.preUp) options.push(['pre-up', c]);
  for (const route of iface.routes) options.push(['up', `${routeCommand(route)} add ${routeSpec(iface, route)}`]);
  for (const c of commands.up) options.push(['up', c]);
  for (const c of commands.postUp) options.push(['post-up', c]);
  for (const bridge of linuxBridgesOf(iface, model)) {
    // The OVS bridge's ifdown deletes this port and its ifup makes it anew, outside the
    // Linux bridge that listed it: rejoin it whenever it comes up and the bridge exists.
    options.push([
      'post-up',
      `[ ! -d /sys/class/net/${bridge}/bridge ] || ip link set dev ${iface.name} master ${bridge}`,
    ]);
  }
  for (const c of commands.preDown) options.push(['pre-down', c]);
  for (const c of commands.down) options.push(['down', c]);
  // A failing down command aborts ifdown; the route may already be gone with its address.
  for (const route of iface.routes)
    options.push(['down', `${routeCommand(route)} del ${routeSpec(iface, route)} || true`]);
  for (const c of commands.postDown) options.push(['post-down', c]);
  if (iface.vlan && !iface.name.endsWith(`.${iface.vlan.id}`)) {
    options.push(['post-down', `[ ! -e /sys/class/net/${iface.name} ] || ip link delete dev ${iface.name}`]);
  }

  const result: Stanza = { classes, name: iface.name, family: 'inet', method: iface.proto, options };
  const note = [
    iface.key !== iface.name && /^[A-Za-z0-9_.:@+-]{1,64}$/.test(iface.key) ? `pillar key ${iface.key}` : undefined,
    iface.enabled ? undefined : 'disabled in the pillar: not brought up by ifup -a',
  ].filter(Boolean);
  if (note.length > 0) result.comment = note.join('; ');
  return result;
}

/** The IPv6 side of an interface: its own stanza, after the inet one, with no `auto` line. */
function inet6Stanza(iface: NetworkInterface, v6: Ipv6Settings): Stanza {
  const options: Array<[string, string]> = [];
  if (v6.address) options.push(['address', formatCidr(v6.address)]);
  if (v6.gateway !== undefined) options.push(['gateway', v6.gateway]);
  return { classes: [], name: iface.name, family: 'inet6', method: v6.proto, options };
}

/** Linux bridges that list an OVS internal port among their ports. */
function linuxBridgesOf(iface: NetworkInterface, model: NetworkModel): string[] {
  if (iface.kind !== 'ovs-internal-port') return [];
  return model.interfaces
    .filter((b) => b.enabled && b.kind === 'linux-bridge' && b.bridgePorts?.includes(iface.name))
    .map((b) => b.name);
}

function routeCommand(route: NetworkInterface['routes'][number]): string {
  return route.family === 6 ? 'ip -6 route' : 'ip route';
}

export type OvsType = 'OVSBridge' | 'OVSPort' | 'OVSIntPort' | 'OVSPatchPort' | 'OVSBond';

function ovsTypeOf(iface: NetworkInterface): OvsType | undefined {
  switch (iface.kind) {
    case 'ovs-bridge':
      return 'OVSBridge';
    case 'ovs-internal-port':
      return 'OVSIntPort';
    case 'ovs-patch-port':
      return 'OVSPatchPort';
    case 'ovs-bond':
      return 'OVSBond';
    case 'ovs-dpdk-port':
      return 'OVSPort';
    default:
      return isOvsSystemPort(iface) ? 'OVSPort' : undefined;
  }
}

function routeSpec(iface: NetworkInterface, route: NetworkInterface['routes'][number]): string {
  return `${formatCidr(route.network)}${route.gateway ? ` via ${route.gateway}` : ''}${route.metric !== undefined ? ` metric ${route.metric}` : ''} dev ${iface.name}`;
}

/** Defence in depth: validation already refused such values, but a newline here adds a stanza. */
function assertSingleLines(s: Stanza): void {
  const texts = [...s.classes, s.name, s.method, s.comment ?? '', ...s.options.flat()];
  for (const text of texts) {
    if (/[\r\n]/.test(text) || text.includes('\0')) {
      throw new NetworkValidationError(`a multi-line value would reach the interfaces file: ${JSON.stringify(text)}`);
    }
  }
}
