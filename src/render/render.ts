/** A node's network pillar -> both host files, from one validated model. */
import { checkedAnalysis } from '../network/build.js';
import { ProblemSink, validationError, type NetworkProblem } from '../network/problems.js';
import type { NetworkBackend, NetworkModel, NetworkNode } from '../network/types.js';
import { renderHostFiles } from './host-files.js';
import { renderInterfaces } from './interfaces.js';
import { NETPLAN_PATH, netplanRefusals, renderNetplan } from './netplan.js';
import { ovsCommands, renderOvsScript } from './ovs.js';

/**
 * Relative paths of the rendered files, as they are laid out under `--out DIR/NODE/`.
 * @example
 * const text = renderNetwork(node).files[INTERFACES_PATH];
 */
export const INTERFACES_PATH = 'etc/network/interfaces';
/**
 * Relative path of the Open vSwitch script under `--out DIR/NODE/`.
 * @example
 * const script = renderNetwork(node).files[OVS_SCRIPT_PATH];
 */
export const OVS_SCRIPT_PATH = 'ovs-setup.sh';

/**
 * Everything rendered for one node, from one validated model.
 * @example
 * const { interfaces, ovsScript, model } = renderNetwork(await inv.node('cmp01'));
 */
export interface RenderResult {
  /** Which host network file `files` holds: `interfaces` (ifupdown) or the netplan YAML. */
  backend: NetworkBackend;
  /**
   * The Debian ifupdown `interfaces` file. Always rendered (library callers compare
   * backends); `files` holds it only with the ifupdown backend.
   */
  interfaces: string;
  /** The netplan YAML, with the netplan backend. */
  netplan?: string;
  /** The ovs-vsctl commands, one shell line each, parents first. */
  ovs: string[];
  /** `ovs-setup.sh`: the commands as an idempotent script. */
  ovsScript: string;
  model: NetworkModel;
  /** Problems that did not stop the render (unknown keys, undeclared host NICs, ...). */
  warnings: NetworkProblem[];
  /** Relative path -> content of every file to write. */
  files: Record<string, string>;
}

/**
 * Options of renderNetwork.
 * @example
 * renderNetwork(node, { defaultDatapathType: 'netdev' }); // userspace datapath where the kernel module is missing
 */
export interface RenderOptions {
  /**
   * Datapath for OVS bridges whose pillar sets no `datapath_type` (e.g. `netdev` where the
   * kernel datapath is missing). Bridges that set one keep it.
   */
  defaultDatapathType?: string;
  /** Treat warnings as errors: nothing is rendered from a pillar with any problem. */
  strict?: boolean;
  /**
   * The host network file to write; default: the pillar's `linux:network:backend`, else
   * ifupdown. With netplan, what netplan cannot express is an error naming the key.
   */
  backend?: NetworkBackend;
}

/**
 * Validates the node's `linux:network` (throwing NetworkValidationError) and renders it.
 * @example
 * const inv = await openInventory('path/to/model');
 * const net = renderNetwork(await inv.node('cmp01'));
 * process.stdout.write(net.interfaces);
 * for (const cmd of net.ovs) console.log(cmd);
 */
export function renderNetwork(node: NetworkNode, options: RenderOptions = {}): RenderResult {
  const analysis = checkedAnalysis(node, options.strict === undefined ? {} : { strict: options.strict });
  const model = withDefaults(analysis.model, options);
  const backend = options.backend ?? model.host.backend ?? 'ifupdown';
  const interfaces = renderInterfaces(model);
  const ovsScript = renderOvsScript(model);
  const common = { backend, interfaces, ovs: ovsCommands(model), ovsScript, model, warnings: analysis.problems };
  if (backend === 'ifupdown') {
    return {
      ...common,
      files: { [INTERFACES_PATH]: interfaces, [OVS_SCRIPT_PATH]: ovsScript, ...renderHostFiles(model) },
    };
  }
  const refusals = netplanRefusals(model);
  if (refusals.length > 0) {
    const sink = new ProblemSink(node.name, node.provenance);
    for (const r of refusals) {
      const message = `not expressible with the netplan backend: ${r.message}`;
      if (r.interface === undefined) sink.network([r.key], message);
      else sink.iface(r.interface, r.key, message);
    }
    throw validationError(node.name, sink.problems);
  }
  const netplan = renderNetplan(model);
  return {
    ...common,
    netplan,
    files: { [NETPLAN_PATH]: netplan, [OVS_SCRIPT_PATH]: ovsScript, ...renderHostFiles(model) },
  };
}

function withDefaults(model: NetworkModel, options: RenderOptions): NetworkModel {
  const datapath = options.defaultDatapathType;
  if (datapath === undefined) return model;
  if (!/^[a-z][a-z0-9_]*$/.test(datapath)) throw new RangeError(`invalid datapath type ${JSON.stringify(datapath)}`);
  return {
    ...model,
    interfaces: model.interfaces.map((iface) =>
      iface.kind !== 'ovs-bridge' || iface.datapathType !== undefined
        ? iface
        : {
            ...iface,
            datapathType: datapath,
            ovs: {
              ...iface.ovs,
              columns: [
                { table: 'Bridge', record: iface.name, column: 'datapath_type', value: datapath },
                ...iface.ovs.columns,
              ],
            },
          },
    ),
  };
}
