/**
 * JSON Schema of salt-formula-linux's `linux:network` pillar, as far as reclass-net renders it.
 * Real models carry many keys for other states (hostname, host, dpdk, ipflush_onchange, ...):
 * unknown keys are allowed and ignored, known keys must have the right shape. YAML 1.1
 * scalars arrive typed (`mtu: 9000` is a number, `mtu: "9000"` a string), so numbers also
 * accept numeric strings; `normalize.ts` turns both into numbers.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ProblemSink } from './problems.js';

const stringList = { type: 'array', items: { type: 'string' } } as const;
const stringOrList = { anyOf: [{ type: 'string' }, stringList] } as const;
const integerLike = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+$' }] } as const;
const scalar = { type: ['string', 'number', 'boolean'] } as const;

export const INTERFACE_TYPES = ['eth', 'slave', 'bond', 'vlan', 'bridge', 'ovs_bridge', 'ovs_port', 'ovs_bond'] as const;

const route = {
  type: 'object',
  required: ['address', 'netmask'],
  properties: {
    address: { type: 'string' },
    netmask: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    gateway: { type: 'string' },
  },
} as const;

const iface = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string' },
    name: { type: 'string' },
    enabled: { type: 'boolean' },
    managed: { type: 'boolean' },
    proto: { enum: ['static', 'dhcp', 'manual'] },
    address: { type: 'string' },
    netmask: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    gateway: { type: 'string' },
    metric: integerLike,
    mtu: integerLike,
    hwaddr: { type: 'string' },
    hwaddress: { type: 'string' },
    name_servers: stringList,
    'dns-search': stringOrList,
    use_interfaces: stringList,
    use_ovs_ports: stringList,
    ovs_bridge: { type: 'string' },
    bridge: { type: 'string' },
    peer: { type: 'string' },
    port_type: { enum: ['internal', 'patch'] },
    ovs_port_type: { enum: ['OVSIntPort', 'OVSPort', 'OVSPatchPort'] },
    tag: integerLike,
    ovs_options: { type: 'string' },
    ovs_extra: stringOrList,
    datapath_type: { type: 'string' },
    slaves: stringOrList,
    master: { type: 'string' },
    mode: scalar,
    miimon: integerLike,
    lacp_rate: scalar,
    'lacp-rate': scalar,
    'hashing-algorithm': { type: 'string' },
    ad_select: scalar,
    downdelay: integerLike,
    updelay: integerLike,
    primary: { type: 'string' },
    vlan_id: integerLike,
    vlan_raw_device: { type: 'string' },
    stp: { type: 'boolean' },
    maxwait: integerLike,
    route: { type: 'object', additionalProperties: route },
    pre_up_cmds: stringList,
    up_cmds: stringList,
    post_up_cmds: stringList,
    pre_down_cmds: stringList,
    down_cmds: stringList,
    post_down_cmds: stringList,
  },
} as const;

/**
 * The JSON Schema of `linux:network` (salt-formula-linux's keys that reclass-net renders).
 * @example
 * import { Ajv } from 'ajv';
 * const validate = new Ajv({ allowUnionTypes: true }).compile(linuxNetworkSchema);
 * validate((node.parameters.linux as any).network);
 */
export const linuxNetworkSchema = {
  $id: 'https://reclass-net.invalid/schema/linux-network.json',
  type: 'object',
  properties: {
    enabled: { type: 'boolean' },
    bridge: { enum: ['none', 'linuxbridge', 'openvswitch'] },
    interface: { type: 'object', additionalProperties: iface },
  },
} as const;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) compiled = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(linuxNetworkSchema);
  return compiled;
}

/**
 * Validates `linux:network` against the schema, reporting each violation to `sink`. Returns
 * false when the pillar is too broken to normalise (not a mapping, or an interface that is
 * not a mapping or has no type).
 */
export function checkSchema(pillar: unknown, sink: ProblemSink): boolean {
  const validate = validator();
  if (validate(pillar)) return true;
  const errors = simplify(validate.errors ?? []);
  for (const error of errors) {
    const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
    const message = describe(error);
    if (segments[0] === 'interface' && segments.length >= 2) {
      sink.iface(segments[1]!, segments.slice(2), message);
    } else {
      sink.network(segments, message);
    }
  }
  return false;
}

/** anyOf reports one error per branch plus its own; keep one message per location. */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (anyOfPaths.has(e.instancePath) && e.keyword !== 'anyOf') return false;
    const id = `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required':
      return `the required key "${String(params.missingProperty)}" is missing`;
    case 'type':
      return `must be ${String(params.type).replace(',', ' or ')}`;
    case 'anyOf': {
      const key = error.instancePath.split('/').pop() ?? '';
      if (['mtu', 'tag', 'metric', 'miimon', 'downdelay', 'updelay', 'vlan_id', 'maxwait'].includes(key)) {
        return 'must be a whole number';
      }
      if (key === 'netmask') return 'must be a netmask (255.255.255.0) or a prefix length (24)';
      return 'must be a string or a list of strings';
    }
    default:
      return error.message ?? 'is invalid';
  }
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
