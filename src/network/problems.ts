/**
 * Validation problems and how they are described. Every check reports through a
 * {@link ProblemSink} so that all problems of a node are collected before anything fails.
 */
import { NetworkValidationError } from '../errors.js';
import type { Provenance, SourceLocation } from '../types.js';

/** The parameter path of `linux:network`, under which every pillar path here starts. */
const NETWORK_PATH = ['linux', 'network'] as const;

/** Where a model declares its site design (see design.ts), beside linux:network. */
export const DESIGN_PATH = ['reclass_net', 'design'] as const;

/**
 * One problem of a node's network pillar, with the interface, key and the class file that set it.
 * @example
 * const p: NetworkProblem = collectNetworkProblems(node)[0];
 * console.error(p.interface, p.key, p.message, p.location?.file);
 */
export interface NetworkProblem {
  node: string;
  /**
   * `error`: the host would not come up as declared, so nothing is rendered. `warning`: the
   * render goes on (an unknown key, a host NIC the pillar does not declare); `--strict` makes
   * warnings errors.
   */
  severity: Severity;
  /** The interface's key under `linux:network:interface`, when the problem is about one. */
  interface?: string;
  /** The key inside the interface (or inside `linux:network`) the problem is about. */
  key?: string;
  /** Full parameter path, e.g. `['linux','network','interface','br-ex','mtu']`. */
  path: Array<string | number>;
  message: string;
  /** Where the value was set, when provenance knows it. */
  location?: SourceLocation;
  /** The class (or node) that set the value. */
  source?: string;
}

/**
 * How bad a problem is.
 * @example
 * const errors = problems.filter((p) => p.severity === 'error');
 */
export type Severity = 'error' | 'warning';

/** Collects problems for one node, attaching provenance as they come in. */
export class ProblemSink {
  readonly problems: NetworkProblem[] = [];
  constructor(
    readonly node: string,
    private readonly provenance?: Provenance,
  ) {}

  /** Reports a problem of interface `iface` (its pillar key), about `key` (a path inside it). */
  iface(
    iface: string,
    key: string | Array<string | number> | undefined,
    message: string,
    severity: Severity = 'error',
  ): void {
    const keyPath = key === undefined ? [] : Array.isArray(key) ? key : [key];
    this.add([...NETWORK_PATH, 'interface', iface, ...keyPath], message, iface, keyPath, severity);
  }

  /** Reports a problem of `linux:network` itself (`key` relative to it). */
  network(key: Array<string | number>, message: string, severity: Severity = 'error'): void {
    this.add([...NETWORK_PATH, ...key], message, undefined, key, severity);
  }

  /**
   * Reports a problem of the site design a model declares (`reclass_net:design`, `key`
   * relative to it): the key is given whole, as it lies outside `linux:network`.
   */
  design(key: Array<string | number>, message: string, severity: Severity = 'error'): void {
    const path = [...DESIGN_PATH, ...key];
    this.add(path, message, undefined, path, severity);
  }

  private add(
    path: Array<string | number>,
    message: string,
    iface: string | undefined,
    keyPath: Array<string | number>,
    severity: Severity,
  ): void {
    const origin = this.origin(path);
    const problem: NetworkProblem = { node: this.node, severity, path, message };
    if (iface !== undefined) problem.interface = iface;
    if (keyPath.length > 0) problem.key = keyPath.join(':');
    if (origin?.location) problem.location = origin.location;
    if (origin?.source) problem.source = origin.source;
    this.problems.push(problem);
  }

  /** The step that gave the value its final form; for a missing key, the nearest parent's. */
  private origin(path: Array<string | number>): { location?: SourceLocation; source?: string } | undefined {
    if (!this.provenance) return undefined;
    for (let end = path.length; end > NETWORK_PATH.length; end--) {
      let steps;
      try {
        steps = this.provenance(path.slice(0, end));
      } catch {
        return undefined; // provenance is a convenience; never let it hide the real problem
      }
      for (let i = steps.length - 1; i >= 0; i--) {
        const step = steps[i];
        if (step.kind === 'reference') continue;
        if (step.location || step.source) return { location: step.location, source: step.source };
      }
    }
    return undefined;
  }
}

/**
 * One line naming node, interface, key and origin, then the problem.
 * @example
 * collectNetworkProblems(node).map(formatProblem);
 * // ['node cmp01, interface br-mgmt, key use_interfaces:0: bridge member ens3 is not an interface of this node (set in ...)']
 */
export function formatProblem(p: NetworkProblem): string {
  const subject = [`${p.severity === 'warning' ? 'warning: ' : ''}node ${p.node}`];
  if (p.interface !== undefined) subject.push(`interface ${p.interface}`);
  if (p.key !== undefined) subject.push(`key ${p.key}`);
  let origin = '';
  if (p.location) {
    origin = ` (set in ${p.location.file}:${p.location.line}:${p.location.column}${p.source ? `, class ${p.source}` : ''})`;
  } else if (p.source) {
    origin = ` (set by ${p.source})`;
  }
  return `${subject.join(', ')}: ${p.message}${origin}`;
}

/**
 * The problems that stop a render: errors, and under `strict` warnings too.
 * @example
 * const blocking = blockingProblems(analyzeNetwork(node).problems, { strict: true });
 */
export function blockingProblems(problems: NetworkProblem[], options: { strict?: boolean } = {}): NetworkProblem[] {
  return options.strict ? problems : problems.filter((p) => p.severity === 'error');
}

/** The single error listing every problem of a node that stops its render. */
export function validationError(node: string, problems: NetworkProblem[]): NetworkValidationError {
  const lines = problems.map(formatProblem);
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const detail = `${count} in the linux:network pillar of node ${node}: ${lines.join('; ')}`;
  const first = problems[0];
  return new NetworkValidationError(
    detail,
    {
      node,
      path: first ? first.path.join(':') : 'linux:network',
      ...(first?.location ? { location: first.location } : {}),
    },
    lines,
  );
}
