/**
 * What must hold for every rendered file, whatever the pillar: the checks that make "the
 * model cannot add a stanza, an `up` command or shell code it did not declare" testable.
 *
 * - interfaces: exactly one `iface` stanza per modelled interface (plus lo), only known line
 *   shapes, every command option either a `*_cmds` entry the pillar declared or one of the few
 *   commands the renderer generates (routes, VLAN creation, dhcp MTU) with plain operands, and
 *   OVS options (which Debian's hook word-splits and `eval`s) made of plain words only;
 * - ovs-setup.sh: `sh -n` accepts it, and run with a fake `ovs-vsctl` that logs its argv, the
 *   calls are exactly `ovsTransactions(model)`, argument for argument, and nothing else runs.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkModel } from '../../src/network/types.js';

const NAME = '[A-Za-z0-9_][A-Za-z0-9_.:@+-]*';
const IP = '[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+';
const IP6 = '[0-9a-f:]+';
const CIDR = `(${IP}|${IP6})/[0-9]+`;
const VIA = `( via (${IP}|${IP6}))?( metric [0-9]+)?`;
const COMMAND_KEYS = new Set(['pre-up', 'up', 'post-up', 'pre-down', 'down', 'post-down']);
/** Commands the renderer itself writes; operands are names, addresses and numbers only. */
const GENERATED = [
  new RegExp(`^ip( -6)? route add ${CIDR}${VIA} dev ${NAME}$`),
  new RegExp(`^ip( -6)? route del ${CIDR}${VIA} dev ${NAME} \\|\\| true$`),
  new RegExp(`^\\[ -e /sys/class/net/${NAME} \\] \\|\\| ip link add link ${NAME} name ${NAME} type vlan id [0-9]+$`),
  new RegExp(`^\\[ ! -e /sys/class/net/${NAME} \\] \\|\\| ip link delete dev ${NAME}$`),
  new RegExp(`^ip link set dev ${NAME} mtu [0-9]+$`),
  new RegExp(`^ovs-vsctl --if-exists del-port ${NAME} ${NAME}$`),
  new RegExp(`^\\[ ! -d /sys/class/net/${NAME}/bridge \\] \\|\\| ip link set dev ${NAME} master ${NAME}$`),
  /^ovs-vsctl set Open_vSwitch \. ('?other_config:[a-z-]+=[A-Za-z0-9_.:,/ -]+'? ?)+$/,
];
/** Values of these options reach a shell word-split (and ovs_extra an `eval`). */
const PLAIN_WORDS = /^[A-Za-z0-9_@%+=:,./ -]*$/;
const STANZA_CLASS = new RegExp(`^(auto|allow-${NAME}) ${NAME}( ${NAME})*$`);
const IFACE = new RegExp(`^iface (${NAME}) (inet (static|dhcp|manual|loopback)|inet6 (static|dhcp|auto|manual))$`);
const OPTION = /^ {4}([a-z][a-z0-9_-]*) (\S.*)$/;

export interface DeclaredCommands {
  /** Every `*_cmds` string of the pillar, per device name. */
  byInterface: Map<string, Set<string>>;
}

/** The `*_cmds` a pillar declares, by device name (`name:` or the key). */
export function declaredCommands(pillarInterfaces: Record<string, unknown>): DeclaredCommands {
  const byInterface = new Map<string, Set<string>>();
  for (const [key, raw] of Object.entries(pillarInterfaces)) {
    if (!raw || typeof raw !== 'object') continue;
    const iface = raw as Record<string, unknown>;
    const name = typeof iface.name === 'string' ? iface.name : key;
    const set = byInterface.get(name) ?? new Set<string>();
    for (const k of ['pre_up_cmds', 'up_cmds', 'post_up_cmds', 'pre_down_cmds', 'down_cmds', 'post_down_cmds']) {
      const v = iface[k];
      if (Array.isArray(v)) for (const c of v) if (typeof c === 'string') set.add(c).add(c.trim());
    }
    byInterface.set(name, set);
  }
  return { byInterface };
}

/** Every way `text` breaks the interfaces-file invariants; empty when it holds. */
export function interfacesViolations(text: string, model: NetworkModel, declared: DeclaredCommands): string[] {
  const problems: string[] = [];
  const stanzas: string[] = [];
  let current: string | undefined;
  if (/[\r\0\v\f\u0085\u2028\u2029]/.test(text)) problems.push('control or line-separator character in the file');
  for (const [i, line] of text.split('\n').entries()) {
    const where = `line ${i + 1}: ${JSON.stringify(line)}`;
    if (line === '' || line.startsWith('#')) continue;
    if (STANZA_CLASS.test(line)) continue;
    if (/^source \/[A-Za-z0-9_.@+/-]*$/.test(line)) continue;
    const iface = IFACE.exec(line);
    if (iface) {
      current = iface[1];
      if (iface[2].startsWith('inet ')) stanzas.push(current);
      continue;
    }
    const option = OPTION.exec(line);
    if (!option || current === undefined) {
      problems.push(`unexpected ${where}`);
      continue;
    }
    const [, key, value] = option;
    if (COMMAND_KEYS.has(key)) {
      const own = declared.byInterface.get(current);
      if (!own?.has(value) && !GENERATED.some((re) => re.test(value)))
        problems.push(`undeclared command in ${current}, ${where}`);
    } else if (
      key.startsWith('ovs_') ||
      key.startsWith('bond-') ||
      key.startsWith('bridge_') ||
      key === 'vlan-raw-device'
    ) {
      if (!PLAIN_WORDS.test(value)) problems.push(`shell metacharacter in ${key} of ${current}, ${where}`);
    } else if (!/^[A-Za-z0-9_@+=:,./ -]+$/.test(value)) {
      problems.push(`unexpected characters in ${key} of ${current}, ${where}`);
    }
  }
  // DPDK bond members have no stanza of their own: their bond's add-bond makes them.
  const stanzaless = (i: NetworkModel['interfaces'][number]) => i.kind === 'ovs-dpdk-port' && i.ovsBridge === undefined;
  const expected = ['lo', ...model.interfaces.filter((i) => !stanzaless(i)).map((i) => i.name)].sort();
  const got = [...stanzas].sort();
  if (JSON.stringify(expected) !== JSON.stringify(got)) {
    problems.push(`stanzas ${JSON.stringify(got)} are not the modelled interfaces ${JSON.stringify(expected)}`);
  }
  return problems;
}

/** A directory with a fake `ovs-vsctl` that appends its argv (RS-separated) to $OVS_LOG. */
function fakeOvsVsctl(dir: string): string {
  const bin = join(dir, 'fake-bin');
  mkdirSync(bin, { recursive: true });
  const path = join(bin, 'ovs-vsctl');
  if (!existsSync(path)) {
    writeFileSync(
      path,
      '#!/bin/sh\n{ for a in "$@"; do printf \'%s\\036\' "$a"; done; printf \'\\n\'; } >> "$OVS_LOG"\n',
    );
    chmodSync(path, 0o755);
  }
  return bin;
}

export interface ScriptCase {
  script: string;
  /** The argv each ovs-vsctl call must receive, after the script's own arguments. */
  expected: string[][];
}

/**
 * Checks scripts with `sh -n`, then runs each with the fake ovs-vsctl and arguments that
 * themselves need quoting (`"$@"` must pass them through intact). One `sh` process per batch.
 * Returns one list of problems per case.
 */
export function runOvsScripts(dir: string, cases: ScriptCase[]): string[][] {
  const bin = fakeOvsVsctl(dir);
  const passThrough = ['--db=unix:/tmp/a dir/db.sock', "--timeout=5 '$(x)'"];
  const lines: string[] = ['set +e'];
  cases.forEach((c, i) => {
    const file = join(dir, `ovs-${i}.sh`);
    writeFileSync(file, c.script);
    const log = join(dir, `ovs-${i}.log`);
    writeFileSync(log, '');
    lines.push(
      `if sh -n '${file}' 2>'${file}.syntax'; then OVS_LOG='${log}' PATH='${bin}':/usr/bin:/bin sh '${file}' '${passThrough[0]}' "${passThrough[1].replace(/\$/g, '\\$')}" >'${file}.out' 2>&1; echo $? >'${file}.rc'; else echo syntax >'${file}.rc'; fi`,
    );
  });
  const runner = join(dir, 'run-all.sh');
  writeFileSync(runner, lines.join('\n') + '\n');
  const r = spawnSync('sh', [runner], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`runner failed: ${r.stderr}`);
  return cases.map((c, i) => {
    const file = join(dir, `ovs-${i}.sh`);
    const rc = readFileSync(`${file}.rc`, 'utf8').trim();
    if (rc === 'syntax') return [`sh -n rejects the script: ${readFileSync(`${file}.syntax`, 'utf8')}`];
    const problems: string[] = [];
    if (rc !== '0') problems.push(`script exited ${rc}: ${readFileSync(`${file}.out`, 'utf8')}`);
    const calls = readFileSync(join(dir, `ovs-${i}.log`), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\u001e').slice(0, -1));
    const expected = c.expected.map((args) => [...passThrough, ...args]);
    if (JSON.stringify(calls) !== JSON.stringify(expected)) {
      problems.push(
        `ovs-vsctl calls differ:\n got      ${JSON.stringify(calls)}\n expected ${JSON.stringify(expected)}`,
      );
    }
    return problems;
  });
}

export const IFUP = ['/usr/sbin/ifup', '/sbin/ifup'].find((p) => existsSync(p));

/**
 * `ifup --no-act -i FILE --state-dir DIR -a` for each file, in one shell process. Returns the
 * failures (file index, ifup's output). ifup only prints what it would run with --no-act.
 */
export function ifupNoAct(dir: string, files: string[]): Array<{ index: number; output: string }> {
  if (!IFUP) throw new Error('ifup is not installed');
  const lines = ['set +e'];
  files.forEach((text, i) => {
    const file = join(dir, `interfaces-${i}`);
    writeFileSync(file, text);
    const state = join(dir, `state-${i}`);
    mkdirSync(state, { recursive: true });
    lines.push(`'${IFUP}' --no-act -i '${file}' --state-dir '${state}' -a >'${file}.out' 2>&1; echo $? >'${file}.rc'`);
  });
  const runner = join(dir, 'ifup-all.sh');
  writeFileSync(runner, lines.join('\n') + '\n');
  const r = spawnSync('sh', [runner], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`ifup runner failed: ${r.stderr}`);
  const failures: Array<{ index: number; output: string }> = [];
  files.forEach((text, i) => {
    const file = join(dir, `interfaces-${i}`);
    if (readFileSync(`${file}.rc`, 'utf8').trim() !== '0') {
      failures.push({ index: i, output: `${readFileSync(`${file}.out`, 'utf8')}\n--- file:\n${text}` });
    }
  });
  return failures;
}
