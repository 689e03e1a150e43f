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
import { sep } from 'node:path';
import { ReclassNetError } from '../errors.js';
import { DEFAULT_LIMITS, deadlineOf, limitError, type Limits } from '../resolve/limits.js';

export interface IndexedFile {
  file: string;
  /** Path below the tree root without extension (reclass's pathname). */
  pathname: string;
}

/**
 * How one directory names its files: `init` is the name of its `init` file, every other
 * file is `prefix` followed by its stem (its name without extension).
 */
export interface DirNames {
  readonly prefix: string;
  readonly init: string;
}

/**
 * How a tree names its files. A directory's names are worked out from its parent's when the
 * walk enters it, so that naming a file is one comparison and at most one concatenation.
 */
export interface NameMangler {
  readonly top: DirNames;
  below(parent: DirNames, dir: string): DirNames;
  /**
   * What reclass's pathname of a file in the top directory starts with. The walk's directory
   * there is '.', which the plain node mangler keeps ('./stem') and the others drop ('stem').
   */
  readonly topPath: string;
}

const STEM_ONLY: DirNames = { prefix: '', init: 'init' };

export const nodeName: NameMangler = { top: STEM_ONLY, below: () => STEM_ONLY, topPath: './' };

/** Below a top directory whose name starts with '_', composed node names are the stem only. */
const UNCOMPOSED: DirNames = { prefix: '', init: 'init' };
const COMPOSED_TOP: DirNames = { prefix: '', init: 'init' };

export const composedNodeName: NameMangler = {
  top: COMPOSED_TOP,
  below: (parent, dir) => {
    if (parent === UNCOMPOSED || (parent === COMPOSED_TOP && dir.startsWith('_'))) return UNCOMPOSED;
    const prefix = parent.prefix + dir + '.';
    return { prefix, init: prefix + 'init' };
  },
  topPath: '',
};

export function className(prefix: string | null): NameMangler {
  return {
    top: prefix ? { prefix: prefix + '.', init: prefix } : STEM_ONLY,
    below: (parent, dir) => {
      // dir/init.yml is the class "dir"
      const dirName = parent.prefix + dir;
      return { prefix: dirName + '.', init: dirName };
    },
    topPath: '',
  };
}

/** The name a directory named by `names` gives its file with stem `stem`. */
export function nameIn(names: DirNames, stem: string): string {
  return stem === 'init' ? names.init : names.prefix + stem;
}

/**
 * The stem of a `*.yml` or `*.yaml` file, undefined for any other. As Python's
 * os.path.splitext, by which reclass names files, dots that start a name do not start an
 * extension: '.yml' and '..yml' are their own stems.
 */
export function stemOf(file: string): string | undefined {
  const dot = file.endsWith('.yml') ? file.length - 4 : file.endsWith('.yaml') ? file.length - 5 : -1;
  if (dot < 0) return undefined;
  for (let i = 0; i < dot; i++) if (file.charCodeAt(i) !== 0x2e) return file.slice(0, dot);
  return file;
}

/**
 * The index's answer for file `entry` of directory `dir` of the tree `root`. The pathname,
 * which class_mappings_match_path matches, is reclass's: the walk's directory relative to
 * the tree root joined with the stem.
 */
export function indexedFile(root: TreeRoot, dir: string, entry: string): IndexedFile {
  const stem = stemOf(entry) ?? entry;
  let pathname;
  if (dir === root.dir) pathname = root.mangle.topPath + stem;
  else pathname = dir.slice(root.dir.endsWith(sep) ? root.dir.length : root.dir.length + 1) + sep + stem;
  return { file: childPath(dir, entry), pathname };
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

/** A directory the walk went through: where it is and how it names its files. */
interface WalkedDir {
  readonly path: string;
  readonly names: DirNames;
  readonly root: TreeRoot;
}

/**
 * A name's file: its directory and its name there. The path and pathname are only made for
 * the names looked up (indexedFile), a few dozen of a thousand for one node.
 */
interface Entry {
  readonly at: WalkedDir;
  readonly name: string;
}

export class TreeIndex implements NameIndex {
  private readonly byName: Map<string, Entry>;
  private inWalkOrder: Map<string, Entry> | undefined;

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
    const entry = this.byName.get(name);
    return entry && fileOf(entry);
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

function fileOf({ at, name }: Entry): IndexedFile {
  return indexedFile(at.root, at.path, name);
}

/** Thrown inside a sorted build when the directory order would change its result. */
export const ORDER_MATTERS = new (class OrderMatters extends Error {})('order matters');

/** The index, or undefined from a sorted build that directory order would change. */
function buildIndex(roots: TreeRoot[], what: string, order: 'walk', limits: Limits): Map<string, Entry>;
function buildIndex(
  roots: TreeRoot[],
  what: string,
  order: ListingOrder,
  limits: Limits,
): Map<string, Entry> | undefined;
function buildIndex(
  roots: TreeRoot[],
  what: string,
  order: ListingOrder,
  limits: Limits,
): Map<string, Entry> | undefined {
  const index = new Map<string, Entry>();
  try {
    for (const root of roots) {
      // Python's os.walk(root.dir, followlinks=True): see indexDir.
      indexDir(root.dir, root.mangle.top, { root, into: index, what, order, budget: budgetFor(root.dir, limits) });
    }
  } catch (e) {
    if (e === ORDER_MATTERS) return undefined;
    throw e;
  }
  return index;
}

/** What stays the same through the walk of one tree. */
interface Walk {
  root: TreeRoot;
  into: Map<string, Entry>;
  what: string;
  order: ListingOrder;
  budget: Budget;
}

/**
 * Indexes the directory `path`, whose files `names` names, and those below it, as Python's
 * os.walk(top, followlinks=True) goes through them: a directory's files before its
 * subdirectories, each subdirectory with all below it before the next.
 *
 * Like os.walk, it follows every symlink to a directory, even one it has been through
 * already: two links to one directory give each file two names, and a link to an ancestor
 * repeats the tree below it, one level deeper each time, until the path holds more links
 * than the kernel resolves (40 on Linux) and listing it fails, which os.walk skips. reclass
 * resolves the names those paths give, so the walk must give them too. Two such links in
 * one directory double the tree at every level, where reclass would never finish: that is
 * an error here (spend).
 */
function indexDir(path: string, names: DirNames, walk: Walk): void {
  spend(walk.budget);
  const entries = readEntries(path, walk.order);
  if (!entries) return;
  const here: WalkedDir = { path, names, root: walk.root };
  const { into } = walk;
  let dirs: string[] | undefined;
  for (const entry of entries) {
    const file = entry.name;
    if (!entry.isFile() && isDirectoryEntry(path, entry)) {
      (dirs ??= []).push(file);
      continue;
    }
    const stem = stemOf(file);
    if (stem === undefined) continue;
    const name = nameIn(names, stem);
    const known = into.get(name);
    if (known) {
      // Which definition is the first depends on the walk's order.
      if (walk.order === 'sorted') throw ORDER_MATTERS;
      const { what } = walk;
      const where = childPath(path, file);
      throw new ReclassNetError(
        'DuplicateNodeNameError',
        `definition of ${what} '${name}' in '${where}' collides with the definition in '${fileOf(known).file}'; ` +
          `a ${what} can only be defined once per inventory`,
        { location: { file: where, line: 0, column: 0 } },
      );
    }
    into.set(name, { at: here, name: file });
  }
  if (!dirs) return;
  removeSkipped(dirs, walk.order);
  const { mangle } = walk.root;
  for (const d of dirs) indexDir(childPath(path, d), mangle.below(names, d), walk);
}

/** 'walk': directory order, as reclass; 'sorted': by name, refusing where that differs. */
export type ListingOrder = 'walk' | 'sorted';

const SKIP_DIRS = ['CVS', 'SCCS'];

/** The default of limits.max_directories: only symlink loops that branch get there (indexDir). */
export const MAX_DIRECTORIES = DEFAULT_LIMITS.max_directories;

export interface Budget {
  left: number;
  top: string;
  limits: Limits;
  deadline: number;
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
  let count = 0;
  for (const d of dirs) if (skipped(d)) count++;
  if (count === 0) return;
  if (count > 1 && order === 'sorted') throw ORDER_MATTERS;
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

/** The directory's entries sorted by name, files apart from directories and links to them (as os.walk). */
export function listSorted(dir: string): Listing | undefined {
  const entries = readEntries(dir, 'sorted');
  if (!entries) return undefined;
  const listing: Listing = { dirs: [], files: [] };
  for (const entry of entries) (isDirectoryEntry(dir, entry) ? listing.dirs : listing.files).push(entry.name);
  return listing;
}

const WITH_TYPES = { withFileTypes: true } as const;

/**
 * The directory's entries: 'sorted', by name, in one call (libuv sorts what scandir
 * returns); 'walk', in the order the file system returns them, as os.walk sees them.
 */
function readEntries(dir: string, order: ListingOrder): Dirent[] | undefined {
  if (order === 'sorted') {
    try {
      return readdirSync(dir, WITH_TYPES);
    } catch (e) {
      return skippable(dir, e);
    }
  }
  let handle;
  try {
    handle = opendirSync(dir);
  } catch (e) {
    return skippable(dir, e);
  }
  const entries: Dirent[] = [];
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) entries.push(entry);
  } finally {
    handle.closeSync();
  }
  return entries;
}

/** A directory, or a symbolic link to one: os.walk walks both. */
function isDirectoryEntry(dir: string, entry: Dirent): boolean {
  return entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(childPath(dir, entry.name)));
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
