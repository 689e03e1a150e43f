/**
 * A class or node file after loading (reclass's Entity): its class list, applications,
 * parameters and exports, merged into the node's result class by class.
 */
import { ReclassNetError } from '../errors.js';
import { Parameters } from './parameters.js';
import type { Settings } from './settings.js';
import type { Origin } from './values.js';

/** reclass refuses these characters in class names (a space, and the path separator). */
const INVALID_CLASSNAME_CHARACTERS = [' ', '/'];

/** An ordered set of class names (reclass's Classes). */
export class ClassList {
  readonly items: string[] = [];
  private readonly seen = new Set<string>();

  add(name: unknown): void {
    if (typeof name !== 'string') {
      throw new ReclassNetError('InvalidClassname', `class names must be strings, not ${JSON.stringify(name)}`);
    }
    for (const ch of INVALID_CLASSNAME_CHARACTERS) {
      if (name.includes(ch))
        throw new ReclassNetError('InvalidClassname', `invalid character '${ch}' in class name '${name}'`);
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
    for (const name of other.items) {
      if (!this.seen.has(name)) {
        this.seen.add(name);
        this.items.push(name);
      }
    }
  }
}

/** Applications: like classes, but `~app` removes an application added before. */
export class ApplicationList {
  readonly items: string[] = [];
  readonly negations: string[] = [];

  add(name: unknown): void {
    if (typeof name !== 'string') {
      throw new ReclassNetError('InvalidClassname', `application names must be strings, not ${JSON.stringify(name)}`);
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
    for (const n of other.negations) this.remove(n);
    for (const n of other.items) this.add(n);
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
  ) {
    init.classes?.forEach((c) => this.classes.add(c));
    init.applications?.forEach((a) => this.applications.add(a));
    this.parameters = init.parameters ?? new Parameters(null, settings, origin);
    this.exports = init.exports ?? new Parameters(null, settings, origin);
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
