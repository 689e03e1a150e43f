/**
 * Finds node and class files the way reclass's yaml_fs storage does, and loads them as
 * plain data with positions; the resolver makes entities of them (resolve/entity.ts). Only files found by walking the trees are ever read: a class name is looked up
 * in that index, so a name like `../../etc/passwd` can never open a file outside them.
 */
import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { ReclassNetError } from '../errors.js';
import { DEFAULT_LIMITS, limitError } from '../resolve/limits.js';
import type { Settings } from '../resolve/settings.js';
import type { InventoryConfig } from './config.js';
import { ClassLookup } from './class-lookup.js';
import { className, composedNodeName, nodeName, TreeIndex, type IndexedFile, type NameIndex } from './tree-index.js';
import { loadYaml, type Raw, type RawMap } from './yaml.js';
import { PlainKeys } from './fast-yaml.js';

/** Strict: Python would refuse the bytes too. Stateless between whole-buffer decodes. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a model file as UTF-8, refusing bytes that are not (Python would crash on them).
 * Only regular files are read: a FIFO or device named `x.yml` (or a symlink to one) would
 * otherwise block forever or never end. Opened non-blocking so that even a FIFO returns.
 */
export function readText(file: string, maxBytes: number = DEFAULT_LIMITS.max_file_bytes): string {
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
    if (info.size > maxBytes) {
      throw limitError(`the file is ${info.size} bytes long`, 'max_file_bytes', maxBytes, {
        location: { file, line: 0, column: 0 },
      });
    }
    // Read into a buffer of the size fstat gave: readFileSync(fd) would fstat once more,
    // and this runs for every one of thousands of files. A size of 0 can also mean a file
    // system that does not know sizes; readFileSync reads those to their end.
    if (info.size === 0) {
      const all = readFileSync(fd);
      if (all.length > maxBytes) {
        throw limitError(`the file is more than ${maxBytes} bytes long`, 'max_file_bytes', maxBytes, {
          location: { file, line: 0, column: 0 },
        });
      }
      return decodeModelText(all, file);
    }
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
    throw new ReclassNetError('YamlError', 'the file is not valid UTF-8 text', {
      location: { file, line: 0, column: 0 },
    });
  }
}

/** A node or class file as loaded: its data (with positions, see positionOf) and where it is. */
export interface LoadedFile {
  /** The node or class name it defines. */
  name: string;
  file: string;
  /** The file's path below its tree without the extension (class_mappings_match_path). */
  pathname: string;
  data: RawMap;
}

export class Storage {
  readonly nodes: TreeIndex;
  readonly classes: NameIndex;
  /** Parsed class files: a file can be reached under two class names (symlinks). */
  private readonly fileCache = new Map<string, RawMap>();

  /**
   * `listClasses`: 'all' indexes the class trees up front, as reclass does (a name defined
   * twice anywhere is an error); 'as-needed' lists only the directories each class looked up
   * can be in (class-lookup.ts), for commands that resolve one node.
   */
  constructor(
    readonly config: InventoryConfig,
    readonly settings: Settings,
    listClasses: 'all' | 'as-needed' = 'all',
  ) {
    this.plainKeys = new PlainKeys(settings.keyTables.strings);
    // Nodes first: reclass reports a name defined twice among them before one among classes.
    const { limits } = settings;
    this.nodes = new TreeIndex(
      [{ dir: config.nodesDir, mangle: settings.compose_node_name ? composedNodeName : nodeName }],
      'node',
      limits,
    );
    const roots = [
      { dir: config.classesDir, mangle: className(null), prefix: '' },
      ...config.classPaths.map(({ prefix, dir }) => ({ dir, mangle: className(prefix), prefix })),
    ];
    this.classes = listClasses === 'all' ? new TreeIndex(roots, 'class', limits) : new ClassLookup(roots, limits);
  }

  /** Node names in reclass's enumeration order. */
  nodeNames(): string[] {
    return this.nodes.names();
  }

  /** The plain keys the model's files have used so far (see PlainKeys), interned in the
   * inventory's table, where its references' parts are. */
  private readonly plainKeys: PlainKeys;

  private load(file: string, keep: boolean): RawMap {
    const cached = this.fileCache.get(file);
    if (cached) return cached;
    const { limits } = this.settings;
    const data: Raw = loadYaml(readText(file, limits.max_file_bytes), file, limits, this.plainKeys);
    if (data !== null && !(data instanceof Map)) {
      throw new ReclassNetError('YamlError', 'a node or class file must be a mapping (classes, parameters, ...)', {
        location: { file, line: 1, column: 1 },
      });
    }
    const map: RawMap = data ?? new Map<string, Raw>();
    if (keep) this.fileCache.set(file, map);
    return map;
  }

  private loaded(name: string, indexed: IndexedFile, keep: boolean): LoadedFile {
    return { name, file: indexed.file, pathname: indexed.pathname, data: this.load(indexed.file, keep) };
  }

  /**
   * A node's file, read afresh on every call: a whole-inventory run needs each node once,
   * and keeping every parsed node alive made each young-generation collection of the run
   * copy them all, megabytes at N=1000. Callers that need a node again keep it.
   */
  getNode(name: string): LoadedFile {
    const indexed = this.nodes.get(name);
    if (!indexed) {
      throw new ReclassNetError('NodeNotFound', `node '${name}' not found under ${this.config.nodesDir}`);
    }
    return this.loaded(name, indexed, false);
  }

  /**
   * A class's file, parsed once (a file reached under two class names, once for both);
   * undefined when no file defines the class, which the resolver reports in its own words.
   */
  findClass(name: string): LoadedFile | undefined {
    const indexed = this.classes.get(name);
    return indexed && this.loaded(name, indexed, true);
  }
}
