/** The CLI's text form of a render: both files, each under a header naming it. */
import { INTERFACES_PATH, OVS_SCRIPT_PATH, type RenderResult } from './render.js';

export function formatRenderText(result: RenderResult): string {
  const rule = (title: string) => `### ${title} ${'#'.repeat(Math.max(3, 72 - title.length))}`;
  return [
    rule(`/${INTERFACES_PATH} (node ${result.model.node})`),
    result.interfaces.trimEnd(),
    '',
    rule(`${OVS_SCRIPT_PATH} (node ${result.model.node})`),
    result.ovsScript.trimEnd(),
    '',
  ].join('\n');
}
