/**
 * Everything the documentation shows, gathered once from an inventory into plain data (the
 * "site"), so the HTML and Markdown writers present the same content and only differ in
 * syntax. Nothing here escapes: model text stays raw until a writer escapes it for its format.
 */
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { ReclassNetError } from '../errors.js';
import type { Inventory } from '../inventory/open.js';
import { loadYaml } from '../inventory/yaml.js';
import { toPlain } from '../inventory/plain.js';
import { formatCidr } from '../network/ipv4.js';
import type { NetworkModel } from '../network/types.js';
import { renderNetwork } from '../render/render.js';
import type { ResolvedNode, Value } from '../types.js';
import { publishedRoot, withoutMachinePaths } from '../publish/paths.js';
import { configuredSecretWords, makeRedactor, REDACTED, type Redactor } from '../publish/redact.js';
import { displayPath, interfaceRows, type InterfaceRow } from './provenance.js';
import { topologyDot, topologySvg } from './topology.js';

/** A class as one node includes it. */
export interface ClassTreeEntry {
  name: string;
  /** Classes from the node down to the one that included this class, outermost first. */
  via: string[];
  /** The class file relative to the inventory, or '' when the class is missing. */
  file: string;
}

/** Everything a node page shows. */
export interface NodeView {
  name: string;
  short: string;
  domain: string;
  cluster: string;
  /** The node's own cluster classes without the `cluster.NAME.` prefix (e.g. `openstack.compute`). */
  role: string;
  environment: string;
  file: string;
  applications: string[];
  classTree: ClassTreeEntry[];
  /** `DEVICE ADDRESS/PREFIX` for every address the node's network assigns. */
  addresses: string[];
  interfaces: InterfaceRow[];
  /** Interface names as they appear in the topology picture. */
  interfaceNames: string[];
  /** Why the network could not be documented (validation problems), if it could not. */
  problems: string[];
  networkEnabled: boolean;
  bridgeBackend: string;
  /** The topology as inline SVG; '' when the network could not be built. */
  svg: string;
  /** The Graphviz source of the picture, for readers who want to re-lay it out. */
  dot: string;
}

/** Everything a class page shows. */
export interface ClassView {
  name: string;
  /** Relative file, or '' when no node found the class (missing with ignore_class_notfound). */
  file: string;
  /** `classes:` as written in the file. */
  includes: string[];
  applications: string[];
  /** `parameters:` as written (references not interpolated), dumped as YAML. */
  parametersYaml: string;
  /** Nodes that use the class, directly or through other classes. */
  nodes: Array<{ name: string; via: string[] }>;
  /** Why the class file could not be shown, if it could not. */
  problem: string;
}

export interface ClusterView {
  name: string;
  nodes: NodeView[];
}

/** The whole documentation of an inventory. */
export interface DocsSite {
  root: string;
  nodes: NodeView[];
  clusters: ClusterView[];
  classes: ClassView[];
  /** Nodes that failed to resolve at all, with the error; they get no page. */
  failures: Array<{ name: string; error: string }>;
}

function get(value: Value | undefined, ...path: string[]): Value | undefined {
  let cur = value;
  for (const key of path) cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? cur[key] : undefined;
  return cur;
}

/** The cluster a node belongs to: the first `cluster.X` class it uses, else its domain. */
function clusterOf(node: ResolvedNode, domain: string): string {
  for (const c of node.classTree) {
    const m = /^cluster\.([^.]+)/.exec(c.name);
    if (m) return m[1];
  }
  return domain || '(no cluster)';
}

function roleOf(node: ResolvedNode, cluster: string): string {
  const own = node.classTree.filter((c) => c.via.length === 0).map((c) => c.name);
  const prefix = `cluster.${cluster}.`;
  const roles = own.filter((c) => c.startsWith(prefix)).map((c) => c.slice(prefix.length));
  return (roles.length > 0 ? roles : own).join(', ');
}

async function nodeView(inv: Inventory, node: ResolvedNode, redactor: Redactor): Promise<NodeView> {
  const root = inv.config.root;
  const shortName = node.name.split('.')[0];
  const sysDomain = get(node.parameters, 'linux', 'system', 'domain');
  const domain = typeof sysDomain === 'string' ? sysDomain : node.name.includes('.') ? node.name.slice(node.name.indexOf('.') + 1) : '';
  const cluster = clusterOf(node, domain);
  let model: NetworkModel | undefined;
  let problems: string[] = [];
  try {
    model = renderNetwork(node).model;
  } catch (e) {
    if (!(e instanceof ReclassNetError)) throw e;
    problems = 'problems' in e && Array.isArray(e.problems) ? (e.problems as string[]) : [e.message];
  }
  const interfaces = model?.interfaces ?? [];
  const dot = model ? topologyDot(model) : '';
  return {
    name: node.name,
    short: shortName,
    domain,
    cluster,
    role: roleOf(node, cluster),
    environment: node.environment,
    file: displayPath(root, node.file),
    applications: node.applications,
    classTree: node.classTree.map((c) => ({ name: c.name, via: c.via, file: c.file ? displayPath(root, c.file) : '' })),
    addresses: interfaces.filter((i) => i.address).map((i) => `${i.name} ${formatCidr(i.address!)}`),
    interfaces: interfaceRows(node, interfaces, root, inv.settings.delimiter, redactor),
    interfaceNames: interfaces.map((i) => i.name),
    problems,
    networkEnabled: model?.enabled ?? true,
    bridgeBackend: model?.bridgeBackend ?? '',
    svg: model ? await topologySvg(model) : '',
    dot,
  };
}

function stringList(value: Value | undefined): string[] {
  return Array.isArray(value) ? value.filter((v) => v !== null).map(String) : [];
}

async function classView(inv: Inventory, name: string, users: ClassView['nodes'], redactor: Redactor): Promise<ClassView> {
  const file = inv.classFile(name);
  const view: ClassView = { name, file: '', includes: [], applications: [], parametersYaml: '', nodes: users, problem: '' };
  if (!file) {
    view.problem = 'the class has no file in this inventory (a node names it, and ignore_class_notfound skipped it)';
    return view;
  }
  view.file = displayPath(inv.config.root, file);
  try {
    const data = toPlain(loadYaml(await readFile(file, 'utf8'), file, inv.settings.limits));
    view.includes = stringList(get(data, 'classes'));
    view.applications = stringList(get(data, 'applications'));
    const parameters = get(data, 'parameters');
    view.parametersYaml =
      parameters === undefined || parameters === null ? '' : stringify(redactor.value(['parameters'], parameters), { lineWidth: 0 });
  } catch (e) {
    view.problem = `the class file cannot be read: ${(e as Error).message}`;
  }
  return view;
}

/** Options of {@link collectSite}. */
export interface SiteOptions {
  /** Include the values of secret-named keys (publish/redact.ts); default false. */
  showSecrets?: boolean;
}

/**
 * Resolves every node and gathers what the pages show. Nodes that fail to resolve are
 * listed, not fatal. Secret values are redacted (unless `showSecrets`) and no absolute
 * path of the machine is kept.
 */
export async function collectSite(inv: Inventory, options: SiteOptions = {}): Promise<DocsSite> {
  const redactor = makeRedactor(configuredSecretWords(inv.config.options), !options.showSecrets);
  // Every node first: a secret of one node may turn up in another's page (a reference, an
  // error message), so all must be known before any text is scrubbed.
  const results = new Map<string, ResolvedNode | ReclassNetError>();
  for (const name of inv.nodeNames()) {
    try {
      const resolved = await inv.node(name);
      redactor.collect(resolved.parameters);
      redactor.collect(resolved.exports);
      results.set(name, resolved);
    } catch (e) {
      if (!(e instanceof ReclassNetError)) throw e;
      results.set(name, e);
    }
  }
  const site = await gather(inv, results, redactor);
  const dirs = [inv.config.nodesDir, inv.config.classesDir, ...inv.config.classPaths.map((p) => p.dir)];
  return scrubbed(site, (text) => withoutMachinePaths(redactor.text(text), inv.config.root, dirs)) as DocsSite;
}

/**
 * Every string of the site passed through `clean`. The SVG is markup already: its text was
 * XML-escaped, so the redaction mark goes in escaped too.
 */
function scrubbed(value: unknown, clean: (text: string) => string, key = ''): unknown {
  if (typeof value === 'string') {
    const out = clean(value);
    return key === 'svg' ? out.split(REDACTED).join('&lt;redacted&gt;') : out;
  }
  if (Array.isArray(value)) return value.map((v) => scrubbed(v, clean));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubbed(v, clean, k);
    return out;
  }
  return value;
}

async function gather(inv: Inventory, results: Map<string, ResolvedNode | ReclassNetError>, redactor: Redactor): Promise<DocsSite> {
  const nodes: NodeView[] = [];
  const failures: DocsSite['failures'] = [];
  const users = new Map<string, ClassView['nodes']>();
  for (const [name, resolved] of results) {
    if (resolved instanceof ReclassNetError) {
      failures.push({ name, error: resolved.message });
      continue;
    }
    const view = await nodeView(inv, resolved, redactor);
    nodes.push(view);
    for (const c of view.classTree) {
      if (!users.has(c.name)) users.set(c.name, []);
      users.get(c.name)!.push({ name: view.name, via: c.via });
    }
  }
  const names = [...new Set([...inv.classNames(), ...users.keys()])].sort();
  const classes: ClassView[] = [];
  for (const name of names) classes.push(await classView(inv, name, users.get(name) ?? [], redactor));
  const byCluster = new Map<string, NodeView[]>();
  for (const n of nodes) byCluster.set(n.cluster, [...(byCluster.get(n.cluster) ?? []), n]);
  const clusters = [...byCluster.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, members]) => ({ name, nodes: members.sort((a, b) => a.name.localeCompare(b.name)) }));
  return { root: publishedRoot(inv.config.root), nodes, clusters, classes, failures };
}
