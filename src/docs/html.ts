/**
 * The HTML site: one nunjucks template per page kind, autoescaping on (every model string is
 * untrusted), inline CSS and inline SVG so the pages open from disk with no network. The only
 * scripts are the search page's two files; every other page works without JavaScript.
 */
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { relativeHref, siteLayout, type PageLayout } from './paths.js';
import { SEARCH_SCRIPT, searchEntries, searchIndexScript } from './search.js';
import type { NetworkHost } from './networks.js';
import type { DocsSite } from './site.js';
import { clusterPicture } from './site-picture.js';
import { legend } from './topology.js';

/** Above this many nodes, each cluster's picture gets its own page (pages stay small). */
const PICTURES_INLINE_UP_TO = 200;

function environment(): nunjucks.Environment {
  return new nunjucks.Environment(
    new nunjucks.FileSystemLoader(fileURLToPath(new URL('./templates', import.meta.url))),
    // Missing variables are template bugs: fail loudly rather than print "undefined".
    { autoescape: true, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true },
  );
}

/** name -> page path, in a prototype-free object so names like `constructor` stay plain keys. */
function linkTable(names: string[], page: (name: string) => string): Record<string, string> {
  const table = Object.create(null) as Record<string, string>;
  for (const name of names) table[name] = page(name);
  return table;
}

/** The site picture of each cluster, as inline SVG, with links relative to `page`. */
function pictures(
  site: DocsSite,
  layout: PageLayout,
  pageOf: (cluster: string) => string,
): Array<{ name: string; page: string; svg: string; hosts: number }> {
  const nets = site.networks.map((n) => ({
    id: n.id,
    label: n.label,
    detail: [n.vlans.length > 0 ? `VLAN ${n.vlans.join(',')}` : '', n.mtu !== undefined ? `MTU ${n.mtu}` : '']
      .filter(Boolean)
      .join(' · '),
  }));
  const known = new Set(site.nodes.map((n) => n.name));
  // The networks' view of each host carries the marks (address conflict, MTU mismatch).
  const linksOf = new Map<string, NetworkHost[]>();
  for (const net of site.networks) for (const h of net.hosts) linksOf.set(h.node, [...(linksOf.get(h.node) ?? []), h]);
  return site.clusters.map((c) => {
    const page = pageOf(c.name);
    const shorts = new Map<string, number>();
    for (const n of c.nodes) shorts.set(n.short, (shorts.get(n.short) ?? 0) + 1);
    const svg = clusterPicture({
      cluster: c.name,
      hosts: c.nodes.map((n) => ({
        name: n.name,
        label: shorts.get(n.short) === 1 ? n.short : n.name,
        role: n.role,
        links: linksOf.get(n.name) ?? [],
        invalid: n.problems.length > 0,
        vms: n.vms,
      })),
      networks: nets,
      nodeHref: (name) => (known.has(name) ? relativeHref(page, layout.node(name)) : ''),
      networkHref: (id) => relativeHref(page, layout.network(id)),
    });
    return { name: c.name, page, svg, hosts: c.nodes.length };
  });
}

/** Every page of the site: relative path -> content. */
export function htmlPages(site: DocsSite, layout: PageLayout = siteLayout(site, 'html')): Map<string, string> {
  const env = environment();
  const render = (name: string, context: object) => env.render(name, context);
  const nodeLinks = linkTable(
    site.nodes.map((n) => n.name),
    layout.node,
  );
  const classLinks = linkTable(
    site.classes.map((c) => c.name),
    layout.cls,
  );
  const networkLinks = linkTable(
    site.networks.map((n) => n.id),
    layout.network,
  );
  const pages = new Map<string, string>();
  const common = (page: string) => ({
    site,
    nodeLinks,
    classLinks,
    networkLinks,
    layout,
    root: relativeHref(page, 'x').slice(0, -1),
  });
  pages.set(layout.index, render('index.njk', { ...common(layout.index), title: 'Inventory' }));
  pages.set(layout.classIndex, render('classes.njk', { ...common(layout.classIndex), title: 'Classes' }));
  pages.set(layout.networkIndex, render('networks.njk', { ...common(layout.networkIndex), title: 'Networks' }));
  for (const net of site.networks) {
    const page = layout.network(net.id);
    pages.set(page, render('network.njk', { ...common(page), title: `Network ${net.label}`, net }));
  }
  const inline = site.nodes.length <= PICTURES_INLINE_UP_TO;
  const clusterPage = (name: string) => (inline ? layout.sitePicture : layout.cluster(name));
  const drawn = pictures(site, layout, clusterPage);
  pages.set(
    layout.sitePicture,
    render('site.njk', { ...common(layout.sitePicture), title: 'Site picture', pictures: drawn, inline }),
  );
  if (!inline) {
    for (const p of drawn)
      pages.set(
        p.page,
        render('site.njk', { ...common(p.page), title: `Cluster ${p.name}`, pictures: [p], inline: true }),
      );
  }
  pages.set(layout.search, render('search.njk', { ...common(layout.search), title: 'Search' }));
  pages.set('search-index.js', searchIndexScript(searchEntries(site, layout)));
  pages.set('search.js', SEARCH_SCRIPT);
  for (const node of site.nodes) {
    const page = layout.node(node.name);
    pages.set(page, render('node.njk', { ...common(page), title: node.name, node, legend: legend() }));
  }
  for (const cls of site.classes) {
    const page = layout.cls(cls.name);
    pages.set(page, render('class.njk', { ...common(page), title: cls.name, cls }));
  }
  return pages;
}
