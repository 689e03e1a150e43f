/**
 * The site picture: hosts and the networks they sit on, one SVG per cluster. Graphviz lays a
 * node's devices out well, but for a site it draws 50+ hosts and their shared networks as a
 * hairball; a fixed layout reads at any size: networks are vertical buses (their names on
 * top, linked to their pages), hosts are boxes in rows grouped by role (linked to their node
 * pages), and a dot with the address marks where a host sits on a bus. A KVM host lists the
 * VMs it carries. The SVG is built here as text: every model string is XML-escaped, and
 * every href is a page path of the site (safe characters only).
 */
import { mustGet } from '../invariant.js';
import type { NetworkHost } from './networks.js';

export interface PictureHost {
  name: string;
  /** What the box says: the short name where it is unique in the cluster. */
  label: string;
  role: string;
  /** Links of this host, by network id. */
  links: Array<Pick<NetworkHost, 'network' | 'address' | 'iface' | 'mtuText' | 'conflict' | 'mtuMismatch'>>;
  /** The node's network has validation errors. */
  invalid: boolean;
  /** Virtual machines this host carries (KVM host of the virtual control plane). */
  vms: string[];
}

export interface PictureNetwork {
  id: string;
  label: string;
  detail: string;
}

export interface PictureInput {
  cluster: string;
  hosts: PictureHost[];
  /** Networks, in the order of the buses. Only those a host of the cluster is on are drawn. */
  networks: PictureNetwork[];
  /** The page of a node, relative to the picture's page; '' when the site has none. */
  nodeHref(name: string): string;
  networkHref(id: string): string;
}

const HOST_W = 290;
const BUS_W = 150;
const HEAD_H = 62;
const ROLE_H = 26;
const ROW_H = 30;
const VM_LINE_H = 16;
const VMS_PER_LINE = 5;
const PAD = 12;

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Cuts `text` to about `chars` characters, keeping the start (host names differ at the start). */
function fit(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}

/** `inner` linked to `href` with a tooltip; '' (a VM the site has no page for) links nowhere. */
function link(href: string, inner: string, title: string): string {
  if (href === '') return `<g><title>${escapeXml(title)}</title>${inner}</g>`;
  return `<a href="${escapeXml(href)}"><title>${escapeXml(title)}</title>${inner}</a>`;
}

/** The picture of one cluster, as an inline `<svg>`. */
export function clusterPicture(input: PictureInput): string {
  const used = new Set(input.hosts.flatMap((h) => h.links.map((l) => l.network)));
  const buses = input.networks.filter((n) => used.has(n.id));
  const columnX = (i: number) => PAD + HOST_W + 24 + i * BUS_W + BUS_W / 2;
  const column = new Map(buses.map((n, i) => [n.id, columnX(i)]));
  const width = PAD * 2 + HOST_W + 24 + Math.max(1, buses.length) * BUS_W;
  const roles = new Map<string, PictureHost[]>();
  for (const h of [...input.hosts].sort((a, b) => a.role.localeCompare(b.role) || a.name.localeCompare(b.name))) {
    roles.set(h.role, [...(roles.get(h.role) ?? []), h]);
  }
  const bands: string[] = []; // drawn first, under the buses
  const body: string[] = [];
  let y = PAD + HEAD_H;
  let row = 0;
  for (const [role, hosts] of roles) {
    body.push(
      `<text class="role" x="${PAD}" y="${y + 18}">${escapeXml(fit(role || '(no role)', 60))} · ${hosts.length}</text>`,
    );
    y += ROLE_H;
    for (const h of hosts) {
      const vmLines = Math.ceil(h.vms.length / VMS_PER_LINE);
      const height = ROW_H + vmLines * VM_LINE_H;
      if (row++ % 2 === 0)
        bands.push(`<rect class="band" x="${PAD}" y="${y}" width="${width - 2 * PAD}" height="${height}"/>`);
      const box =
        `<rect class="host${h.invalid ? ' invalid' : ''}" x="${PAD + 4}" y="${y + 3}" width="${HOST_W - 8}" height="${height - 6}" rx="4"/>` +
        `<text class="host" x="${PAD + 12}" y="${y + 19}">${escapeXml(fit(h.label, 34))}${h.invalid ? ' ⚠' : ''}</text>`;
      body.push(link(input.nodeHref(h.name), box, h.invalid ? `${h.name}: network does not validate` : h.name));
      h.vms.forEach((vm, i) => {
        const vx = PAD + 16 + (i % VMS_PER_LINE) * 54;
        const vy = y + ROW_H + Math.floor(i / VMS_PER_LINE) * VM_LINE_H + 6;
        body.push(
          link(
            input.nodeHref(vm),
            `<text class="vm" x="${vx}" y="${vy}">${escapeXml(fit(vm.split('.')[0], 7))}</text>`,
            `VM ${vm} on ${h.name}`,
          ),
        );
      });
      for (const l of h.links) {
        const x = mustGet(column, l.network, 'the column of network');
        const bad = l.conflict || l.mtuMismatch;
        const why = [
          l.conflict ? 'address held twice' : '',
          l.mtuMismatch ? `MTU ${l.mtuText} differs from the network's` : '',
        ]
          .filter(Boolean)
          .join(', ');
        const dot =
          `<circle class="attach${bad ? ' bad' : ''}" cx="${x}" cy="${y + 15}" r="4.5"/>` +
          `<text class="addr${bad ? ' bad' : ''}" x="${x + 8}" y="${y + 19}">${escapeXml(fit(l.address.split('/')[0] || l.iface, 17))}</text>`;
        body.push(
          link(
            input.nodeHref(h.name),
            dot,
            `${h.name} ${l.iface} ${l.address} MTU ${l.mtuText}${why ? ` (${why})` : ''}`,
          ),
        );
      }
      y += height;
    }
  }
  const height = y + PAD;
  const head = buses.map((n, i) => {
    const x = columnX(i);
    const inner =
      `<line class="bus" x1="${x}" y1="${PAD + HEAD_H - 6}" x2="${x}" y2="${height - PAD}"/>` +
      `<rect class="net" x="${x - BUS_W / 2 + 4}" y="${PAD}" width="${BUS_W - 8}" height="${HEAD_H - 12}" rx="4"/>` +
      `<text class="net" x="${x}" y="${PAD + 20}">${escapeXml(fit(n.label, 20))}</text>` +
      `<text class="netd" x="${x}" y="${PAD + 38}">${escapeXml(fit(n.detail, 24))}</text>`;
    return link(input.networkHref(n.id), inner, `${n.label} ${n.detail}`);
  });
  const style = [
    'text{font:12px system-ui,sans-serif;fill:#1d232b}',
    'text.role{font-weight:600;fill:#5b6673}',
    'text.host{font:12.5px ui-monospace,monospace}',
    'text.vm{font:11px ui-monospace,monospace;fill:#1f5fae}',
    'text.addr{font:11px ui-monospace,monospace}',
    'text.net{text-anchor:middle;font-weight:600}',
    'text.netd{text-anchor:middle;font-size:11px;fill:#5b6673}',
    'rect.band{fill:#f5f7fa}',
    'rect.host{fill:#e3eefc;stroke:#2f5f98}',
    'rect.host.invalid{fill:#fdecea;stroke:#c0261b;stroke-width:2}',
    'rect.net{fill:#fff4d6;stroke:#a67c00}',
    'line.bus{stroke:#a67c00;stroke-width:3}',
    'circle.attach{fill:#2e7d46;stroke:#fff;stroke-width:1.5}',
    '.bad{fill:#c0261b !important}',
    'a:hover rect.host{fill:#cfe0fa}',
  ].join('');
  return [
    `<svg class="site-picture" xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(`Cluster ${input.cluster}: ${input.hosts.length} hosts on ${buses.length} networks`)}</title>`,
    `<style>${style}</style>`,
    ...bands,
    ...head,
    ...body,
    '</svg>',
  ].join('\n');
}
