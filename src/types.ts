/**
 * Plain data shared by every pipeline stage. Resolution produces these; the network
 * model, the renderers and the docs only ever read them.
 */

/**
 * A parameter value as reclass produces it: YAML data after merging and interpolation.
 * @example
 * const v: Value = { interface: { eth0: { mtu: 9000, use_interfaces: ['eno1'] } } };
 */
export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/**
 * A mapping of parameter values.
 * @example
 * const params: ValueMap = (await inv.node('cmp01')).parameters;
 * const linux = params.linux; // a Value
 */
export type ValueMap = { [key: string]: Value };

/**
 * Where a piece of data was written: a file and a 1-based line and column.
 * @example
 * const where: SourceLocation = { file: 'classes/system/linux/network/defaults.yml', line: 9, column: 15 };
 * console.log(`${where.file}:${where.line}:${where.column}`);
 */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * One step in the history of a parameter value, oldest first (see {@link Provenance}).
 * @example
 * const [first] = node.provenance(['linux', 'network', 'interface', 'bond0', 'mtu']);
 * // { kind: 'set', source: 'system.linux.network.interface.bond',
 * //   location: { file: '.../bond.yml', line: 32, column: 16 }, value: '${_param:bond_mtu}' }
 */
export interface ProvenanceStep {
  /** `set` the first time a value appears, `merge` when a later class merges into it,
   * `override` when a later class replaces it, `reference` when it came through `${...}`. */
  kind: 'set' | 'merge' | 'override' | 'reference';
  /** The class (or node) whose file wrote the value; `reference` steps name the referenced path. */
  source: string;
  location?: SourceLocation;
  /** For `reference` steps: the `${...}` path the value was interpolated through. */
  reference?: string;
  /** The value this step contributed, before later steps. */
  value?: Value;
}

/**
 * Answers "where did this value come from": given a parameter path (keys, list indexes as
 * numbers), the steps that produced the final value, oldest first. Empty when unknown.
 * @example
 * for (const step of node.provenance(['linux', 'network', 'interface', 'br-mgmt', 'use_interfaces', 0])) {
 *   console.log(step.kind, step.source, step.location?.line, step.reference ?? step.value);
 * }
 */
export type Provenance = (path: readonly (string | number)[]) => ProvenanceStep[];

/**
 * A node resolved as reclass 1.7 resolves it (`reclass -n NAME`).
 * @example
 * const node: ResolvedNode = await inv.node('cmp01');
 * console.log(node.name, node.classes.length, node.parameters._param);
 */
export interface ResolvedNode {
  /** The node's full name, as reclass names it (file name, or composed name). */
  name: string;
  classes: string[];
  applications: string[];
  parameters: ValueMap;
  exports: ValueMap;
  environment: string;
  /** The node file. */
  file: string;
  /** Where each parameter value was set, merged, overridden and referenced. */
  provenance: Provenance;
  /** Each class in resolution order, with the classes that pulled it in and its file. */
  classTree: ClassSource[];
}

/**
 * A class as one node saw it: the chain that included it and the file it came from.
 * @example
 * for (const c of (await inv.node('cmp01')).classTree) {
 *   console.log(c.name, 'via', c.via.join(' -> ') || '(the node)', c.file ?? '(missing)');
 * }
 */
export interface ClassSource {
  name: string;
  /** The classes from the node down to this class's includer, outermost first. */
  via: string[];
  /** The class file, or null when the class was missing and `ignore_class_notfound` skipped it. */
  file: string | null;
}
