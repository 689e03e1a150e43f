/**
 * Plain data shared by every pipeline stage. Resolution produces these; the network
 * model, the renderers and the docs only ever read them.
 */

/** A parameter value as reclass produces it: YAML data after merging and interpolation. */
export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** A mapping of parameter values. */
export type ValueMap = { [key: string]: Value };

/** Where a piece of data was written: a file and a 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** One step in the history of a parameter value, oldest first (see {@link Provenance}). */
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
 */
export type Provenance = (path: readonly (string | number)[]) => ProvenanceStep[];

/** A node resolved as reclass 1.7 resolves it (`reclass -n NAME`). */
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

/** A class as one node saw it: the chain that included it and the file it came from. */
export interface ClassSource {
  name: string;
  /** The classes from the node down to this class's includer, outermost first. */
  via: string[];
  /** The class file, or null when the class was missing and `ignore_class_notfound` skipped it. */
  file: string | null;
}
