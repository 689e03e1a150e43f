/**
 * `reclass-config.yml`, read from the inventory directory (reclass 1.7 reads it from the
 * current directory; an inventory that carries its own config is what users mean).
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ReclassNetError } from '../errors.js';
import { loadYaml, type Raw } from './yaml.js';
import { toPlain } from './plain.js';
import { readText } from './storage.js';

export const CONFIG_FILE_NAME = 'reclass-config.yml';

export interface InventoryConfig {
  /** Absolute directory of the inventory. */
  root: string;
  nodesDir: string;
  classesDir: string;
  /** Our extension: class-name prefix -> directory holding the classes under that prefix. */
  classPaths: Array<{ prefix: string; dir: string }>;
  classMappings: string[];
  /** Every option as written, for the resolver's settings. */
  options: Record<string, unknown>;
}

export function readConfig(inventoryDir: string, overrides: Record<string, unknown> = {}): InventoryConfig {
  const root = resolve(inventoryDir);
  // Without this a mistyped --inventory reads as an empty inventory and every node is "not found".
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new ReclassNetError('ConfigError', `the inventory ${root} is not a directory`, {
      location: { file: root, line: 0, column: 0 },
    });
  }
  const file = join(root, CONFIG_FILE_NAME);
  let options: Record<string, unknown> = {};
  if (existsSync(file)) {
    const data: Raw = loadYaml(readText(file), file);
    if (data !== null && !(data instanceof Map)) {
      throw new ReclassNetError('ConfigError', 'the configuration must be a mapping of options', {
        location: { file, line: 1, column: 1 },
      });
    }
    options = (toPlain(data) as Record<string, unknown> | null) ?? {};
  }
  options = { ...options, ...overrides };
  const base = typeof options.inventory_base_uri === 'string' ? resolve(root, options.inventory_base_uri) : root;
  const nodesDir = resolve(base, typeof options.nodes_uri === 'string' ? options.nodes_uri : 'nodes');
  const classesDir = resolve(base, typeof options.classes_uri === 'string' ? options.classes_uri : 'classes');
  if (nodesDir === classesDir) {
    throw new ReclassNetError(
      'ConfigError',
      `the inventory URIs must not be the same for nodes and classes: ${nodesDir}`,
      {
        location: { file, line: 0, column: 0 },
      },
    );
  }
  const classPaths: InventoryConfig['classPaths'] = [];
  const rawPaths = options.class_paths;
  if (rawPaths !== undefined && rawPaths !== null) {
    if (typeof rawPaths !== 'object' || Array.isArray(rawPaths)) {
      throw new ReclassNetError('ConfigError', 'class_paths must map class-name prefixes to directories', {
        location: { file, line: 0, column: 0 },
      });
    }
    for (const [prefix, dir] of Object.entries(rawPaths as Record<string, unknown>)) {
      if (typeof dir !== 'string' || prefix === '' || prefix.includes('/')) {
        throw new ReclassNetError('ConfigError', `class_paths entry '${prefix}' must name a directory`, {
          location: { file, line: 0, column: 0 },
        });
      }
      classPaths.push({ prefix, dir: resolve(base, dir) });
    }
  }
  const mappings = options.class_mappings;
  const classMappings = Array.isArray(mappings) ? mappings.map(String) : [];
  return { root, nodesDir, classesDir, classPaths, classMappings, options };
}
