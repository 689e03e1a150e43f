/**
 * Page file names. Node and class names come from the model (untrusted): a page name keeps
 * only characters that are safe in a file name and in a URL without encoding, so a name can
 * never climb out of the output directory or break an href; names that had to change get a
 * short hash so two different names never share a page.
 */
import { createHash } from 'node:crypto';

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A file-name stem for `name`: itself when already safe, else a cleaned form plus a hash. */
export function pageStem(name: string): string {
  if (SAFE.test(name) && name.length <= 120) return name;
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').slice(0, 80);
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${cleaned || 'x'}-${hash}`;
}

/** Where pages live, relative to the output directory, for one output format. */
export interface PageLayout {
  ext: 'html' | 'md';
  index: string;
  classIndex: string;
  node(name: string): string;
  nodeSvg(name: string): string;
  cls(name: string): string;
}

export function pageLayout(ext: 'html' | 'md'): PageLayout {
  return {
    ext,
    index: `index.${ext}`,
    classIndex: `classes.${ext}`,
    node: (name) => `nodes/${pageStem(name)}.${ext}`,
    nodeSvg: (name) => `nodes/${pageStem(name)}.svg`,
    cls: (name) => `classes/${pageStem(name)}.${ext}`,
  };
}

/** `to` as seen from the page `from` (both relative to the output directory, `/`-separated). */
export function relativeHref(from: string, to: string): string {
  const fromParts = from.split('/').slice(0, -1);
  const toParts = to.split('/');
  let common = 0;
  while (common < fromParts.length && common < toParts.length - 1 && fromParts[common] === toParts[common]) common++;
  return [...fromParts.slice(common).map(() => '..'), ...toParts.slice(common)].join('/');
}
