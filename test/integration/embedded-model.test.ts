/**
 * Every node with interfaces of the embedded example model, resolved by reclass-net and
 * rendered, proven on a namespace host like the network-reference nodes.
 */
import { describe, it } from 'vitest';
import { detectCapabilities } from './harness/capabilities.js';
import { loadInventoryNodes } from './harness/nodes.js';
import { loadRenderer } from './harness/renderer.js';
import { registerNodeTests } from './harness/vitest.js';

const caps = await detectCapabilities();
const renderer = await loadRenderer();
const embedded = await loadInventoryNodes();

describe('embedded example model on a namespace host', () => {
  if ('missing' in embedded) it.skip(`resolver not available: ${embedded.missing}`, () => undefined);
  else registerNodeTests(embedded.cases, renderer, caps);
});
