/**
 * A node's networking as a picture: the normalised NetworkModel becomes a Graphviz graph
 * (devices as boxes, membership as edges, NICs at the bottom and bridges on top), laid out
 * by Graphviz itself (`@viz-js/viz`, its WebAssembly build, so no native binary and no
 * network) and returned as SVG ready to inline in a page.
 */
import { instance, type Viz } from '@viz-js/viz';
import { formatCidr } from '../network/ipv4.js';
import type { DeviceKind, NetworkInterface, NetworkModel } from '../network/types.js';
import { effectiveMtus, mtuText, type EffectiveMtu } from './mtu.js';

/** What the picture marks beyond the model itself. */
export interface TopologyOptions {
  /** Device names with a validation problem: drawn with a red border and a warning line. */
  problems?: ReadonlySet<string>;
}

/** Border of a device with a validation problem. */
const PROBLEM_COLOR = '#c0261b';

/** How each kind of device looks, and what the legend calls it. */
const STYLE: Record<DeviceKind, { label: string; shape: string; fill: string; border: string; extra?: string }> = {
  ethernet: { label: 'NIC', shape: 'box', fill: '#e3eefc', border: '#2f5f98' },
  bond: { label: 'bond', shape: 'box', fill: '#dff3e4', border: '#2e7d46', extra: 'peripheries=2' },
  vlan: { label: 'VLAN', shape: 'box', fill: '#fff4d6', border: '#a67c00' },
  'linux-bridge': { label: 'Linux bridge', shape: 'box', fill: '#f0e4fa', border: '#6f3a99' },
  'ovs-bridge': { label: 'OVS bridge', shape: 'box', fill: '#fde3d3', border: '#b0501a', extra: 'peripheries=2' },
  'ovs-internal-port': { label: 'OVS internal port', shape: 'ellipse', fill: '#fdebe0', border: '#b0501a' },
  'ovs-system-port': { label: 'OVS port', shape: 'ellipse', fill: '#fdebe0', border: '#b0501a' },
  'ovs-patch-port': { label: 'OVS patch port', shape: 'ellipse', fill: '#fdebe0', border: '#b0501a' },
  'ovs-bond': { label: 'OVS bond', shape: 'box', fill: '#fde3d3', border: '#b0501a' },
  'ovs-dpdk-port': { label: 'DPDK port', shape: 'ellipse', fill: '#fdebe0', border: '#b0501a' },
};

/** The picture's legend: each look of a device box and what it stands for. */
export function legend(): Array<{ label: string; color: string }> {
  return [
    { label: 'NIC', color: STYLE.ethernet.fill },
    { label: 'bond', color: STYLE.bond.fill },
    { label: 'VLAN', color: STYLE.vlan.fill },
    { label: 'Linux bridge', color: STYLE['linux-bridge'].fill },
    { label: 'OVS bridge / OVS bond', color: STYLE['ovs-bridge'].fill },
    { label: 'OVS port (internal, patch, system)', color: STYLE['ovs-internal-port'].fill },
  ];
}

/** The legend's wording for a device kind. */
export function kindLabel(kind: DeviceKind): string {
  return STYLE[kind].label;
}

/**
 * A DOT double-quoted string of one or more centred lines: backslashes (Graphviz's `\N`, `\l`
 * escapes) and quotes neutralised, line breaks only where we put them.
 */
function quote(...lines: string[]): string {
  const escaped = lines.map((l) =>
    l
      .replace(/\\/g, '\\\\')
      .replace(/"/g, '\\"')
      .replace(/[\r\n]+/g, ' '),
  );
  return `"${escaped.join('\\n')}"`;
}

/** The text lines of a device's box: name, what it is, MTU (the effective one), address. */
function labelLines(iface: NetworkInterface, mtu: EffectiveMtu | undefined, problem: boolean): string[] {
  const lines = [iface.name];
  let what = kindLabel(iface.kind);
  if (iface.vlan) what += ` ${iface.vlan.id}`;
  if (iface.tag !== undefined) what += `, tag ${iface.tag}`;
  if (!iface.enabled) what += ' (disabled)';
  lines.push(what);
  lines.push(`MTU ${mtuText(mtu)}`);
  if (iface.datapathType) lines.push(`datapath ${iface.datapathType}`);
  if (iface.address) lines.push(formatCidr(iface.address));
  else if (iface.proto === 'dhcp') lines.push('DHCP');
  if (problem) lines.push('⚠ validation problem');
  return lines;
}

interface Edge {
  from: string;
  to: string;
  label?: string;
  patch?: boolean;
}

/** Every membership in the model, as "child is part of parent" edges, without duplicates. */
function edgesOf(model: NetworkModel): Edge[] {
  const edges = new Map<string, Edge>();
  const add = (edge: Edge) => {
    const key = edge.patch
      ? [edge.from, edge.to].sort().join('\u0000') + '\u0000patch'
      : `${edge.from}\u0000${edge.to}`;
    if (!edges.has(key)) edges.set(key, edge);
  };
  for (const iface of model.interfaces) {
    if (iface.bondMaster) add({ from: iface.name, to: iface.bondMaster });
    for (const slave of iface.bond?.slaves ?? []) add({ from: slave, to: iface.name });
    if (iface.vlan) add({ from: iface.vlan.rawDevice, to: iface.name });
    for (const port of iface.bridgePorts ?? []) add({ from: port, to: iface.name });
    for (const slave of iface.ovsBondSlaves ?? []) add({ from: slave, to: iface.name });
    if (iface.ovsBridge)
      add({ from: iface.name, to: iface.ovsBridge, label: iface.tag !== undefined ? `tag ${iface.tag}` : undefined });
    for (const port of iface.ovsPorts ?? []) add({ from: port, to: iface.name });
    if (iface.peer) add({ from: iface.name, to: iface.peer, label: 'patch', patch: true });
  }
  return [...edges.values()];
}

/**
 * Every port of an OVS bridge is drawn inside the bridge's box: internal, patch and bond
 * ports, and system ports too (a NIC, bond or VLAN the bridge takes over is in it on the host,
 * and drawn outside it looked like a device beside the bridge).
 */
function inBridgeBox(iface: NetworkInterface): boolean {
  return iface.ovsBridge !== undefined && iface.kind !== 'ovs-bridge';
}

/** The Graphviz DOT source of a node's topology. */
export function topologyDot(model: NetworkModel, options: TopologyOptions = {}): string {
  const mtus = effectiveMtus(model);
  const problems = options.problems ?? new Set<string>();
  const ids = new Map<string, string>();
  const idOf = (name: string) => {
    let id = ids.get(name);
    if (!id) ids.set(name, (id = `n${ids.size}`));
    return id;
  };
  const out: string[] = [
    'digraph topology {',
    '  graph [rankdir=BT, nodesep=0.35, ranksep=0.55, fontname="Helvetica,Arial,sans-serif", fontsize=11, bgcolor="transparent"];',
    '  node [fontname="Helvetica,Arial,sans-serif", fontsize=11, style="filled,rounded", margin="0.2,0.08"];',
    '  edge [fontname="Helvetica,Arial,sans-serif", fontsize=9, color="#555555", fontcolor="#333333", arrowsize=0.6];',
  ];
  const known = new Set(model.interfaces.map((i) => i.name));
  const nodeLine = (iface: NetworkInterface, indent: string) => {
    const s = STYLE[iface.kind];
    const style = iface.enabled ? '"filled,rounded"' : '"filled,rounded,dashed"';
    const bad = problems.has(iface.name);
    const attrs = [
      `label=${quote(...labelLines(iface, mtus.get(iface.name), bad))}`,
      `shape=${s.shape}`,
      `style=${style}`,
      `fillcolor="${iface.enabled ? s.fill : '#eeeeee'}"`,
      `color="${bad ? PROBLEM_COLOR : s.border}"`,
      bad ? 'penwidth=2.5, fontcolor="#8a1c14"' : undefined,
      s.extra,
    ].filter(Boolean);
    out.push(`${indent}${idOf(iface.name)} [${attrs.join(', ')}];`);
  };
  const byBridge = new Map<string, NetworkInterface[]>();
  for (const iface of model.interfaces) {
    const bridge = iface.ovsBridge;
    if (bridge !== undefined && inBridgeBox(iface) && known.has(bridge)) {
      byBridge.set(bridge, [...(byBridge.get(bridge) ?? []), iface]);
    }
  }
  let cluster = 0;
  for (const iface of model.interfaces) {
    if (iface.ovsBridge !== undefined && inBridgeBox(iface) && byBridge.has(iface.ovsBridge)) continue; // drawn with its bridge
    const ports = iface.kind === 'ovs-bridge' ? byBridge.get(iface.name) : undefined;
    if (ports) {
      out.push(`  subgraph cluster_${cluster++} {`);
      out.push(
        `    label=${quote(`OVS ${iface.name}`)}; style="rounded,dashed"; color="#b0501a"; fontcolor="#b0501a";`,
      );
      nodeLine(iface, '    ');
      for (const port of ports) nodeLine(port, '    ');
      out.push('  }');
    } else nodeLine(iface, '  ');
  }
  const edges = edgesOf(model);
  // A reference to a device the model does not manage (validation normally rejects these).
  for (const name of new Set(edges.flatMap((e) => [e.from, e.to]))) {
    if (!known.has(name))
      out.push(`  ${idOf(name)} [label=${quote(name, '(not managed)')}, shape=box, style="dashed", color="#999999"];`);
  }
  for (const e of edges) {
    const attrs = [e.label !== undefined ? `label=${quote(e.label)}` : undefined];
    if (e.patch) attrs.push('dir=both', 'style=dashed', 'color="#b0501a"', 'constraint=false');
    else attrs.push('dir=none');
    out.push(`  ${idOf(e.from)} -> ${idOf(e.to)} [${attrs.filter(Boolean).join(', ')}];`);
  }
  if (model.interfaces.length === 0) out.push('  empty [label="no managed interfaces", shape=plaintext, style=""];');
  out.push('}');
  return out.join('\n') + '\n';
}

let viz: Promise<Viz> | undefined;

/** Lays out DOT source with Graphviz and returns an `<svg>` element fit to inline in HTML. */
export async function dotToSvg(dot: string): Promise<string> {
  viz ??= instance();
  const result = (await viz).render(dot, { format: 'svg' });
  if (result.status !== 'success' || result.output === undefined) {
    const why = result.errors.map((e) => e.message).join('; ');
    throw new Error(`Graphviz could not lay out the topology: ${why}`);
  }
  return inlineSvg(result.output);
}

/**
 * Drops the XML prologue, doctype and comments (they are not allowed inside HTML), and checks
 * that nothing active slipped through: Graphviz XML-escapes every label, and the DOT we feed it
 * sets no URLs, so a script element, event handler or link here would mean an escaping bug.
 * Only the markup is checked, not the text: `javascript:1` is a valid interface name, and as
 * escaped text in a label it is inert.
 */
export function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  if (start < 0) throw new Error('Graphviz returned no <svg> element');
  const body = svg
    .slice(start)
    .replace(/<!--[\s\S]*?-->/g, '')
    .trim();
  const tags = body.match(/<[^>]*>/g) ?? [];
  if (
    tags.some((tag) =>
      /^<\/?\s*(?:script|foreignObject|a|iframe|use)\b|\son[a-z]+\s*=|\s(?:xlink:)?href\s*=|javascript:/i.test(tag),
    )
  ) {
    throw new Error('refusing to inline an SVG with active content');
  }
  return body.replace(/^<svg\b/, '<svg class="topology" role="img"');
}

/** The SVG picture of a node's networking. */
export async function topologySvg(model: NetworkModel, options: TopologyOptions = {}): Promise<string> {
  return dotToSvg(topologyDot(model, options));
}
