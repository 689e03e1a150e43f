// What both bundles of the compiled library share (the CLI's, scripts/bundle-cli.mjs, and the
// CommonJS entry's, scripts/bundle-cjs.mjs): one CommonJS file for Node 20, dependencies left
// in node_modules, and each module's own URL kept.
import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';

/**
 * A module finds its templates, its worker and the example model relative to its own
 * `import.meta.url`. Bundled, every module shares one file, so each use is rewritten to the
 * URL the module has unbundled: the file tsc wrote, found from the bundle's directory.
 */
function ownModuleUrls(outFile, rewrite = (text) => text) {
  return {
    name: 'own-module-urls',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        const original = await readFile(args.path, 'utf8');
        const text = rewrite(original, args.path);
        if (!text.includes('import.meta.url')) return text === original ? undefined : { contents: text, loader: 'js' };
        const rel = JSON.stringify(relative(dirname(outFile), args.path));
        return { contents: text.replaceAll('import.meta.url', `__moduleUrl(${rel})`), loader: 'js' };
      });
    },
  };
}

/**
 * esbuild options of a bundle of `entry` into `outFile`, with `plugins` after ownModuleUrls;
 * `rewrite(text, path)` may change a module's text before it is bundled.
 */
export function bundleOptions(entry, outFile, plugins = [], rewrite = undefined) {
  return {
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    banner: {
      js: "const __moduleUrl = (rel) => require('node:url').pathToFileURL(require('node:path').join(__dirname, rel)).href;",
    },
    plugins: [ownModuleUrls(outFile, rewrite), ...plugins],
  };
}
