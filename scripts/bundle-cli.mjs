// Build step after tsc: bundles the compiled CLI (dist/src/cli/main.js and everything it
// imports, dependencies excepted, but the few files the renderer loads by name) into one
// CommonJS file, then records V8's code caches for it by running `node` and `render` calls on
// the embedded model and on a small inventory made for this (scripts/code-cache-model).
// src/cli/launch.cts, the installed command, runs them; it says what they buy.
import { spawnSync } from 'node:child_process';
import Module, { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from './lib/bundle.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(REPO, 'dist/cli/reclass-net.cjs');
const CACHE = `${OUT}.v8cache`;
const RENDER_CACHE = `${OUT}.render.v8cache`;
const LAUNCHER = join(REPO, 'dist/src/cli/launch.cjs');

/**
 * The `yaml` package is 74 files, which Node's module loader resolves, reads and compiles one by
 * one in every cold call that loads it (`node` printing YAML, its default format; a netplan
 * `render`; a model file outside src/inventory/fast-yaml.ts's subset; docs/performance.md
 * has the figures). The build
 * bundles it into this one file beside the CLI's bundle, which the CLI's bundle loads instead
 * (deferredImports and rewriteRunTimeLoads): the same code, one file to read and compile.
 */
const YAML_OUT = join(REPO, 'dist/cli/yaml.cjs');
const YAML_CACHE = `${YAML_OUT}.v8cache`;

/**
 * How the CLI's bundle loads YAML_OUT: once, with the code cache the build recorded for it,
 * through the same compileCached (src/cli/engine-flags.cts) the launcher loads the bundle
 * with; that spares compiling the package and the functions that print YAML. V8 takes that
 * cache only under the engine flags it was recorded with, a
 * one-node command's (src/cli/engine-flags.cts); under others the file compiles as usual.
 * RECLASS_NET_WRITE_YAML_CODE_CACHE, set by this build alone, records the cache instead.
 * A module of the bundle (yamlLoader below), so that compileCached is the bundle's own copy,
 * compiled with its code cache, rather than a file the call would load for it.
 */
const YAML_LOADER_ID = 'reclass-net:load-yaml';
const YAML_LOADER = `
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { compileCached } from ${JSON.stringify(join(REPO, 'dist/src/cli/engine-flags.cjs'))};
let yaml;
export function __loadYaml() {
  if (yaml) return yaml;
  const file = join(__dirname, 'yaml.cjs');
  const run = compileCached(file, file + '.v8cache', process.env.RECLASS_NET_WRITE_YAML_CODE_CACHE);
  // Without the build's copy (only tsc has run), the package as installed; createRequire keeps
  // esbuild from bundling it.
  if (run === undefined) return (yaml = createRequire(__filename)('yaml'));
  const module = { exports: {} };
  run(module.exports, createRequire(file), module, file, __dirname);
  return (yaml = module.exports);
}`;
const yamlLoader = {
  name: 'yaml-loader',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^${YAML_LOADER_ID}$`) }, (args) => ({
      path: args.path,
      namespace: 'yaml-loader',
    }));
    b.onLoad({ filter: /.*/, namespace: 'yaml-loader' }, () => ({
      contents: YAML_LOADER,
      loader: 'js',
      resolveDir: REPO,
    }));
  },
};
const IMPORT_YAML_LOADER = `import { __loadYaml } from ${JSON.stringify(YAML_LOADER_ID)};\n`;

/**
 * Packages and Node modules that some commands need only on some paths: the renderers import
 * `yaml` for the netplan backend alone, and the writer `node:crypto` and `node:fs/promises`
 * for `--out` alone, yet as static imports they load with the renderer: about 30 ms of every
 * cold `render` (25 ms for yaml's 70 modules); `node:child_process` (with the `dgram` it loads)
 * is for `diff`'s reading of the live OVS database and `apply` alone; `node:net`, of which
 * only `isIP` and the like are used, is for redaction and the network checks, yet every command
 * loaded it with `src/publish/redact.ts` (when stdout is a file or a terminal, nothing else does). In the bundle each such
 * import gets a stand-in
 * whose functions load the real module when first called; the call itself is the real one.
 * Only functions named in lower case are stood in for (never classes, values or the module
 * object): importing anything else from these modules fails the build, loudly.
 */
const DEFERRED = ['yaml', 'node:crypto', 'node:fs/promises', 'node:child_process', 'node:net'];
const deferredImports = {
  name: 'deferred-imports',
  setup(b) {
    const filter = new RegExp(`^(${DEFERRED.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === 'deferred' ? { path: args.path, external: true } : { path: args.path, namespace: 'deferred' },
    );
    b.onLoad({ filter: /.*/, namespace: 'deferred' }, (args) => {
      const real = createRequire(import.meta.url)(args.path);
      const names = Object.keys(real).filter((k) => typeof real[k] === 'function' && /^[a-z]\w*$/.test(k));
      const load = args.path === 'yaml' ? '__loadYaml()' : `require(${JSON.stringify(args.path)})`;
      const lines = [`let real;`, `const load = () => (real ??= ${load});`];
      if (args.path === 'yaml') lines.unshift(IMPORT_YAML_LOADER);
      for (const name of names) lines.push(`export function ${name}(...args) { return load().${name}(...args); }`);
      return { contents: lines.join('\n'), loader: 'js', resolveDir: REPO };
    });
  },
};

/**
 * What the renderer loads by name at run time (src/network/schema.ts, src/render/templates.ts):
 * the schema validator and templates the build compiled, and the three files of nunjucks'
 * runtime they run on. Loaded so, each is compiled afresh by every cold `render` (the
 * validator alone is 100 kB), outside the code cache. In the bundle each such load of a file
 * that exists now is a require esbuild follows, so the file is bundled and its code cached;
 * other names (ajv, nunjucks itself, a file the build did not write) are still loaded at run time.
 * src/inventory/yaml.ts's load of `yaml` takes YAML_OUT instead, unbundled.
 */
const BUNDLED_AT_RUN_TIME = {
  'inventory/yaml.js': ['yaml'],
  'network/schema.js': ['./schema-validator.cjs'],
  'render/templates.js': [
    './templates-compiled.cjs',
    'nunjucks/src/runtime.js',
    'nunjucks/src/lib.js',
    'nunjucks/src/globals.js',
  ],
};
const runTimeLoads = {
  name: 'run-time-loads',
  setup(b) {
    // The package is external, these files of it are not: their code goes into the cache.
    b.onResolve({ filter: /^nunjucks\/src\/(runtime|lib|globals)\.js$/ }, (args) => ({
      path: createRequire(import.meta.url).resolve(args.path),
    }));
  },
};
function rewriteRunTimeLoads(text, path) {
  const key = Object.keys(BUNDLED_AT_RUN_TIME).find((k) => path.endsWith(`/dist/src/${k}`));
  if (key === undefined) return text;
  const here = dirname(path);
  const names = BUNDLED_AT_RUN_TIME[key].filter((n) => !n.startsWith('.') || existsSync(join(here, n)));
  const load = (n) => (n === 'yaml' ? '__loadYaml()' : `require(${JSON.stringify(n)})`);
  const cases = names.map((n) => `case ${JSON.stringify(n)}: return ${load(n)};`).join(' ');
  const wrapper =
    (names.includes('yaml') ? IMPORT_YAML_LOADER : '') +
    `const __bundledLoad = (load) => (id) => { switch (id) { ${cases} default: return load(id); } };\n`;
  if (!text.includes('createRequire(import.meta.url)'))
    throw new Error(
      `bundle-cli: ${path} no longer loads with createRequire(import.meta.url); update BUNDLED_AT_RUN_TIME`,
    );
  return wrapper + text.replaceAll('createRequire(import.meta.url)', '__bundledLoad(createRequire(import.meta.url))');
}

/**
 * The launcher decodes the bundle as Latin-1 (launch.cts), a plain copy into a one-byte string;
 * a single non-ASCII character made Node decode all of it as UTF-8 into a two-byte string, a
 * part of every cold call (docs/performance.md). esbuild escapes non-ASCII in code, not in the
 * comments it keeps, so those are escaped here: in a comment `\u00b5` reads as well as the
 * character, and anywhere else in JavaScript it means the same.
 */
function asciiOnly(text) {
  return text.replace(/[^ -~\t\n\r]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A bundle that compileCached (src/cli/engine-flags.cts) runs: ASCII, and already inside
 * CommonJS's function wrapper, so that V8 compiles the file's text as it was read. Wrapped at
 * run time, the text was one string joined to the wrapper's, which V8 then copied whole into a
 * flat one before it could check the cache: a copy of the bundle in memory, and its time, in
 * every cold call (docs/performance.md). Not a module of its own any more: only
 * compileCached runs it.
 */
function asWrappedFunction(text) {
  return Module.wrap(asciiOnly(text));
}

// V8 checks a cache against its own version, the engine flags and the source's length, not
// its content, so a cache must never outlive the bundle it was made for: remove it before
// writing a new bundle.
await rm(CACHE, { force: true });
await rm(RENDER_CACHE, { force: true });
await rm(YAML_CACHE, { force: true });
// ASCII, as the CLI's bundle is: __loadYaml reads it as Latin-1 too.
const yaml = await build({
  entryPoints: [createRequire(import.meta.url).resolve('yaml')],
  outfile: YAML_OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  write: false,
});
await mkdir(dirname(YAML_OUT), { recursive: true });
await writeFile(YAML_OUT, asWrappedFunction(yaml.outputFiles[0].text));
// ajv, nunjucks and viz stay in node_modules, loaded where the code asks for them.
const cliOptions = bundleOptions(
  join(REPO, 'dist/src/cli/main.js'),
  OUT,
  [deferredImports, runTimeLoads, yamlLoader],
  rewriteRunTimeLoads,
);
// Without the blanks and comments: a third less text for every cold call to read and keep in memory
// (docs/performance.md). Names stay, so stack traces (--debug) still name the functions.
const { outputFiles } = await build({ ...cliOptions, minifyWhitespace: true, legalComments: 'none', write: false });
// Inside CommonJS's function wrapper main.js's `#!` line would be a syntax error: keep it as a comment.
const text = asWrappedFunction(outputFiles[0].text.replace(/^#!/, '//'));
await mkdir(dirname(OUT), { recursive: true });
await writeFile(OUT, text);

/**
 * The launcher with engine-flags.cjs in it: a second file to resolve, read and compile was a
 * part of every cold call (docs/performance.md). tsc's two files stay the fallback when no
 * bundle is built; main.js, the ES modules' entry, stays outside.
 */
const launcher = await build({
  entryPoints: [LAUNCHER],
  outfile: LAUNCHER,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['./main.js'],
  logLevel: 'warning',
  write: false,
});
await writeFile(LAUNCHER, asciiOnly(launcher.outputFiles[0].text));

// The one-node commands a user runs cold, each cache recorded by one process running its calls
// (launch.cts): `node` for the commands that only resolve, `node` and `render` for those that
// render (src/cli/engine-flags.cts, codeCacheFor). They run on the embedded model and on
// CACHE_MODEL, a small inventory written as real MCP models are (see its reclass-config.yml):
// recorded on the embedded model alone, the caches lacked what real models run and it does
// not (block scalars, quoted scalars, classes not found, references to containers, list
// merges, applications, Open vSwitch ports, /etc/hosts entries, ...), which every cold call
// on such a model then compiled. That model is printed in the default formats (YAML, text)
// as well as in JSON, so that the caches hold the code of both.
const CACHE_MODEL = join(REPO, 'scripts/code-cache-model');
const nodeCalls = [
  ['node', 'cmp01', '--inventory', REPO, '--format', 'json'],
  ['node', 'cmp01', '--inventory', CACHE_MODEL, '--format', 'json'],
  ['node', 'cmp01', '--inventory', CACHE_MODEL],
];
const renderCalls = [
  ['render', 'cmp01', '--inventory', REPO, '--format', 'json'],
  ['render', 'cmp01', '--inventory', CACHE_MODEL],
];
/** Runs the bundled CLI with `args` (after `node`'s own) and `env`; the build fails with it. */
function warm(args, env) {
  const run = spawnSync(process.execPath, args, {
    env: { ...process.env, ...env },
    // CACHE_MODEL's `render` warns about keys it does not render, as real models do.
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    console.error(`bundle-cli: the bundled CLI failed while recording a code cache (exit ${run.status ?? run.signal})`);
    process.exit(1);
  }
}

for (const [cache, calls] of [
  [CACHE, nodeCalls],
  [RENDER_CACHE, [...nodeCalls, ...renderCalls]],
]) {
  warm([LAUNCHER, ...calls.flatMap((c, i) => (i ? ['--then', ...c] : c))], { RECLASS_NET_WRITE_CODE_CACHE: cache });
}

// YAML_OUT's cache, from `node` printing CACHE_MODEL in YAML, under the engine flags that command
// runs with when it loads the package: set here before the launcher runs (which sets them
// again, and finds its own cache rejected under them, which costs only this run).
const yamlCall = ['node', 'cmp01', '--inventory', CACHE_MODEL];
const { engineFlagsFor } = createRequire(import.meta.url)(join(REPO, 'dist/src/cli/engine-flags.cjs'));
const underFlags = `require('node:v8').setFlagsFromString(${JSON.stringify(engineFlagsFor(yamlCall))});
process.argv.splice(1, 0, ${JSON.stringify(LAUNCHER)});
require(${JSON.stringify(LAUNCHER)});`;
warm(['-e', underFlags, ...yamlCall], { RECLASS_NET_WRITE_YAML_CODE_CACHE: YAML_CACHE });
