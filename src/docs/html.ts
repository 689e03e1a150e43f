/**
 * The HTML site: one nunjucks template per page kind, autoescaping on (every model string is
 * untrusted), inline CSS and inline SVG so the pages open from disk with no network.
 */
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { pageLayout, relativeHref, type PageLayout } from './paths.js';
import type { DocsSite } from './site.js';
import { legend } from './topology.js';

let env: nunjucks.Environment | undefined;

function render(name: string, context: object): string {
  env ??= new nunjucks.Environment(
    new nunjucks.FileSystemLoader(fileURLToPath(new URL('./templates', import.meta.url))),
    // Missing variables are template bugs: fail loudly rather than print "undefined".
    { autoescape: true, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true },
  );
  return env.render(name, context);
}

/** name -> page path, in a prototype-free object so names like `constructor` stay plain keys. */
export function linkTable(names: string[], page: (name: string) => string): Record<string, string> {
  const table: Record<string, string> = Object.create(null);
  for (const name of names) table[name] = page(name);
  return table;
}

/** Every page of the site: relative path -> HTML. */
export function htmlPages(site: DocsSite, layout: PageLayout = pageLayout('html')): Map<string, string> {
  const nodeLinks = linkTable(site.nodes.map((n) => n.name), layout.node);
  const classLinks = linkTable(site.classes.map((c) => c.name), layout.cls);
  const pages = new Map<string, string>();
  const common = (page: string) => ({ site, nodeLinks, classLinks, root: relativeHref(page, 'x').slice(0, -1) });
  pages.set(layout.index, render('index.njk', { ...common(layout.index), title: 'Inventory' }));
  pages.set(layout.classIndex, render('classes.njk', { ...common(layout.classIndex), title: 'Classes' }));
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
