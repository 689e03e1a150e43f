/**
 * `reclass-net salt` and `reclass-net ansible`: reclass's Salt and Ansible adapters on the
 * command line. Loaded only when one of them runs (see commands.ts).
 */
import { openInventory, type Inventory } from '../api/inventory.js';
import { expectFormat, expectPositionals, usageError, type Command } from '../cli/args.js';
import { pythonJson, pythonYaml } from '../cli/output.js';
import { warnOnStderr, writeStdout } from '../cli/stdio.js';
import { ansibleHost, ansibleList, configuredPostfix } from './ansible.js';
import { saltExtNodes, saltPillar, saltTop, saltTopAll } from './salt.js';

/** `data` as `format`; resolved by `inv`, whose shared results spare writing them again. */
function print(data: unknown, format: string, inv: Inventory): void {
  writeStdout(format === 'json' ? pythonJson(data, inv.shared) + '\n' : pythonYaml(data));
}

/** Exactly one of `modes` given; the others absent. */
function oneMode(cmd: Command, modes: Array<keyof Command['integration']>): string {
  const given = modes.filter((m) => cmd.integration[m] !== undefined);
  if (given.length !== 1)
    throw usageError(`'${cmd.name}' takes exactly one of ${modes.map((m) => `--${m}`).join(', ')}`);
  return given[0];
}

/** Options of another command given here are mistakes, not silently ignored. */
function refuseOthers(cmd: Command, allowed: Array<keyof Command['integration']>): void {
  for (const [key, value] of Object.entries(cmd.integration)) {
    if (value !== undefined && !allowed.includes(key as keyof Command['integration'])) {
      throw usageError(`'${cmd.name}' does not take --${key}`);
    }
  }
}

/**
 * `salt --pillar ID` (ext_pillar), `salt --top [--minion-id ID]` (top) and
 * `salt --ext-nodes ID` (master_tops: ext_nodes). YAML by default, as the adapter's CLI.
 */
export async function salt(cmd: Command, inventoryDir: string): Promise<number> {
  expectPositionals(cmd, 0, 0, 'no positional arguments');
  refuseOthers(cmd, ['pillar', 'top', 'minion-id', 'ext-nodes']);
  const mode = oneMode(cmd, ['pillar', 'top', 'ext-nodes']);
  const { pillar, 'minion-id': minionId, 'ext-nodes': extNodes } = cmd.integration;
  if (minionId !== undefined && mode !== 'top') throw usageError("--minion-id goes with 'salt --top'");
  const format = expectFormat(cmd, ['yaml', 'json']);
  const inv = await openInventory(inventoryDir, { provenance: false, warn: warnOnStderr });
  // oneMode made the option of `mode` the only one given.
  if (pillar !== undefined) print(saltPillar(inv.rawNode(pillar), pillar), format, inv);
  else if (extNodes !== undefined) print(saltExtNodes(inv.rawNode(extNodes)), format, inv);
  else print(minionId === undefined ? saltTopAll(inv) : saltTop(inv.rawNode(minionId)), format, inv);
  return 0;
}

/**
 * `ansible --list` and `ansible --host HOST`, an executable dynamic inventory. JSON by
 * default, as Ansible reads it.
 */
export async function ansible(cmd: Command, inventoryDir: string): Promise<number> {
  expectPositionals(cmd, 0, 0, 'no positional arguments');
  refuseOthers(cmd, ['list', 'host', 'applications-postfix']);
  oneMode(cmd, ['list', 'host']);
  const { host } = cmd.integration;
  const format = expectFormat(cmd, ['json', 'yaml']);
  const inv = await openInventory(inventoryDir, { provenance: false, warn: warnOnStderr });
  if (host !== undefined) {
    print(ansibleHost(inv.rawNode(host)), format, inv);
  } else {
    const applicationsPostfix = cmd.integration['applications-postfix'] ?? configuredPostfix(inv);
    print(ansibleList(inv, { applicationsPostfix }), format, inv);
  }
  return 0;
}
