/**
 * reclass-net: resolve reclass models as reclass 1.7 does, and render their
 * `linux:network` pillars into Debian ifupdown files and Open vSwitch commands.
 * @packageDocumentation
 */
export type * from './types.js';
export * from './errors.js';
export { openInventory, Inventory, type InventoryOptions } from './api/inventory.js';
export { generateNodeFiles, formatGeneratedNode } from './inventory/generate-nodes.js';
export * from './network/index.js';
export * from './render/index.js';
export type { DocsOptions, DocsSite } from './docs/index.js';
export type { InventoryConfig } from './inventory/config.js';
export type { RawNode } from './api/inventory.js';
export type { Settings } from './resolve/settings.js';
export type { GeneratedNodeFile, GenerateNodeOptions } from './inventory/generate-nodes.js';

/*
 * The docs site is loaded when it is used, not when the library is: it brings the graph
 * layout (a WebAssembly Graphviz) and the page templates, which resolving and rendering never
 * need (test/lib/import.test.ts holds what an import loads).
 */
type Docs = typeof import('./docs/index.js');

/**
 * Writes the documentation site (or Markdown) of `inventory` under `outDir`; see docs/index.ts.
 * @example
 * const written = await generateDocs(await openInventory('model'), 'site');
 */
export async function generateDocs(...args: Parameters<Docs['generateDocs']>): ReturnType<Docs['generateDocs']> {
  return (await import('./docs/index.js')).generateDocs(...args);
}

/**
 * What the docs site shows of every node and class, without writing it; see docs/site.ts.
 * @example
 * const site = await collectSite(await openInventory('model'));
 */
export async function collectSite(...args: Parameters<Docs['collectSite']>): ReturnType<Docs['collectSite']> {
  return (await import('./docs/index.js')).collectSite(...args);
}
