/** A node's network pillar -> both host files, from one validated model. */
import { buildNetworkModel } from '../network/build.js';
import type { NetworkModel, NetworkNode } from '../network/types.js';
import { renderInterfaces } from './interfaces.js';
import { ovsCommands, renderOvsScript } from './ovs.js';

/** Relative paths of the rendered files, as they are laid out under `--out DIR/NODE/`. */
export const INTERFACES_PATH = 'etc/network/interfaces';
export const OVS_SCRIPT_PATH = 'ovs-setup.sh';

export interface RenderResult {
  /** The Debian ifupdown `interfaces` file. */
  interfaces: string;
  /** The ovs-vsctl commands, one shell line each, parents first. */
  ovs: string[];
  /** `ovs-setup.sh`: the commands as an idempotent script. */
  ovsScript: string;
  model: NetworkModel;
  /** Relative path -> content of every file to write. */
  files: Record<string, string>;
}

export interface RenderOptions {
  /**
   * Datapath for OVS bridges whose pillar sets no `datapath_type` (e.g. `netdev` where the
   * kernel datapath is missing). Bridges that set one keep it.
   */
  defaultDatapathType?: string;
}

/** Validates the node's `linux:network` (throwing NetworkValidationError) and renders it. */
export function renderNetwork(node: NetworkNode, options: RenderOptions = {}): RenderResult {
  const model = withDefaults(buildNetworkModel(node), options);
  const interfaces = renderInterfaces(model);
  const ovsScript = renderOvsScript(model);
  return {
    interfaces,
    ovs: ovsCommands(model),
    ovsScript,
    model,
    files: { [INTERFACES_PATH]: interfaces, [OVS_SCRIPT_PATH]: ovsScript },
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
              columns: [{ table: 'Bridge', record: iface.name, column: 'datapath_type', value: datapath }, ...iface.ovs.columns],
            },
          },
    ),
  };
}
