/** The CLI's text form of a render: every file, each under a header naming it. */
import { NETPLAN_PATH } from './netplan.js';
import { INTERFACES_PATH, OVS_SCRIPT_PATH, type RenderResult } from './render.js';

/**
 * Every rendered file as text, each under a header naming the file and the node.
 * @example
 * process.stdout.write(formatRenderText(renderNetwork(node))); // what `reclass-net render NAME` prints
 */
export function formatRenderText(result: RenderResult): string {
  const rule = (title: string) => `### ${title} ${'#'.repeat(Math.max(3, 72 - title.length))}`;
  const others = Object.entries(result.files).filter(
    ([path]) => path !== INTERFACES_PATH && path !== NETPLAN_PATH && path !== OVS_SCRIPT_PATH,
  );
  const [mainPath, main] =
    result.netplan !== undefined ? [NETPLAN_PATH, result.netplan] : [INTERFACES_PATH, result.interfaces];
  return [
    rule(`/${mainPath} (node ${result.model.node})`),
    main.trimEnd(),
    '',
    rule(`${OVS_SCRIPT_PATH} (node ${result.model.node})`),
    result.ovsScript.trimEnd(),
    '',
    ...others.flatMap(([path, text]) => [rule(`/${path} (node ${result.model.node})`), text.trimEnd(), '']),
  ].join('\n');
}
