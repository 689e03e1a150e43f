/**
 * The renderer under test, loaded lazily: `renderNetwork` from src/index.ts (written by
 * another part of the team, possibly not there yet). Its output is turned into the
 * harness's {@link RenderedNode}.
 */
import type { RenderedNode } from './lab.js';

export interface RenderOutput {
  interfaces: string;
  ovs?: string[];
  ovsScript?: string;
  files?: Record<string, string>;
}

export type RenderFn = (node: { name: string; parameters: Record<string, unknown> }) => RenderOutput;

export type RendererLoad = { render: RenderFn } | { missing: string };

/** Import src/index.ts and find `renderNetwork`; `missing` says why it is not usable yet. */
export async function loadRenderer(): Promise<RendererLoad> {
  let module: Record<string, unknown>;
  try {
    module = await import('../../../src/index.js');
  } catch (error) {
    // While the package is being written, src/index.ts may name a module that is not there
    // yet; that is "no renderer yet", not a failure of these tests. Anything else is real.
    const message = error instanceof Error ? error.message : String(error);
    if (/Cannot find module|Failed to load url|ERR_MODULE_NOT_FOUND|Does the file exist/i.test(message)) {
      return { missing: `src/index.ts cannot be loaded yet: ${message.split('\n')[0]}` };
    }
    throw error;
  }
  const render = module.renderNetwork;
  if (typeof render !== 'function') return { missing: 'src/index.ts does not export renderNetwork yet' };
  return { render: render as RenderFn };
}

/**
 * Normalise a render result: file keys become absolute paths (`etc/network/x` and
 * `/etc/network/x` both work), `interfaces` is /etc/network/interfaces unless `files` has
 * it, and the OVS script is `ovsScript`, or the `ovs` commands joined into one.
 */
export function toRenderedNode(output: RenderOutput): RenderedNode {
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(output.files ?? {})) {
    if (/(^|\/)ovs-setup\.sh$/.test(path)) continue; // applied as the OVS script, not installed
    files[path.startsWith('/') ? path : `/${path}`] = text;
  }
  files['/etc/network/interfaces'] ??= output.interfaces;
  const ovsScript = output.ovsScript ?? ['#!/bin/sh', 'set -e', ...(output.ovs ?? []), ''].join('\n');
  return { files, ovsScript };
}
