/**
 * The site design a model may declare beside `linux:network`, under `reclass_net:design`, and
 * the checks that hold each node to it. Two rules of MCP, MOSK and MidoNet designs that no
 * single interface shows:
 * - networks no operational host may touch (PXE after provisioning, OOB): an address, a
 *   route or a gateway inside one is an error;
 * - overlays (VXLAN, Geneve, GRE tunnels): the interface a node reaches the underlay by must
 *   carry the overlay's MTU plus the encapsulation overhead, or tunnelled frames are dropped.
 * (One default route per host is a check of every node: `checks.ts`, gateways.)
 */
import { isIpv4, networkOf, parseCidr } from './ipv4.js';
import { DESIGN_PATH, type ProblemSink } from './problems.js';
import { printable, valueText } from './safety.js';
import type { Ipv4Cidr, NetworkInterface } from './types.js';

/** Bytes each encapsulation adds to a frame over an IPv4 underlay, inner Ethernet header included. */
const ENCAPSULATION_OVERHEAD: Readonly<Record<string, number>> = { vxlan: 50, geneve: 50, gre: 42, stt: 72 };

export interface ForbiddenNetwork {
  name: string;
  network: Ipv4Cidr;
}

export interface Overlay {
  name: string;
  /** The underlay network: tunnel endpoints have their address in it. */
  underlay: Ipv4Cidr;
  /** The MTU the overlay offers to what it carries. */
  mtu: number;
  encapsulation: string;
  overhead: number;
}

export interface NetworkDesign {
  forbidden: ForbiddenNetwork[];
  overlays: Overlay[];
}

type Raw = { [key: string]: unknown };
const isMapping = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads `reclass_net:design` (absent: no design, no checks); every value of the wrong shape
 * and every unknown key is a problem of its own.
 * @example
 * const design = readDesign(node.parameters, sink); // { forbidden: [{ name: 'pxe', ... }], overlays: [] }
 */
export function readDesign(parameters: Raw, sink: ProblemSink): NetworkDesign {
  const design: NetworkDesign = { forbidden: [], overlays: [] };
  const root = parameters[DESIGN_PATH[0]];
  const raw = isMapping(root) ? root[DESIGN_PATH[1]] : undefined;
  if (raw === undefined || raw === null) return design;
  if (!isMapping(raw)) {
    sink.design([], 'must be a mapping with forbidden_networks and overlays');
    return design;
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'forbidden_networks' && key !== 'overlays')
      sink.design([key], `unknown key "${printable(key)}"; the design has forbidden_networks and overlays`, 'warning');
  }
  for (const [name, value] of entries(raw['forbidden_networks'], ['forbidden_networks'], sink)) {
    const network = cidr(value, ['forbidden_networks', name], sink);
    if (network) design.forbidden.push({ name, network });
  }
  for (const [name, value] of entries(raw['overlays'], ['overlays'], sink)) {
    const overlay = readOverlay(name, value, sink);
    if (overlay) design.overlays.push(overlay);
  }
  return design;
}

function entries(value: unknown, at: string[], sink: ProblemSink): Array<[string, unknown]> {
  if (value === undefined || value === null) return [];
  if (!isMapping(value)) {
    sink.design(at, 'must be a mapping of names');
    return [];
  }
  return Object.entries(value);
}

function cidr(value: unknown, at: string[], sink: ProblemSink): Ipv4Cidr | undefined {
  const parsed = typeof value === 'string' ? parseCidr(value) : 'a network such as 10.0.0.0/24';
  if (typeof parsed === 'string') {
    sink.design(
      at,
      `"${printable(String(value))}" is not ${typeof value === 'string' ? 'a network: ' + parsed : parsed}`,
    );
    return undefined;
  }
  return parsed;
}

function readOverlay(name: string, value: unknown, sink: ProblemSink): Overlay | undefined {
  const at = ['overlays', name];
  if (!isMapping(value)) {
    sink.design(at, 'an overlay is a mapping with underlay, mtu and encapsulation');
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!['underlay', 'mtu', 'encapsulation', 'overhead'].includes(key))
      sink.design(
        [...at, key],
        `unknown key "${printable(key)}"; an overlay has underlay, mtu, encapsulation and overhead`,
        'warning',
      );
  }
  const underlay = cidr(value['underlay'], [...at, 'underlay'], sink);
  const mtu = Number(value['mtu']);
  if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535)
    sink.design([...at, 'mtu'], `"${printable(String(value['mtu']))}" is not an MTU`);
  const encapsulation = valueText(value['encapsulation'] ?? 'vxlan');
  const overhead = value['overhead'] !== undefined ? Number(value['overhead']) : ENCAPSULATION_OVERHEAD[encapsulation];
  if (overhead === undefined) {
    sink.design(
      [...at, 'encapsulation'],
      `"${printable(encapsulation)}" is not one of ${Object.keys(ENCAPSULATION_OVERHEAD).join(', ')} (or give overhead: BYTES)`,
    );
    return undefined;
  }
  if (!Number.isInteger(overhead) || overhead < 0 || overhead > 1000) {
    sink.design([...at, 'overhead'], `"${printable(String(value['overhead']))}" is not a number of bytes`);
    return undefined;
  }
  if (!underlay || !Number.isInteger(mtu) || mtu < 68 || mtu > 65535) return undefined;
  return { name, underlay, mtu, encapsulation, overhead };
}

/** True when `address` lies in `network`. */
function contains(network: Ipv4Cidr, address: string): boolean {
  return isIpv4(address) && networkOf({ address, prefixLength: network.prefixLength }) === networkOf(network);
}

/** True when two networks share any address (one contains the other). */
function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const shorter = Math.min(a.prefixLength, b.prefixLength);
  return (
    networkOf({ address: a.address, prefixLength: shorter }) ===
    networkOf({ address: b.address, prefixLength: shorter })
  );
}

/**
 * Holds the node's enabled interfaces to the design, reporting each breach on the interface
 * and key that makes it.
 * @example
 * checkDesign(model.interfaces, readDesign(node.parameters, sink), sink);
 */
export function checkDesign(interfaces: readonly NetworkInterface[], design: NetworkDesign, sink: ProblemSink): void {
  const enabled = interfaces.filter((i) => i.enabled);
  for (const { name, network } of design.forbidden) {
    const label = `the ${name} network ${network.address}/${network.prefixLength}, which reclass_net:design:forbidden_networks keeps off every host`;
    for (const iface of enabled) {
      if (iface.address && contains(network, iface.address.address))
        sink.iface(iface.key, 'address', `address ${iface.address.address} is in ${label}`);
      if (iface.gateway !== undefined && contains(network, iface.gateway))
        sink.iface(iface.key, 'gateway', `gateway ${iface.gateway} is in ${label}`);
      for (const route of iface.routes) {
        if (route.family !== 4) continue;
        if (overlaps(network, route.network))
          sink.iface(
            iface.key,
            ['route', route.name],
            `route ${route.network.address}/${route.network.prefixLength} reaches into ${label}`,
          );
        else if (route.gateway !== undefined && contains(network, route.gateway))
          sink.iface(iface.key, ['route', route.name, 'gateway'], `route gateway ${route.gateway} is in ${label}`);
      }
    }
  }
  for (const overlay of design.overlays) {
    const need = overlay.mtu + overlay.overhead;
    for (const iface of enabled) {
      if (!iface.address || !contains(overlay.underlay, iface.address.address)) continue;
      const mtu = iface.mtu ?? 1500;
      if (mtu < need) {
        sink.iface(
          iface.key,
          'mtu',
          `MTU ${mtu}${iface.mtu === undefined ? ' (the default)' : ''} of ${iface.name}, the underlay of overlay ${overlay.name}, is below its MTU ${overlay.mtu} plus ${overlay.overhead} bytes of ${overlay.encapsulation} (${need}): tunnelled frames would be dropped`,
        );
      }
    }
  }
}
