/**
 * The index of a node or class tree, name to file, found the way reclass's yaml_fs storage
 * finds them: os.walk(top, followlinks=True) over each tree, every `*.yml` / `*.yaml` named
 * by its directory and stem, a name defined twice an error.
 *
 * reclass walks in directory order, unsorted. That order is visible in three places only: the
 * order of names (node order in `inventory` output), which of two definitions of a name an
 * error calls the first, and which hidden directories reclass's walk forgets to skip when a
 * directory holds two or more. So the index is first built from sorted listings, which Node
 * reads in one call per directory (about half the time of reading entries one by one, a
 * twentieth of a one-node call), and built again in directory order when one of those cases
 * turns up or a caller asks for the names in order.
 */
import { opendirSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { extname, sep } from 'node:path';
import { ReclassNetError } from '../errors.js';
import { DEFAULT_LIMITS, deadlineOf, limitError, type Limits } from '../resolve/limits.js';

export interface IndexedFile {
  file: string;
  /** Path below the tree root without extension (reclass's pathname). */
  pathname: string;
}

/**
 * How a tree names its files: given a directory's path relative to the tree root, returns
 * the function from a file's stem (its name without extension) to the node or class name.
 * Split in two so that the per-directory part runs once per directory, not once per file.
 */
export type NameMangler = (relDir: string) => (stem: string) => string;

export const nodeName: NameMangler = () => (stem) => stem;

export const composedNodeName: NameMangler = (relDir) => {
  if (relDir === '') return (stem) => stem;
  const parts = relDir.split(sep);
  if (parts[0].startsWith('_')) return (stem) => stem;
  const prefix = parts.join('.') + '.';
  return (stem) => prefix + stem;
};

/**
 * reclass's pathname of a file, which class_mappings_match_path matches: the walk's
 * directory relative to the tree root joined with the stem. At the top that directory is
 * '.', which the plain node mangler keeps ('./stem') and the others drop ('stem').
 */
export function pathnameOf(mangle: NameMangler, relDir: string, stem: string): string {
  if (relDir) return relDir + sep + stem;
  return mangle === nodeName ? './' + stem : stem;
}

export function className(prefix: string | null): NameMangler {
  return (relDir) => {
    const parts = prefix ? [prefix] : [];
    if (relDir !== '') parts.push(...relDir.split(sep));
    if (parts.length === 0) return (stem) => stem;
    const dirName = parts.join('.');
    // dir/init.yml is the class "dir"
    return (stem) => (stem === 'init' ? dirName : dirName + '.' + stem);
  };
}

export interface TreeRoot {
  dir: string;
  mangle: NameMangler;
}

/** Name to file: the whole tree indexed up front (TreeIndex), or looked up as needed (class-lookup.ts). */
export interface NameIndex {
  get(name: string): IndexedFile | undefined;
  has(name: string): boolean;
  filter(test: (name: string) => boolean): string[];
  names(): string[];
}

export class TreeIndex implements NameIndex {
  private readonly byName: Map<string, IndexedFile>;
  private inWalkOrder: Map<string, IndexedFile> | undefined;

  /** Indexes `roots` now, so that a name defined twice is an error from the start, as in reclass. */
  constructor(
    private readonly roots: TreeRoot[],
    private readonly what: 'node' | 'class',
    private readonly limits: Limits = DEFAULT_LIMITS,
  ) {
    const sorted = buildIndex(roots, what, 'sorted', limits);
    if (sorted) this.byName = sorted;
    else this.byName = this.inWalkOrder = buildIndex(roots, what, 'walk', limits);
  }

  get(name: string): IndexedFile | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The names `test` accepts, in reclass's order (only worked out when there are several). */
  filter(test: (name: string) => boolean): string[] {
    const found = [...this.byName.keys()].filter(test);
    return found.length > 1 ? this.names().filter(test) : found;
  }

  /** Every name, in reclass's enumeration order. */
  names(): string[] {
    this.inWalkOrder ??= buildIndex(this.roots, this.what, 'walk', this.limits);
    return [...this.inWalkOrder.keys()];
  }
}

/** Thrown inside a sorted build when the directory order would change its result. */
export const ORDER_MATTERS = new (class OrderMatters extends Error {})('order matters');

/** The index, or undefined from a sorted build that directory order would change. */
function buildIndex(roots: TreeRoot[], what: string, order: 'walk', limits: Limits): Map<string, IndexedFile>;
function buildIndex(
  roots: TreeRoot[],
  what: string,
  order: ListingOrder,
  limits: Limits,
): Map<string, IndexedFile> | undefined;
function buildIndex(
  roots: TreeRoot[],
  what: string,
  order: ListingOrder,
  limits: Limits,
): Map<string, IndexedFile> | undefined {
  const index = new Map<string, IndexedFile>();
  try {
    for (const { dir, mangle } of roots) indexTree(dir, mangle, index, what, order, limits);
  } catch (e) {
    if (e === ORDER_MATTERS) return undefined;
    throw e;
  }
  return index;
}

function indexTree(
  root: string,
  mangle: NameMangler,
  into: Map<string, IndexedFile>,
  what: string,
  order: ListingOrder,
  limits: Limits,
): void {
  walk(root, order, limits, (dir, relDir, files) => {
    let nameOf: ((stem: string) => string) | undefined;
    for (const f of files) {
      if (!(f.endsWith('.yml') || f.endsWith('.yaml'))) continue;
      const ext = extname(f);
      const stem = ext ? f.slice(0, f.length - ext.length) : f;
      nameOf ??= mangle(relDir);
      const name = nameOf(stem);
      const file = childPath(dir, f);
      const known = into.get(name);
      if (known) {
        // Which definition is the first depends on the walk's order.
        if (order === 'sorted') throw ORDER_MATTERS;
        throw new ReclassNetError(
          'DuplicateNodeNameError',
          `definition of ${what} '${name}' in '${file}' collides with the definition in '${known.file}'; ` +
            `a ${what} can only be defined once per inventory`,
          { location: { file, line: 0, column: 0 } },
        );
      }
      into.set(name, { file, pathname: pathnameOf(mangle, relDir, stem) });
    }
  });
}

/** 'walk': directory order, as reclass; 'sorted': by name, refusing where that differs. */
export type ListingOrder = 'walk' | 'sorted';

type Visit = (dir: string, relDir: string, files: string[]) => void;

const SKIP_DIRS = ['CVS', 'SCCS'];

/** The default of limits.max_directories: only symlink loops that branch get there (below). */
export const MAX_DIRECTORIES = DEFAULT_LIMITS.max_directories;

export interface Budget {
  left: number;
  top: string;
  limits: Limits;
  deadline: number;
}

/**
 * Python's os.walk(top, followlinks=True). `visit` gets each directory with its path
 * relative to `top` ('' for `top` itself).
 *
 * Like os.walk, it follows every symlink to a directory, even one it has been through
 * already: two links to one directory give each file two names, and a link to an ancestor
 * repeats the tree below it, one level deeper each time, until the path holds more links
 * than the kernel resolves (40 on Linux) and listing it fails, which os.walk skips. reclass
 * resolves the names those paths give, so the walk must give them too. Two such links in
 * one directory double the tree at every level, where reclass would never finish: that is
 * an error here.
 */
function walk(top: string, order: ListingOrder, limits: Limits, visit: Visit): void {
  const budget = budgetFor(top, limits);
  walkDir(top, '', order, visit, budget);
}

function walkDir(dir: string, relDir: string, order: ListingOrder, visit: Visit, budget: Budget): void {
  spend(budget);
  const listing = order === 'sorted' ? listSorted(dir) : listInWalkOrder(dir);
  if (!listing) return;
  const { dirs, files } = listing;
  removeSkipped(dirs, order);
  visit(dir, relDir, files);
  for (const d of dirs) walkDir(childPath(dir, d), relDir ? relDir + sep + d : d, order, visit, budget);
}

/** The walk's budget of directories and time, counted down by one directory. */
export function spend(budget: Budget): void {
  if (--budget.left < 0) {
    throw new ReclassNetError(
      'SymlinkLoop',
      `more than ${budget.limits.max_directories} directories under ${budget.top}: ` +
        'symbolic links to a parent directory make the tree endless (reclass would not finish walking it); ' +
        'raise limits: max_directories in reclass-config.yml if the tree really is that big',
      { location: { file: budget.top, line: 0, column: 0 } },
    );
  }
  // Every 256 directories: a clock read per directory would be a tenth of a small walk.
  if ((budget.left & 255) === 0 && Date.now() > budget.deadline) {
    const { max_seconds } = budget.limits;
    throw limitError(`walking ${budget.top} took more than ${max_seconds} seconds`, 'max_seconds', max_seconds, {
      location: { file: budget.top, line: 0, column: 0 },
    });
  }
}

/**
 * reclass removes hidden and VCS directories from the list while iterating over it, which
 * skips the entry after each removed one; keep that behaviour. With one such directory the
 * skipped entry is an ordinary one, kept either way; with more, the order decides which are
 * walked (a sorted listing throws ORDER_MATTERS then).
 */
export function removeSkipped(dirs: string[], order: ListingOrder): void {
  // Counted before removing: the entry after a removed one is never looked at, so counting
  // while removing missed a second one right behind the first (`.git`, `.svn`).
  if (order === 'sorted' && dirs.filter(skipped).length > 1) throw ORDER_MATTERS;
  for (let i = 0; i < dirs.length; i++) {
    if (skipped(dirs[i])) dirs.splice(i, 1);
  }
}

function skipped(dir: string): boolean {
  return dir.startsWith('.') || SKIP_DIRS.includes(dir);
}

/** A budget for walking below `top` (limits.max_directories, limits.max_seconds). */
export function budgetFor(top: string, limits: Limits): Budget {
  return { left: limits.max_directories, top, limits, deadline: deadlineOf(limits) };
}

export interface Listing {
  /** Directories and symbolic links to directories. */
  dirs: string[];
  files: string[];
}

/** Files to `files`; directories, and symbolic links to them, to `dirs` (as os.walk). */
function classifyEntry(dir: string, entry: Dirent, into: Listing): void {
  if (entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(childPath(dir, entry.name)))) {
    into.dirs.push(entry.name);
  } else {
    into.files.push(entry.name);
  }
}

/** The directory's entries sorted by name (libuv sorts what scandir returns), in one call. */
export function listSorted(dir: string): Listing | undefined {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    return skippable(dir, e);
  }
  const listing: Listing = { dirs: [], files: [] };
  for (const entry of entries) classifyEntry(dir, entry, listing);
  return listing;
}

/** The directory's entries in the order the file system returns them, as os.walk sees them. */
function listInWalkOrder(dir: string): Listing | undefined {
  let handle;
  try {
    handle = opendirSync(dir);
  } catch (e) {
    return skippable(dir, e);
  }
  const listing: Listing = { dirs: [], files: [] };
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) classifyEntry(dir, entry, listing);
  } finally {
    handle.closeSync();
  }
  return listing;
}

/**
 * os.walk skips a directory it cannot list, and so does this walk where that is the walk's
 * nature: a path through too many links (ELOOP), or too long to name (ENAMETOOLONG), is the
 * end of a link loop; a directory gone meanwhile (ENOENT) or not one (ENOTDIR) lists
 * nothing. A directory that is there and cannot be read (EACCES, EIO, ...) is an error:
 * skipping it made an unreadable inventory look empty, and `validate` pass on 0 nodes.
 */
function skippable(dir: string, error: unknown): undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP' || code === 'ENAMETOOLONG' || code === 'ENOENT' || code === 'ENOTDIR') return undefined;
  throw new ReclassNetError('ConfigError', `cannot read the directory ${dir}: ${code ?? (error as Error).message}`, {
    location: { file: dir, line: 0, column: 0 },
  });
}

/** path.join for a name without separators, minus its normalising (`dir` already is). */
export function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
