import type { SourceLocation } from './types.js';

/**
 * The kinds of failure, named as reclass 1.7 names them where reclass has the same
 * failure, so that users can search for either tool's message.
 * @example
 * if (e instanceof ReclassNetError && e.kind === 'ClassNotFound') console.error('misspelt class?');
 */
export type ErrorKind =
  // reclass's own kinds
  | 'ClassNotFound'
  | 'ClassNameResolveError'
  | 'InvQueryClassNotFound'
  | 'InvQueryClassNameResolveError'
  | 'InvQueryError'
  | 'NodeNotFound'
  | 'ResolveError'
  | 'InfiniteRecursion'
  | 'BadReferencesError'
  | 'TypeMergeError'
  | 'ChangedConstantError'
  | 'ParseError'
  | 'ExpressionError'
  | 'InvalidClassnameError'
  | 'DuplicateNodeNameError'
  | 'MappingFormatError'
  | 'ConfigError'
  // kinds reclass does not have, or crashes on
  | 'ClassCycle'
  | 'NestingTooDeep'
  | 'SymlinkLoop'
  | 'YamlError'
  | 'AmbiguousNodeName'
  | 'NetworkValidationError'
  | 'UsageError'
  | 'OutputError'
  | 'LimitExceeded'
  | 'ServeError';

/**
 * What an error is about: the node, the chain of classes that led there, and a position.
 * @example
 * const { node, classChain, location, path } = (e as ReclassNetError).context;
 * console.error(`${node}: ${classChain?.join(' -> ')} at ${location?.file}:${location?.line} (${path})`);
 */
export interface ErrorContext {
  node?: string;
  /** Classes from the node down to the class where the problem is, outermost first. */
  classChain?: string[];
  location?: SourceLocation;
  /** The parameter path the error concerns, as reclass prints it (`a:b:c`). */
  path?: string;
}

/**
 * Every failure reclass-net reports on purpose. `message` is one paragraph meant for the
 * person who wrote the model; `kind` is stable for programs.
 * @example
 * try {
 *   await inv.node('cmp01');
 * } catch (e) {
 *   if (!(e instanceof ReclassNetError)) throw e;
 *   console.error(e.kind, e.detail, e.context.location);
 * }
 */
export class ReclassNetError extends Error {
  readonly kind: ErrorKind;
  readonly context: ErrorContext;
  /** The bare description, without the context sentences that `message` adds. */
  readonly detail: string;

  constructor(kind: ErrorKind, detail: string, context: ErrorContext = {}) {
    super(formatMessage(kind, detail, context));
    this.name = kind;
    this.kind = kind;
    this.detail = detail;
    this.context = { ...context };
  }

  /**
   * Fills in context that an outer stage knows and the thrower did not (the node, the class
   * chain); what is already known is kept. Returns this error, for `throw err.addContext(...)`.
   */
  addContext(more: ErrorContext): this {
    const ctx = this.context;
    ctx.node ??= more.node;
    ctx.classChain ??= more.classChain;
    ctx.location ??= more.location;
    ctx.path ??= more.path;
    this.message = formatMessage(this.kind, this.detail, this.context);
    return this;
  }
}

/**
 * A problem found while validating a node's network pillar, before anything is rendered.
 * @example
 * try {
 *   renderNetwork(node);
 * } catch (e) {
 *   if (e instanceof NetworkValidationError) for (const p of e.problems) console.error(p);
 * }
 */
export class NetworkValidationError extends ReclassNetError {
  /** Every problem found, each already a one-line description. */
  readonly problems: string[];
  constructor(detail: string, context: ErrorContext = {}, problems: string[] = [detail]) {
    super('NetworkValidationError', detail, context);
    this.problems = problems;
  }
}

function formatMessage(kind: ErrorKind, detail: string, context: ErrorContext): string {
  const parts = [`${kind}: ${detail}`];
  if (context.path) parts.push(`at parameter ${context.path}`);
  if (context.location) {
    const { file, line, column } = context.location;
    parts.push(`in ${file}${line ? `:${line}:${column}` : ''}`);
  }
  if (context.node) parts.push(`for node ${context.node}`);
  if (context.classChain && context.classChain.length > 0) {
    parts.push(`via classes ${context.classChain.join(' -> ')}`);
  }
  return parts.join(', ');
}
