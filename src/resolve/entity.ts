/**
 * A class or node file after loading (reclass's Entity): its class list, applications,
 * parameters and exports, merged into the node's result class by class.
 */
import { ReclassNetError } from '../errors.js';
import type { LoadedFile } from '../inventory/storage.js';
import { positionOf, type RawMap } from '../inventory/yaml.js';
import { COPYING } from './copying.js';
import type { TreeSharing } from './hooks.js';
import { Parameters } from './parameters.js';
import { pyStr } from './pyvalue.js';
import type { Settings } from './settings.js';
import type { Origin } from './values.js';

/** reclass refuses these characters in class names (a space, and the path separator). */
const INVALID_CLASSNAME_CHARACTERS = [' ', '/'];

/** An ordered set of class names (reclass's Classes). */
class ClassList {
  readonly items: string[] = [];
  private readonly seen = new Set<string>();

  add(name: unknown): void {
    if (typeof name !== 'string') {
      throw new ReclassNetError('InvalidClassnameError', `class names must be strings, not ${JSON.stringify(name)}`);
    }
    for (let i = 0; i < INVALID_CLASSNAME_CHARACTERS.length; i++) {
      const ch = INVALID_CLASSNAME_CHARACTERS[i];
      if (name.includes(ch))
        throw new ReclassNetError('InvalidClassnameError', `invalid character '${ch}' in class name '${name}'`);
    }
    if (!this.seen.has(name)) {
      this.seen.add(name);
      this.items.push(name);
    }
  }

  /** Adds the classes of `other` not listed yet. They were checked when `other` took
   * them: a node merges the whole class list of its classes, so this runs for every class
   * of every node. */
  mergeUnique(other: ClassList): void {
    const { items } = other;
    // Indexed: see Parameters.interpolateReferences.
    for (let i = 0; i < items.length; i++) {
      const name = items[i];
      if (!this.seen.has(name)) {
        this.seen.add(name);
        this.items.push(name);
      }
    }
  }
}

/** Applications: like classes, but `~app` removes an application added before. */
class ApplicationList {
  readonly items: string[] = [];
  readonly negations: string[] = [];

  add(name: unknown): void {
    if (typeof name !== 'string') {
      throw new ReclassNetError(
        'InvalidClassnameError',
        `application names must be strings, not ${JSON.stringify(name)}`,
      );
    }
    if (name.startsWith('~')) {
      const removed = name.slice(1);
      this.negations.push(removed);
      this.remove(removed);
    } else if (!this.items.includes(name)) {
      this.items.push(name);
    }
  }

  private remove(name: string): void {
    const i = this.items.indexOf(name);
    if (i >= 0) this.items.splice(i, 1);
  }

  mergeUnique(other: ApplicationList): void {
    other.negations.forEach((n) => this.remove(n));
    other.items.forEach((n) => this.add(n));
  }
}

export class Entity {
  readonly classes = new ClassList();
  readonly applications = new ApplicationList();
  readonly parameters: Parameters;
  readonly exports: Parameters;
  environment: string | null;

  constructor(
    readonly settings: Settings,
    public name: string,
    public origin: Origin | undefined,
    init: {
      classes?: string[];
      applications?: string[];
      parameters?: Parameters;
      exports?: Parameters;
      environment?: string | null;
      /** The node file's path below the nodes directory, without extension. */
      pathname?: string;
    } = {},
    trees: TreeSharing = COPYING,
  ) {
    init.classes?.forEach((c) => this.classes.add(c));
    init.applications?.forEach((a) => this.applications.add(a));
    this.parameters = init.parameters ?? new Parameters(null, settings, origin, trees);
    this.exports = init.exports ?? new Parameters(null, settings, origin, trees);
    this.environment = init.environment ?? null;
    this.pathname = init.pathname ?? '';
  }

  readonly pathname: string;

  merge(other: Entity): void {
    this.classes.mergeUnique(other.classes);
    this.applications.mergeUnique(other.applications);
    this.parameters.merge(other.parameters);
    this.exports.merge(other.exports);
    this.name = other.name;
    this.origin = other.origin;
    if (other.environment !== null) this.environment = other.environment;
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

/** The entity of a node or class file (reclass's YamlData.get_entity). */
export function entityOf(loaded: LoadedFile, settings: Settings, trees: TreeSharing = COPYING): Entity {
  const { name, file, data } = loaded;
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
    return new Entity(
      settings,
      name,
      origin,
      {
        classes: relativeClassNames(name, listOfStrings(data, 'classes', file)),
        applications: listOfStrings(data, 'applications', file),
        parameters: new Parameters(section('parameters'), settings, origin, trees),
        exports: new Parameters(section('exports'), settings, origin, trees),
        // reclass str()s whatever the file gives.
        environment: environment === undefined || environment === null ? null : pyStr(environment),
        pathname: loaded.pathname,
      },
      trees,
    );
  } catch (e) {
    if (e instanceof ReclassNetError) throw e.addContext({ location: { file, line: 0, column: 0 } });
    throw e;
  }
}
