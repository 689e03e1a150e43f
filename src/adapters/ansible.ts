/**
 * What reclass 1.7's Ansible adapter (reclass/adapters/ansible.py, `reclass-ansible`)
 * prints as a dynamic inventory: `--list` (groups) and `--host` (a host's variables).
 */
import { ReclassNetError } from '../errors.js';
import { reclassMetadata, type Inventory, type RawNode } from '../api/inventory.js';

/** reclass-ansible's default: application `foo` becomes group `foo_hosts`. */
const DEFAULT_APPLICATIONS_POSTFIX = '_hosts';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Python's `time.strftime('%c')` in the C locale (Python never calls setlocale): `Tue Jun  4 09:05:01 2024`. */
function pythonCTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getDay()]} ${MONTHS[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())} ${date.getFullYear()}`
  );
}

/**
 * `--host NAME`: the parameters with reclass's `__reclass__` block (node, name, uri,
 * environment, timestamp) plus the classes and applications, assigned last as the adapter
 * does. The parameters are shared read-only data, hence the copy.
 */
export function ansibleHost(node: RawNode, now: Date = new Date()): Map<string, unknown> {
  const vars = new Map(node.parameters);
  const meta = reclassMetadata(node);
  meta.set('timestamp', pythonCTime(now));
  meta.set('classes', node.classes);
  meta.set('applications', node.applications);
  vars.set('__reclass__', meta);
  return vars;
}

export interface AnsibleListOptions {
  /** Appended to each application to name its group; '' uses the bare application name. */
  applicationsPostfix?: string;
  /** Add `_meta.hostvars` (every host's `--host` data), so Ansible need not run the
   * inventory once per host. reclass 1.7 does not print it. */
  meta?: boolean;
  now?: Date;
}

/**
 * `--list`: a group per class, then a group per application (with the postfix), each
 * listing its hosts in inventory order. An application group named like a class replaces
 * that class's hosts in place, as the adapter's dict.update does.
 */
export function ansibleList(inv: Inventory, options: AnsibleListOptions = {}): Map<string, unknown> {
  const { applicationsPostfix = DEFAULT_APPLICATIONS_POSTFIX, meta = true, now = new Date() } = options;
  const classes = new Map<string, string[]>();
  const applications = new Map<string, string[]>();
  const hostvars = new Map<string, unknown>();
  const add = (map: Map<string, string[]>, key: string, host: string) => {
    const hosts = map.get(key);
    if (hosts) hosts.push(host);
    else map.set(key, [host]);
  };
  // One resolution per node serves the groups and the host variables.
  for (const name of inv.nodeNames()) {
    const node = inv.rawNode(name);
    node.applications.forEach((a) => add(applications, a, node.name));
    node.classes.forEach((c) => add(classes, c, node.name));
    if (meta) hostvars.set(node.name, ansibleHost(node, now));
  }
  const groups = new Map<string, unknown>(classes);
  for (const [app, hosts] of applications) groups.set(app + applicationsPostfix, hosts);
  if (meta) groups.set('_meta', new Map([['hostvars', hostvars]]));
  return groups;
}

/** The postfix the inventory's reclass-config.yml sets (`applications_postfix`), else reclass-ansible's default. */
export function configuredPostfix(inv: Inventory): string {
  const value = inv.config.options.applications_postfix;
  if (value === undefined) return DEFAULT_APPLICATIONS_POSTFIX;
  // reclass: `if options.applications_postfix:`, so an empty or null postfix means none.
  if (typeof value === 'string') return value;
  if (value === null || value === false) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // reclass fails on `app + postfix` here with a Python TypeError; say what is wrong instead.
  throw new ReclassNetError('ConfigError', 'applications_postfix in reclass-config.yml must be a string');
}
