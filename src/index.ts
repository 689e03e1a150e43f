/**
 * reclass-net: resolve reclass models as reclass 1.7 does, and render their
 * `linux:network` pillars into Debian ifupdown files and Open vSwitch commands.
 * @packageDocumentation
 */
export type * from './types.js';
export * from './errors.js';
export { openInventory, Inventory, type InventoryOptions } from './inventory/open.js';
export { generateNodeFiles, formatGeneratedNode } from './inventory/generate-nodes.js';
export * from './network/index.js';
export * from './render/index.js';
export { generateDocs, collectSite, type DocsOptions, type DocsSite } from './docs/index.js';
export type { InventoryConfig } from './inventory/config.js';
export type { RawNode } from './inventory/open.js';
export type { Settings } from './resolve/settings.js';
export type { GeneratedNodeFile, GenerateNodeOptions } from './inventory/generate-nodes.js';
