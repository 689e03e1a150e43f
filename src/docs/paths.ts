/**
 * Page file names. Node and class names come from the model (untrusted): a page name keeps
 * only characters that are safe in a file name and in a URL without encoding, so a name can
 * never climb out of the output directory or break an href; names that had to change get a
 * short hash. Stems are allocated for the whole site at once and compared case-insensitively
 * (macOS and Windows file systems, and many web servers, fold case), so two names never share
 * a page even when their cleaned forms, or their cases, collide.
 */
import { createHash } from 'node:crypto';

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function hashOf(name: string, salt = ''): string {
  return createHash('sha256')
    .update(salt + name)
    .digest('hex')
    .slice(0, 8);
}

function cleaned(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._-]+/, '')
      .slice(0, 80) || 'x'
  );
}

/** A file-name stem for `name`: itself when already safe, else a cleaned form plus a hash. */
export function pageStem(name: string): string {
  if (SAFE.test(name) && name.length <= 120) return name;
  return `${cleaned(name)}-${hashOf(name)}`;
}

/**
 * Unique stems for `names` (one directory of pages): a safe name keeps its own stem unless
 * another name already holds it in another case; every other name gets its cleaned form plus
 * a hash, salted again until it is free. The result does not depend on the order of `names`.
 */
export function allocateStems(names: Iterable<string>): Map<string, string> {
  const sorted = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const taken = new Set<string>();
  const stems = new Map<string, string>();
  const claim = (name: string, stem: string) => {
    taken.add(stem.toLowerCase());
    stems.set(name, stem);
  };
  // Names that are their own stem first, so `a_b-1234abcd` keeps its page even when a
  // hashed stem of another name happens to spell the same.
  for (const name of sorted) {
    const stem = pageStem(name);
    if (stem === name && !taken.has(stem.toLowerCase())) claim(name, stem);
  }
  for (const name of sorted) {
    if (stems.has(name)) continue;
    let stem = `${cleaned(name)}-${hashOf(name)}`;
    for (let salt = 1; taken.has(stem.toLowerCase()); salt++) stem = `${cleaned(name)}-${hashOf(name, String(salt))}`;
    claim(name, stem);
  }
  return stems;
}

/** Where pages live, relative to the output directory, for one output format. */
export interface PageLayout {
  ext: 'html' | 'md';
  index: string;
  classIndex: string;
  /** The table of every network of the site. */
  networkIndex: string;
  /** The site picture: hosts and networks, by cluster and role. */
  sitePicture: string;
  search: string;
  node: (name: string) => string;
  nodeSvg: (name: string) => string;
  cls: (name: string) => string;
  network: (id: string) => string;
  /** A cluster's own site-picture page, for sites too big for one picture page. */
  cluster: (name: string) => string;
}

/** The names the site has pages for; the layout gives each a unique page. */
export interface SiteNames {
  nodes?: Iterable<string>;
  classes?: Iterable<string>;
  networks?: Iterable<string>;
  clusters?: Iterable<string>;
}

export function pageLayout(ext: 'html' | 'md', names: SiteNames = {}): PageLayout {
  const nodes = allocateStems(names.nodes ?? []);
  const classes = allocateStems(names.classes ?? []);
  const networks = allocateStems(names.networks ?? []);
  const clusters = allocateStems(names.clusters ?? []);
  // A name the layout was not told about still gets a safe (hashed when needed) stem.
  const stem = (table: Map<string, string>, name: string) => table.get(name) ?? pageStem(name);
  return {
    ext,
    index: `index.${ext}`,
    classIndex: `classes.${ext}`,
    networkIndex: `networks.${ext}`,
    sitePicture: `site.${ext}`,
    search: `search.${ext}`,
    node: (name) => `nodes/${stem(nodes, name)}.${ext}`,
    nodeSvg: (name) => `nodes/${stem(nodes, name)}.svg`,
    cls: (name) => `classes/${stem(classes, name)}.${ext}`,
    network: (id) => `networks/${stem(networks, id)}.${ext}`,
    cluster: (name) => `site/${stem(clusters, name)}.${ext}`,
  };
}

/** The layout of a site: every node, class, network and cluster gets its own unique page. */
export function siteLayout(
  site: {
    nodes: Array<{ name: string }>;
    classes: Array<{ name: string }>;
    networks: Array<{ id: string }>;
    clusters: Array<{ name: string }>;
  },
  ext: 'html' | 'md',
): PageLayout {
  return pageLayout(ext, {
    nodes: site.nodes.map((n) => n.name),
    classes: site.classes.map((c) => c.name),
    networks: site.networks.map((n) => n.id),
    clusters: site.clusters.map((c) => c.name),
  });
}

/** `to` as seen from the page `from` (both relative to the output directory, `/`-separated). */
export function relativeHref(from: string, to: string): string {
  const fromParts = from.split('/').slice(0, -1);
  const toParts = to.split('/');
  let common = 0;
  while (common < fromParts.length && common < toParts.length - 1 && fromParts[common] === toParts[common]) common++;
  return [...fromParts.slice(common).map(() => '..'), ...toParts.slice(common)].join('/');
}
