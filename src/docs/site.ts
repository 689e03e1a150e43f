/**
 * Everything the documentation shows, gathered once from an inventory into plain data (the
 * "site"), so the HTML and Markdown writers present the same content and only differ in
 * syntax. Nothing here escapes: model text stays raw until a writer escapes it for its format.
 */
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { ReclassNetError } from '../errors.js';
import type { Inventory } from '../api/inventory.js';
import { loadYaml } from '../inventory/yaml.js';
import { toPlain } from '../inventory/plain.js';
import { analyzeNetwork, formatProblem, type NetworkProblem } from '../network/index.js';
import { formatCidr } from '../network/ipv4.js';
import type { NetworkModel } from '../network/types.js';
import type { ResolvedNode, Value } from '../types.js';
import { publishedRoot, withoutMachinePaths } from '../publish/paths.js';
import { configuredSecretWords, makeRedactor, REDACTED, type Redactor } from '../publish/redact.js';
import { classParameters, type ClassParameter } from './class-values.js';
import { readClassFiles, withRealChains, type ClassFile } from './class-files.js';
import { collectNetworks, hostLinks, type HostLink, type NetworkView } from './networks.js';
import { displayPath, interfaceRows, type InterfaceRow } from './provenance.js';
import { topologyDot, topologySvg } from './topology.js';
import { vmPlacement } from './placement.js';

/** A class as one node includes it. */
export interface ClassTreeEntry {
  name: string;
  /** Classes from the node down to the one that included this class, outermost first. */
  via: string[];
  /** The class file relative to the inventory, or '' when the class is missing. */
  file: string;
}

/** A validation problem as a page shows it. */
export interface ProblemView {
  severity: 'error' | 'warning';
  /** The device name of the interface it concerns, '' for the network as a whole. */
  iface: string;
  /** The whole problem: node, interface, key, message and the file that set the value. */
  text: string;
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
  /** The errors that stop a render of this node (empty when it renders). */
  problems: string[];
  /** Every validation problem, errors and warnings, with the interface it concerns. */
  problemList: ProblemView[];
  networkEnabled: boolean;
  bridgeBackend: string;
  /** The topology as inline SVG (drawn as far as the model could be built, problems marked). */
  svg: string;
  /** The Graphviz source of the picture, for readers who want to re-lay it out. */
  dot: string;
  /** Where the node's interfaces sit on the site's networks. */
  links: HostLink[];
  /** VMs this node carries as a KVM host, by full node name when the site has them. */
  vms: string[];
  /** The KVM host this node runs on, when the model places it. */
  kvmHost: string;
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
  /** Each value the class writes, as written and as resolved on the nodes that use it. */
  parameters: ClassParameter[];
  /** Nodes that use the class, directly or through other classes. */
  nodes: Array<{ name: string; via: string[] }>;
  /**
   * The same nodes grouped by the chain of classes that brought the class in, most nodes
   * first: a class used by a thousand nodes through a few chains shows each chain once.
   */
  viaGroups: Array<{ via: string[]; nodes: string[] }>;
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
  networks: NetworkView[];
  /** Nodes that failed to resolve at all, with the error; they get no page. */
  failures: Array<{ name: string; error: string }>;
  /** Parameter delimiter of the inventory (`:`). */
  delimiter: string;
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

/** The classes a node file names itself (the rest came through other classes). */
async function ownClasses(inv: Inventory, file: string): Promise<string[]> {
  try {
    const listed = get(toPlain(loadYaml(await readFile(file, 'utf8'), file, inv.settings.limits)), 'classes');
    return Array.isArray(listed) ? listed.map(String) : [];
  } catch {
    return []; // it resolved, so it was readable; a generated node has no file of its own
  }
}

function problemView(p: NetworkProblem, model: NetworkModel | undefined): ProblemView {
  const iface =
    p.interface === undefined ? '' : (model?.interfaces.find((i) => i.key === p.interface)?.name ?? p.interface);
  return { severity: p.severity, iface, text: formatProblem(p) };
}

async function nodeView(
  inv: Inventory,
  node: ResolvedNode,
  files: ReadonlyMap<string, ClassFile>,
  redactor: Redactor,
): Promise<NodeView> {
  const root = inv.config.root;
  const shortName = node.name.split('.')[0];
  const sysDomain = get(node.parameters, 'linux', 'system', 'domain');
  const domain =
    typeof sysDomain === 'string'
      ? sysDomain
      : node.name.includes('.')
        ? node.name.slice(node.name.indexOf('.') + 1)
        : '';
  const tree = withRealChains(node.classTree, files, await ownClasses(inv, node.file));
  const withChains = { ...node, classTree: tree };
  const cluster = clusterOf(withChains, domain);
  // analyzeNetwork builds the model as far as it can and returns the problems beside it, so a
  // node whose pillar does not validate still gets its picture and table, problems marked.
  let model: NetworkModel | undefined;
  let problemList: ProblemView[] = [];
  try {
    const analysis = analyzeNetwork(node);
    model = analysis.model;
    problemList = analysis.problems.map((p) => problemView(p, model));
  } catch (e) {
    if (!(e instanceof ReclassNetError)) throw e;
    problemList = [{ severity: 'error', iface: '', text: e.message }];
  }
  const interfaces = model?.interfaces ?? [];
  const marked = new Set(problemList.filter((p) => p.iface).map((p) => p.iface));
  const rows = interfaceRows(node, interfaces, root, inv.settings.delimiter, redactor);
  for (const row of rows) row.problems = problemList.filter((p) => p.iface === row.name).map((p) => p.text);
  return {
    name: node.name,
    short: shortName,
    domain,
    cluster,
    role: roleOf(withChains, cluster),
    environment: node.environment,
    file: displayPath(root, node.file),
    applications: node.applications,
    classTree: tree.map((c) => ({ name: c.name, via: c.via, file: c.file ? displayPath(root, c.file) : '' })),
    addresses: interfaces.flatMap((i) => (i.address ? [`${i.name} ${formatCidr(i.address)}`] : [])),
    interfaces: rows,
    interfaceNames: interfaces.map((i) => i.name),
    problems: problemList.filter((p) => p.severity === 'error').map((p) => p.text),
    problemList,
    networkEnabled: model?.enabled ?? true,
    bridgeBackend: model?.bridgeBackend ?? '',
    svg: model ? await topologySvg(model, { problems: marked }) : '',
    dot: model ? topologyDot(model, { problems: marked }) : '',
    links: model ? hostLinks(node, model, root, inv.settings.delimiter) : [],
    vms: [],
    kvmHost: '',
  };
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

function classView(
  inv: Inventory,
  name: string,
  file: ClassFile | undefined,
  users: ClassView['nodes'],
  resolved: ReadonlyMap<string, ResolvedNode>,
  redactor: Redactor,
): ClassView {
  const view: ClassView = {
    name,
    file: file?.file ? displayPath(inv.config.root, file.file) : '',
    includes: file?.includes ?? [],
    applications: file?.applications ?? [],
    parametersYaml: '',
    parameters: [],
    nodes: users,
    viaGroups: groupByVia(users),
    problem: file?.problem ?? '',
  };
  const parameters = file?.parameters;
  if (parameters !== undefined) {
    view.parametersYaml = stringify(redactor.value(['parameters'], parameters), { lineWidth: 0 });
    const nodes = users.map((u) => resolved.get(u.name)).filter((n): n is ResolvedNode => n !== undefined);
    view.parameters = classParameters(parameters, nodes, inv.settings.delimiter, redactor);
  }
  return view;
}

async function gather(
  inv: Inventory,
  results: Map<string, ResolvedNode | ReclassNetError>,
  redactor: Redactor,
): Promise<DocsSite> {
  const nodes: NodeView[] = [];
  const failures: DocsSite['failures'] = [];
  const resolved = new Map<string, ResolvedNode>();
  for (const [name, r] of results) if (!(r instanceof ReclassNetError)) resolved.set(name, r);
  const used = new Set([...resolved.values()].flatMap((n) => n.classTree.map((c) => c.name)));
  const files = await readClassFiles(inv, [...new Set([...inv.classNames(), ...used])].sort());
  const users = new Map<string, ClassView['nodes']>();
  for (const [name, r] of results) {
    if (r instanceof ReclassNetError) {
      failures.push({ name, error: r.message });
      continue;
    }
    const view = await nodeView(inv, r, files, redactor);
    nodes.push(view);
    for (const c of view.classTree) {
      let list = users.get(c.name);
      if (!list) users.set(c.name, (list = []));
      list.push({ name: view.name, via: c.via });
    }
  }
  const placement = vmPlacement(
    resolved.values(),
    nodes.map((n) => n.name),
  );
  for (const n of nodes) {
    n.vms = placement.vms.get(n.name) ?? [];
    n.kvmHost = placement.host.get(n.name) ?? '';
  }
  const classes = [...files.keys()].map((name) =>
    classView(inv, name, files.get(name), users.get(name) ?? [], resolved, redactor),
  );
  const byCluster = new Map<string, NodeView[]>();
  for (const n of nodes) byCluster.set(n.cluster, [...(byCluster.get(n.cluster) ?? []), n]);
  const clusters = [...byCluster.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, members]) => ({ name, nodes: members.sort((a, b) => a.name.localeCompare(b.name)) }));
  return {
    root: publishedRoot(inv.config.root),
    nodes,
    clusters,
    classes,
    networks: collectNetworks(nodes),
    failures,
    delimiter: inv.settings.delimiter,
  };
}

function groupByVia(users: ClassView['nodes']): ClassView['viaGroups'] {
  const groups = new Map<string, { via: string[]; nodes: string[] }>();
  for (const user of users) {
    const key = JSON.stringify(user.via);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { via: user.via, nodes: [] }));
    group.nodes.push(user.name);
  }
  for (const group of groups.values()) group.nodes.sort();
  return [...groups.values()].sort((a, b) => b.nodes.length - a.nodes.length || a.nodes[0].localeCompare(b.nodes[0]));
}
