/**
 * Vitest glue: one test per node, each rendered, proven on a namespace host and reported.
 * Any suite (network-reference, the embedded model, a corpus) supplies `(nodeName,
 * parameters)` pairs and gets the same checks.
 */
import { expect, it } from 'vitest';
import type { Capabilities } from './capabilities.js';
import type { Parameters, RenderedNode } from './lab.js';
import { checkNode } from './node-check.js';
import { type RendererLoad, toRenderedNode } from './renderer.js';

export interface NodeCase {
  /** Test title (e.g. the example id). */
  title: string;
  nodeName: string;
  parameters: Parameters;
  /**
   * The pillar is known to be invalid and the renderer must refuse it with an error matching
   * this (a pillar that fails validation renders nothing); the test proves exactly that.
   */
  rejectedWith?: RegExp;
}

/** Print a report where a human reading the test log will see it, and attach it to the test. */
export async function publish(
  context: { annotate?: (message: string) => Promise<unknown> },
  text: string,
): Promise<void> {
  console.log(text);
  await context.annotate?.(text).catch(() => undefined);
}

/**
 * Register one test per case. `renderer` is what {@link loadRenderer} returned; while the
 * renderer does not exist the tests are skipped with that reason.
 */
export function registerNodeTests(cases: readonly NodeCase[], renderer: RendererLoad, caps: Capabilities): void {
  for (const node of cases) {
    if (node.rejectedWith) {
      const pattern = node.rejectedWith;
      it(`${node.title}: invalid pillar is rejected before anything is rendered`, (context) => {
        if ('missing' in renderer) return context.skip(`renderer not available: ${renderer.missing}`);
        expect(() => renderer.render({ name: node.nodeName, parameters: node.parameters })).toThrow(pattern);
      });
      continue;
    }
    it(`${node.title}: rendered files hold on a namespace host`, async (context) => {
      if ('missing' in renderer) return context.skip(`renderer not available: ${renderer.missing}`);
      const rendered: RenderedNode = toRenderedNode(
        renderer.render({ name: node.nodeName, parameters: node.parameters }),
      );
      const outcome = await checkNode(node.nodeName, node.parameters, rendered, caps);
      if ('skipped' in outcome) return context.skip(outcome.skipped);
      const { report } = outcome.run;
      await publish(context, report.summary());
      expect(report.failures, `${report.subject}: failed checks\n${report.summary()}`).toEqual([]);
      expect(report.passed.length).toBeGreaterThan(0);
    });
  }
}
