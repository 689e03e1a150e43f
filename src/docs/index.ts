/**
 * Documentation of a reclass model: `generateDocs` writes a static site (or Markdown for a
 * wiki) with an index of clusters and nodes, a page per node (class tree, interfaces with the
 * provenance of every value, topology picture) and a page per class.
 */
import type { Inventory } from '../api/inventory.js';
import { htmlPages } from './html.js';
import { markdownPages } from './markdown.js';
import { collectSite } from './site.js';
import { writeFiles } from './write.js';

export type { DocsSite, NodeView, ClassView, ClusterView, ClassTreeEntry } from './site.js';
export type { InterfaceRow, KeyHistory, StepView } from './provenance.js';
export { collectSite } from './site.js';
export { topologyDot, topologySvg } from './topology.js';

/** Options of {@link generateDocs}. */
export interface DocsOptions {
  /** `html` (default): a static site that needs no network to view; `markdown`: pages for a git wiki. */
  format?: 'html' | 'markdown';
  /** Include the values of secret-named keys and PEM blocks; by default they are `<redacted>`. */
  showSecrets?: boolean;
}

/**
 * Writes the documentation of every node and class of `inventory` under `outDir` and returns
 * the absolute paths of the files written. Each file is written to a temporary name and
 * renamed. Nodes that fail to resolve are listed on the index page rather than failing the run;
 * nodes whose network does not validate get a page that lists the problems.
 * @example
 * import { openInventory } from 'reclass-net';
 * import { generateDocs } from './src/docs/index.js'; // inside the repository
 * const inv = await openInventory('path/to/model');
 * const files = await generateDocs(inv, 'site', { format: 'html' });
 * console.log(`${files.length} files; open site/index.html`);
 */
export async function generateDocs(inventory: Inventory, outDir: string, options: DocsOptions = {}): Promise<string[]> {
  const format = options.format ?? 'html';
  if (format !== 'html' && format !== 'markdown') throw new RangeError(`unknown docs format ${JSON.stringify(format)}`);
  const site = await collectSite(inventory, { showSecrets: options.showSecrets });
  const files = format === 'html' ? htmlPages(site) : markdownPages(site);
  return writeFiles(outDir, files);
}
