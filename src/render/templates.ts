/**
 * The nunjucks templates of the renderers, which live beside the compiled modules.
 *
 * Two ways to run them, one output. The plain one is a nunjucks Environment reading the
 * `.njk` files. Importing nunjucks and compiling the two templates was a large part of a
 * cold `render` (docs/performance.md), so the build also compiles them with nunjucks' own compiler
 * (scripts/compile-templates.mjs) and the command runs that code on nunjucks' small runtime
 * module, as nunjucks' Template.render would. The compiled code is used only while the
 * options and each template's text are the ones it was compiled from; otherwise, and where
 * there is no build (tests run from the TypeScript sources), the Environment renders.
 * test/render/templates.test.ts proves both ways give the same text and the same errors.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type nunjucks from 'nunjucks';
import { present } from '../invariant.js';

export interface TemplateRenderer {
  render(name: string, context: object): string;
}

/** Plain-text outputs: no HTML escaping; missing variables are template bugs, so fail loudly. */
export const TEMPLATE_OPTIONS = {
  autoescape: false,
  throwOnUndefined: true,
  trimBlocks: true,
  lstripBlocks: true,
} as const;

export const TEMPLATES_DIR = fileURLToPath(new URL('./templates', import.meta.url));

/** Where the build writes the compiled templates, beside this module. */
export const PRECOMPILED_TEMPLATES = './templates-compiled.cjs';

const load = createRequire(import.meta.url);

/** The plain path: a nunjucks Environment that reads and compiles the `.njk` files. */
export function environmentRenderer(dir: string = TEMPLATES_DIR): TemplateRenderer {
  const { Environment, FileSystemLoader } = load('nunjucks') as typeof nunjucks;
  const env = new Environment(new FileSystemLoader(dir), { ...TEMPLATE_OPTIONS });
  return { render: (name, context) => env.render(name, context) };
}

/** What scripts/compile-templates.mjs writes. */
interface CompiledTemplates {
  options: Record<string, unknown>;
  sources: Record<string, string>;
  templates: Record<string, { root: RootRenderFunction }>;
}

type RootRenderFunction = (
  env: object,
  context: object,
  frame: object,
  runtime: object,
  cb: (err: unknown, out?: string) => void,
) => void;

interface NunjucksRuntime {
  Frame: new () => { topLevel: boolean };
}

interface NunjucksLib {
  extend(target: object, source: object): Record<string, unknown>;
  _prettifyError(path: string, withInternals: boolean, err: unknown): Error;
}

/**
 * The compiled templates the build wrote, run without the rest of nunjucks, or undefined when
 * there are none or they were compiled with other options. A template whose `.njk` text
 * differs from what was compiled is rendered by the plain path.
 */
export function precompiledRenderer(
  file: string = PRECOMPILED_TEMPLATES,
  dir: string = TEMPLATES_DIR,
): TemplateRenderer | undefined {
  let compiled: CompiledTemplates;
  try {
    compiled = load(file) as CompiledTemplates;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
  if (JSON.stringify(compiled.options) !== JSON.stringify(TEMPLATE_OPTIONS)) return undefined;
  const runtime = load('nunjucks/src/runtime.js') as NunjucksRuntime;
  const lib = load('nunjucks/src/lib.js') as NunjucksLib;
  const globals = (load('nunjucks/src/globals.js') as () => Record<string, unknown>)();
  // What the compiled code reads of its Environment (as nunjucks' Environment sets them).
  const env = { opts: { ...TEMPLATE_OPTIONS, dev: false }, globals };
  const current = new Map<string, boolean>();
  let fallback: TemplateRenderer | undefined;
  const upToDate = (name: string): boolean => {
    let known = current.get(name);
    if (known === undefined) {
      known = compiled.templates[name] !== undefined && readIfThere(resolve(dir, name)) === compiled.sources[name];
      current.set(name, known);
    }
    return known;
  };
  return {
    render(name, context) {
      if (!upToDate(name)) return (fallback ??= environmentRenderer(dir)).render(name, context);
      // nunjucks' Template.render, synchronous, with its Context's lookup.
      const ctx = lib.extend({}, context);
      const lookup = { lookup: (key: string) => (key in globals && !(key in ctx) ? globals[key] : ctx[key]) };
      const frame = new runtime.Frame();
      frame.topLevel = true;
      const done: { output?: string; failure?: Error } = {};
      compiled.templates[name].root(env, lookup, frame, runtime, (err, out) => {
        if (err) done.failure = lib._prettifyError(resolve(dir, name), false, err);
        else done.output = out;
      });
      if (done.failure) throw done.failure;
      // The compiled code calls back before it returns: nothing in these templates is async.
      return present(done.output, `the output of template ${name}`);
    },
  };
}

function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

let renderer: TemplateRenderer | undefined;

export function renderTemplate(name: string, context: object): string {
  renderer ??= precompiledRenderer() ?? environmentRenderer();
  return renderer.render(name, context);
}
