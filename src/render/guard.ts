/**
 * The exported renderers take a NetworkModel, which a caller may build by hand. Everything in
 * it that is not a declared command reaches a line of the interfaces file, a word of
 * `ovs_extra` (which Debian's hook `eval`s as root) or an argument of ovs-setup.sh, so each
 * such value is held here to the shape `buildNetworkModel` would have given it. The pillar's
 * own `*_cmds` are shell by design and need only stay one line.
 */
import { isIpAddress } from '../network/ipv6.js';
import { NetworkValidationError } from '../errors.js';
import type { Commands, NetworkInterface, NetworkModel } from '../network/types.js';
import {
  interfaceNameProblem,
  ovsWordProblem,
  plainTokenProblem,
  printable,
  singleLineProblem,
} from '../network/safety.js';

/**
 * Throws NetworkValidationError naming every value of `model` that no pillar could have
 * produced (an interface name with a space, an OVS word with `$(...)`, an address that is not
 * one), and returns the model when there is none.
 * @example
 * renderInterfaces(assertRenderableModel(handMadeModel));
 */
export function assertRenderableModel(model: NetworkModel): NetworkModel {
  const problems: string[] = [];
  const check = (where: string, problem: string | undefined) => {
    if (problem) problems.push(`${where}: ${problem}`);
  };
  const name = (where: string, value: string | undefined, alias = false) => {
    if (value !== undefined) check(where, interfaceNameProblem(value, alias));
  };
  const ip = (where: string, value: string | undefined) => {
    if (value !== undefined && !isIpAddress(value))
      problems.push(`${where}: "${printable(value)}" is not an IP address`);
  };
  const word = (where: string, value: string) => check(where, ovsWordProblem(value));
  for (const iface of model.interfaces) {
    const at = `interface ${printable(String(iface.name))}`;
    name(at, iface.name, iface.kind === 'ethernet');
    for (const ref of references(iface)) name(`${at} (a reference)`, ref);
    ip(`${at} address`, iface.address?.address);
    ip(`${at} IPv6 address`, iface.ipv6?.address?.address);
    for (const value of [
      iface.gateway,
      iface.broadcast,
      iface.ipv6?.gateway,
      ...iface.nameServers,
      ...iface.routes.flatMap((r) => [r.network.address, r.gateway]),
    ]) {
      ip(at, value);
    }
    for (const value of [
      ...iface.dnsSearch,
      iface.hwaddress,
      iface.datapathType,
      iface.dpdk?.pci,
      iface.dpdk?.driver,
      iface.dpdk?.pmdRxqAffinity,
    ]) {
      if (value !== undefined) check(at, plainTokenProblem(value));
    }
    for (const [option, value] of [...(iface.bond?.options ?? []), ...(iface.bridgeOptions ?? []), ...iface.ethtool]) {
      check(`${at} option`, plainTokenProblem(option) ?? plainTokenProblem(value));
    }
    for (const column of iface.ovs.columns)
      for (const w of [column.record, column.column, column.value]) word(`${at} OVS setting`, w);
    for (const command of iface.ovs.extra) for (const w of command) word(`${at} ovs_extra`, w);
    const commands: Record<keyof Commands, string[]> = iface.commands;
    for (const list of Object.values(commands))
      for (const command of list) check(`${at} command`, singleLineProblem(command));
  }
  for (const src of model.host.sources)
    if (!/^\/[A-Za-z0-9_.@+/-]*$/.test(src))
      problems.push(`source "${printable(src)}" is not an absolute path of plain characters`);
  for (const [key, value] of model.host.ovsOtherConfig)
    check('other_config', plainTokenProblem(key) ?? singleLineProblem(value));
  if (problems.length > 0) {
    throw new NetworkValidationError(
      `the model of node ${printable(String(model.node))} holds values no pillar could give: ${problems.join('; ')}`,
      {},
      problems,
    );
  }
  return model;
}

function references(iface: NetworkInterface): Array<string | undefined> {
  return [
    iface.bondMaster,
    iface.vlan?.rawDevice,
    iface.ovsBridge,
    iface.peer,
    iface.dpdk?.bond,
    ...(iface.bond?.slaves ?? []),
    ...(iface.bridgePorts ?? []),
    ...(iface.ovsBondSlaves ?? []),
    ...(iface.ovsPorts ?? []),
    ...iface.requires,
  ];
}
