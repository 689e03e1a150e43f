/** The nunjucks environment of the renderers: templates live beside the compiled modules. */
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';

let env: nunjucks.Environment | undefined;

export function renderTemplate(name: string, context: object): string {
  env ??= new nunjucks.Environment(
    new nunjucks.FileSystemLoader(fileURLToPath(new URL('./templates', import.meta.url))),
    // Plain-text outputs: no HTML escaping; missing variables are template bugs, so fail loudly.
    { autoescape: false, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true },
  );
  return env.render(name, context);
}
