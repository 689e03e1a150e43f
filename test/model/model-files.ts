// Reads the embedded model's files directly (no resolver): class files, node files, and how a
// class name maps to a file under reclass-config.yml's classes_uri and class_paths.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ModelConfig {
  nodes_uri: string;
  classes_uri: string;
  class_paths: Record<string, string>;
  ignore_class_notfound?: boolean;
  [key: string]: unknown;
}

export function readConfig(): ModelConfig {
  return parseYaml(join(ROOT, 'reclass-config.yml')) as ModelConfig;
}

export function parseYaml(file: string): unknown {
  // reclass reads with PyYAML: YAML 1.1. Duplicate keys are an authoring mistake in OUR model.
  return parse(readFileSync(file, 'utf8'), { version: '1.1', uniqueKeys: true });
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.yml') || e.endsWith('.yaml')) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Every class of the model: name -> file. */
export function classFiles(config = readConfig()): Map<string, string> {
  const roots: Array<[string, string]> = [['', join(ROOT, config.classes_uri)]];
  for (const [prefix, dir] of Object.entries(config.class_paths)) roots.push([prefix, join(ROOT, dir)]);
  const classes = new Map<string, string>();
  for (const [prefix, dir] of roots) {
    for (const file of yamlFiles(dir)) {
      const rel = relative(dir, file)
        .replace(/\.ya?ml$/, '')
        .split('/');
      if (rel[rel.length - 1] === 'init') rel.pop();
      const name = [prefix, ...rel].filter(Boolean).join('.');
      if (classes.has(name)) throw new Error(`class ${name} is defined twice: ${classes.get(name)} and ${file}`);
      classes.set(name, file);
    }
  }
  return classes;
}

export function nodeFiles(config = readConfig()): string[] {
  return yamlFiles(join(ROOT, config.nodes_uri));
}

/** A node's full name from its file, as reclass names it. */
export function nodeName(file: string): string {
  return file
    .split('/')
    .pop()!
    .replace(/\.ya?ml$/, '');
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export const isMap = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at `path` below `doc`; undefined where a step is missing or not a mapping. */
export function at(doc: Json | undefined, ...path: string[]): Json | undefined {
  let value = doc;
  for (const key of path) {
    if (!isMap(value)) return undefined;
    value = value[key];
  }
  return value;
}
