/**
 * Finds node and class files the way reclass's yaml_fs storage does, and loads them into
 * entities. Only files found by walking the trees are ever read: a class name is looked up
 * in that index, so a name like `../../etc/passwd` can never open a file outside them.
 */
import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, opendirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { extname, sep } from 'node:path';
import { ReclassNetError } from '../errors.js';
import { Entity } from '../resolve/entity.js';
import { Parameters } from '../resolve/parameters.js';
import type { Settings } from '../resolve/settings.js';
import type { InventoryConfig } from './config.js';
import { loadYaml, positionOf, type Raw, type RawMap } from './yaml.js';

const SKIP_DIRS = ['CVS', 'SCCS'];

/**
 * Python's os.walk(top, followlinks=True) in directory order (not sorted: reclass's node
 * order, and so the order of `inventory` output lists, follows the file system). `visit`
 * gets each directory with its path relative to `top` ('' for `top` itself).
 *
 * Only a directory reached through a symbolic link can resolve somewhere unexpected, so only
 * those pay for a realpath; below a plain entry the real path is the parent's plus the name.
 * (A tenth of a one-node run went to realpath's lstat of every path component.)
 */
function walk(top: string, visit: (dir: string, relDir: string, files: string[]) => void): void {
  let real: string;
  try {
    real = realpathSync.native(top);
  } catch {
    return;
  }
  walkDir(top, '', real, visit, new Set());
}

function walkDir(dir: string, relDir: string, real: string, visit: (dir: string, relDir: string, files: string[]) => void, seen: Set<string>): void {
  // A symlink loop would make os.walk recurse until it fails; stop at the first repeat.
  if (seen.has(real)) return;
  seen.add(real);
  const dirs: string[] = [];
  const linked: boolean[] = [];
  const files: string[] = [];
  let handle;
  try {
    handle = opendirSync(dir);
  } catch {
    return;
  }
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
      if (entry.isDirectory()) {
        dirs.push(entry.name);
        linked.push(false);
      } else if (entry.isSymbolicLink() && isDirectory(childPath(dir, entry.name))) {
        dirs.push(entry.name);
        linked.push(true);
      } else {
        files.push(entry.name);
      }
    }
  } finally {
    handle.closeSync();
  }
  // reclass removes hidden and VCS directories from the list while iterating over it,
  // which skips the entry after each removed one; keep that behaviour.
  for (let i = 0; i < dirs.length; i++) {
    const d = dirs[i];
    if (d.startsWith('.') || SKIP_DIRS.includes(d)) {
      dirs.splice(i, 1);
      linked.splice(i, 1);
    }
  }
  visit(dir, relDir, files);
  for (let i = 0; i < dirs.length; i++) {
    const child = childPath(dir, dirs[i]);
    let childReal = childPath(real, dirs[i]);
    if (linked[i]) {
      try {
        childReal = realpathSync.native(child);
      } catch {
        continue;
      }
    }
    walkDir(child, relDir ? relDir + sep + dirs[i] : dirs[i], childReal, visit, seen);
  }
}

/** path.join for a name without separators, minus its normalising (`dir` already is). */
function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

interface IndexedFile {
  file: string;
  /** Path below the tree root without extension (reclass's pathname). */
  pathname: string;
}

/**
 * How a tree names its files: given a directory's path relative to the tree root, returns
 * the function from a file's stem (its name without extension) to the node or class name.
 * Split in two so that the per-directory part runs once per directory, not once per file.
 */
type NameMangler = (relDir: string) => (stem: string) => string;

const nodeName: NameMangler = () => (stem) => stem;

const composedNodeName: NameMangler = (relDir) => {
  if (relDir === '') return (stem) => stem;
  const parts = relDir.split(sep);
  if (parts[0].startsWith('_')) return (stem) => stem;
  const prefix = parts.join('.') + '.';
  return (stem) => prefix + stem;
};

function className(prefix: string | null): NameMangler {
  return (relDir) => {
    const parts = prefix ? [prefix] : [];
    if (relDir !== '') parts.push(...relDir.split(sep));
    if (parts.length === 0) return (stem) => stem;
    const dirName = parts.join('.');
    // dir/init.yml is the class "dir"
    return (stem) => (stem === 'init' ? dirName : dirName + '.' + stem);
  };
}

function indexTree(root: string, mangle: NameMangler, into: Map<string, IndexedFile>, what: string): void {
  walk(root, (dir, relDir, files) => {
    let nameOf: ((stem: string) => string) | undefined;
    // reclass joins the walk's relative directory ('.' at the top) with the file name, so a
    // top-level node's pathname is './name': class_mappings_match_path sees that.
    const pathPrefix = relDir ? relDir + sep : './';
    for (const f of files) {
      if (!(f.endsWith('.yml') || f.endsWith('.yaml'))) continue;
      const ext = extname(f);
      const stem = ext ? f.slice(0, f.length - ext.length) : f;
      nameOf ??= mangle(relDir);
      const name = nameOf(stem);
      const file = childPath(dir, f);
      const known = into.get(name);
      if (known) {
        throw new ReclassNetError(
          'DuplicateNodeName',
          `definition of ${what} '${name}' in '${file}' collides with the definition in '${known.file}'; ` +
            `a ${what} can only be defined once per inventory`,
          { location: { file, line: 0, column: 0 } },
        );
      }
      into.set(name, { file, pathname: pathPrefix + stem });
    }
  });
}

/** Far above any real class or node file; refusing more keeps one file from exhausting memory. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Strict: Python would refuse the bytes too. Stateless between whole-buffer decodes. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a model file as UTF-8, refusing bytes that are not (Python would crash on them).
 * Only regular files are read: a FIFO or device named `x.yml` (or a symlink to one) would
 * otherwise block forever or never end. Opened non-blocking so that even a FIFO returns.
 */
export function readText(file: string): string {
  const fail = (detail: string) => new ReclassNetError('YamlError', detail, { location: { file, line: 0, column: 0 } });
  let bytes: Buffer;
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw fail(`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw fail('not a regular file (a FIFO, device or socket cannot be a node or class)');
    if (info.size > MAX_FILE_BYTES) throw fail(`the file is ${info.size} bytes long; the limit is ${MAX_FILE_BYTES}`);
    // Read into a buffer of the size fstat gave: readFileSync(fd) would fstat once more,
    // and this runs for every one of thousands of files. A size of 0 can also mean a file
    // system that does not know sizes; readFileSync reads those to their end.
    if (info.size === 0) return decodeModelText(readFileSync(fd), file);
    bytes = Buffer.allocUnsafe(info.size);
    let filled = 0;
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, null);
      if (n === 0) break;
      filled += n;
    }
    bytes = bytes.subarray(0, filled);
  } catch (e) {
    if (e instanceof ReclassNetError) throw e;
    throw fail(`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    closeSync(fd);
  }
  return decodeModelText(bytes, file);
}

function decodeModelText(bytes: Buffer, file: string): string {
  // Model files are nearly always ASCII, which needs no validation and decodes fastest.
  if (isAscii(bytes)) return bytes.toString('latin1');
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ReclassNetError('YamlError', 'the file is not valid UTF-8 text', { location: { file, line: 0, column: 0 } });
  }
}

function relativeClassNames(name: string, classes: string[]): string[] {
  // reclass's set_absolute_names: leading dots climb from the including entity's name.
  return classes.map((n) => {
    if (typeof n !== 'string' || n[0] !== '.') return n;
    let dots = 0;
    while (n[dots] === '.') dots++;
    const parent = name.split('.').slice(0, -dots).join('.');
    return parent === '' ? n.slice(dots) : parent + n.slice(dots - 1);
  });
}

function listOfStrings(data: RawMap, key: string, file: string): string[] {
  const value = data.get(key);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    const pos = positionOf(data, key);
    throw new ReclassNetError('YamlError', `'${key}' must be a list`, {
      location: { file, line: pos?.line ?? 0, column: pos?.column ?? 0 },
    });
  }
  return value as string[];
}

export class Storage {
  readonly nodes = new Map<string, IndexedFile>();
  readonly classes = new Map<string, IndexedFile>();
  private readonly classCache = new Map<string, Entity>();
  private readonly nodeCache = new Map<string, Entity>();
  private readonly fileCache = new Map<string, RawMap>();

  constructor(readonly config: InventoryConfig, readonly settings: Settings) {
    indexTree(config.nodesDir, settings.compose_node_name ? composedNodeName : nodeName, this.nodes, 'node');
    indexTree(config.classesDir, className(null), this.classes, 'class');
    for (const { prefix, dir } of config.classPaths) indexTree(dir, className(prefix), this.classes, 'class');
  }

  /** Node names in reclass's enumeration order. */
  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  private load(file: string): RawMap {
    const cached = this.fileCache.get(file);
    if (cached) return cached;
    const data: Raw = loadYaml(readText(file), file);
    if (data !== null && !(data instanceof Map)) {
      throw new ReclassNetError('YamlError', 'a node or class file must be a mapping (classes, parameters, ...)', {
        location: { file, line: 1, column: 1 },
      });
    }
    const map = data ?? new Map();
    this.fileCache.set(file, map);
    return map;
  }

  private entity(name: string, indexed: IndexedFile): Entity {
    const { file } = indexed;
    const data = this.load(file);
    const origin = { entity: name, file };
    const section = (key: string): Map<string, unknown> | null => {
      const value = data.get(key);
      if (value === undefined || value === null) return null;
      if (!(value instanceof Map)) {
        const pos = positionOf(data, key);
        throw new ReclassNetError('YamlError', `'${key}' must be a mapping`, {
          location: { file, line: pos?.line ?? 0, column: pos?.column ?? 0 },
        });
      }
      return value;
    };
    try {
      const environment = data.get('environment');
      return new Entity(this.settings, name, origin, {
        classes: relativeClassNames(name, listOfStrings(data, 'classes', file)),
        applications: listOfStrings(data, 'applications', file),
        parameters: new Parameters(section('parameters'), this.settings, origin),
        exports: new Parameters(section('exports'), this.settings, origin),
        environment: environment === undefined || environment === null ? null : String(environment),
        pathname: indexed.pathname,
      });
    } catch (e) {
      if (e instanceof ReclassNetError) throw e.addContext({ location: { file, line: 0, column: 0 } });
      throw e;
    }
  }

  getNode(name: string): Entity {
    let entity = this.nodeCache.get(name);
    if (!entity) {
      const indexed = this.nodes.get(name);
      if (!indexed) {
        throw new ReclassNetError('NodeNotFound', `node '${name}' not found under ${this.config.nodesDir}`);
      }
      entity = this.entity(name, indexed);
      this.nodeCache.set(name, entity);
    }
    return entity;
  }

  hasClass(name: string): boolean {
    return this.classes.has(name);
  }

  getClass(name: string): Entity {
    let entity = this.classCache.get(name);
    if (!entity) {
      const indexed = this.classes.get(name);
      if (!indexed) throw new ReclassNetError('ClassNotFound', `class ${name} not found`);
      entity = this.entity(name, indexed);
      this.classCache.set(name, entity);
    }
    return entity;
  }
}

