/** `help COMMAND`, `COMMAND --help`, `--version` and `completion bash|zsh`. */
import { readFileSync } from 'node:fs';
import { OPTION_NAMES, USAGE } from './args.js';

/** Each command's own usage and examples. */
const COMMAND_HELP: Record<string, string> = {
  node: 'reclass-net node NAME [--inventory DIR] [--format yaml|json]\n  resolve one node as `reclass -n NAME` prints it\nexample:\n  reclass-net node cmp01 --format json',
  inventory: 'reclass-net inventory [--inventory DIR] [--format yaml|json]\n  every node, as `reclass -i` prints it',
  nodes: 'reclass-net nodes [--format text|json]\n  every node with its cluster and role',
  render:
    "reclass-net render NAME... | --all [--out DIR] [--file F] [--backend ifupdown|netplan] [--format text|json] [--strict]\n  render host network files; many nodes on two threads into DIR/NODE/\nexamples:\n  reclass-net render cmp01\n  reclass-net render cmp01 --file interfaces > interfaces\n  reclass-net render 'cmp*' ctl01 --out out\n  reclass-net render --all --out out",
  diff: 'reclass-net diff NAME... [--root DIR] [--ovsdb SOCKET] [--detailed-exit-codes] [--format text|json]\n  what render would change on the host: unified diffs and the ovs-vsctl commands the live database lacks\n  (several nodes: compared with ROOT/NODE, files only); exit 0 same, 2 changes (with --detailed-exit-codes), 1 error\nexamples:\n  reclass-net diff cmp01 --detailed-exit-codes\n  reclass-net diff --all --root out',
  apply:
    'reclass-net apply NAME [--root DIR] [--ovsdb SOCKET] [--noop] [--verbose]\n  write the changed files (previous versions kept as FILE.reclass-net-prev), run the OVS plan,\n  ifdown/ifup only the changed interfaces; rolled back if an ifup fails\nexamples:\n  reclass-net apply cmp01 --noop\n  reclass-net apply cmp01',
  impact:
    'reclass-net impact OLD NEW | --git REV [--inventory DIR] [--format text|json] [--detailed-exit-codes]\n  what a model change does to each host: diffs per node, OVS commands added/dropped, nodes added/removed\nexamples:\n  reclass-net impact ../model-main .\n  reclass-net impact --git origin/main --format json',
  validate:
    'reclass-net validate [--inventory DIR] [--format text|json] [--strict] [NAME...]\n  report every problem of every node',
  explain:
    'reclass-net explain NAME KEY:PATH [--inventory DIR] [--show-secrets]\n  where a value came from\nexample:\n  reclass-net explain cmp01 linux:network:interface:br-mgmt:address',
  docs: 'reclass-net docs --out DIR [--inventory DIR] [--format html|markdown] [--show-secrets]',
  'generate-nodes':
    'reclass-net generate-nodes [--inventory DIR] [--check]\n  expand reclass:storage:node into node files',
  salt: 'reclass-net salt --pillar ID | --top [--minion-id ID] | --ext-nodes ID [--format yaml|json]',
  ansible: 'reclass-net ansible --list | --host HOST [--format json|yaml]',
  serve: 'reclass-net serve [--listen 127.0.0.1:PORT | --socket PATH] [--allow-remote] [--poll-interval MS]',
  completion: 'reclass-net completion bash|zsh\n  a completion script: eval "$(reclass-net completion bash)"',
  help: 'reclass-net help [COMMAND]',
};

export function helpText(command: string | undefined): string | undefined {
  if (command === undefined) return USAGE;
  const text = COMMAND_HELP[command];
  return text === undefined ? undefined : `usage: ${text}`;
}

export function versionText(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return `reclass-net ${pkg.version}`;
}

/** Completion of commands, options and (from `reclass-net nodes`) node names. */
export function completionScript(shell: string, commands: readonly string[]): string | undefined {
  const words = commands.join(' ');
  const options = OPTION_NAMES.join(' ');
  if (shell === 'bash') {
    return `# bash completion for reclass-net
_reclass_net() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  if [ "$COMP_CWORD" -eq 1 ]; then COMPREPLY=($(compgen -W "${words}" -- "$cur")); return; fi
  case "$cur" in
    -*) COMPREPLY=($(compgen -W "${options}" -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "$(reclass-net nodes 2>/dev/null | cut -d' ' -f1)" -- "$cur")) ;;
  esac
}
complete -o default -F _reclass_net reclass-net
`;
  }
  if (shell === 'zsh') {
    return `#compdef reclass-net
_reclass_net() {
  if (( CURRENT == 2 )); then compadd -- ${words}; return; fi
  if [[ $PREFIX == -* ]]; then compadd -- ${options}; return; fi
  compadd -- \${(f)"$(reclass-net nodes 2>/dev/null | cut -d' ' -f1)"}
}
compdef _reclass_net reclass-net
`;
  }
  return undefined;
}
