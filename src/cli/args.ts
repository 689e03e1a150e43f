/** Command-line parsing with node:util parseArgs; usage mistakes exit 2. */
import { parseArgs } from 'node:util';
import { ReclassNetError } from '../errors.js';
import { nearestWord } from '../network/suggest.js';

export const USAGE = `usage:
  reclass-net node NAME      [--inventory DIR] [--format yaml|json]   resolve one node (as reclass -n)
  reclass-net inventory      [--inventory DIR] [--format yaml|json]   resolve every node (as reclass -i)
  reclass-net render NAME    [--inventory DIR] [--out DIR] [--format text|json] [--strict]
                             [--backend ifupdown|netplan]          host file: interfaces or netplan YAML
  reclass-net render NAME... | --all [--out DIR] [--file F]        many nodes (globs: 'cmp*') into DIR/NODE/
  reclass-net diff NAME...   [--root DIR] [--ovsdb SOCKET] [--detailed-exit-codes]
                                                                      what render would change on the host
  reclass-net apply NAME     [--root DIR] [--ovsdb SOCKET] [--noop]  apply it; rolled back if an ifup fails
  reclass-net impact OLD NEW | --git REV [--format text|json]         what a model change does to each host
  reclass-net nodes          [--format text|json]                     nodes with cluster and role
  reclass-net --version | help COMMAND | completion bash|zsh
  reclass-net validate       [--inventory DIR] [--format text|json] [--strict] [NAME...]
                                                                      report every problem of every node
  reclass-net explain NAME KEY:PATH [--inventory DIR] [--show-secrets] where a value came from
  reclass-net docs           [--inventory DIR] --out DIR [--format html|markdown] [--show-secrets]
  reclass-net generate-nodes [--inventory DIR] [--check]              expand reclass:storage:node
  reclass-net salt --pillar ID | --top [--minion-id ID] | --ext-nodes ID [--format yaml|json]
                                                                      as reclass's Salt adapter
  reclass-net ansible --list | --host HOST [--format json|yaml]       as reclass-ansible (dynamic inventory)
  reclass-net serve [--listen 127.0.0.1:PORT | --socket PATH] [--allow-remote] [--poll-interval MS]
                                                                      resident HTTP/JSON server: /nodes /nodes/NAME
                                                                      /pillar/NAME /top/NAME /render/NAME /health
options:
  --inventory DIR   the model (default: RECLASS_NET_INVENTORY, else the working directory when it
                    is a model, else the example model shipped with reclass-net, with a notice)
  -v, --verbose     say which inventory is used, and what apply runs
  --strict          treat warnings (unknown keys, undeclared host NICs, ...) as errors
  --show-secrets    publish values of secret-named keys (docs, explain); default <redacted>
  --no-accelerator  resolve with reclass's rules alone, one node at a time, sharing no work
                    between nodes (slower, same output; docs/architecture.md)
  --debug           show a stack trace on errors
  -h, --help        this text`;

export interface Command {
  name: string;
  positionals: string[];
  inventory?: string;
  format?: string;
  out?: string;
  /** `render --backend`: ifupdown or netplan (default: the pillar's linux:network:backend). */
  backend?: string;
  check: boolean;
  /** Warnings (unknown keys, undeclared host NICs) stop the command as errors do. */
  strict: boolean;
  showSecrets: boolean;
  debug: boolean;
  help: boolean;
  /** The options of `salt`, `ansible` and `serve` (src/adapters and src/serve read them). */
  integration: IntegrationOptions;
  /** The options of render many, diff, apply and impact (src/plan reads them). */
  plan: PlanOptions;
  /** Where `inventory` came from; set by main.ts once it has chosen (see which-model.ts). */
  inventorySource?: string;
  verbose: boolean;
  version: boolean;
  /** false with `--no-accelerator`. */
  accelerator: boolean;
}

const PLAN_OPTIONS = {
  all: { type: 'boolean' },
  file: { type: 'string' },
  root: { type: 'string' },
  ovsdb: { type: 'string' },
  'detailed-exit-codes': { type: 'boolean' },
  noop: { type: 'boolean' },
  git: { type: 'string' },
} as const;

export type PlanOptions = {
  [K in keyof typeof PLAN_OPTIONS]?: (typeof PLAN_OPTIONS)[K]['type'] extends 'string' ? string : boolean;
};

const INTEGRATION_OPTIONS = {
  pillar: { type: 'string' },
  top: { type: 'boolean' },
  'minion-id': { type: 'string' },
  'ext-nodes': { type: 'string' },
  list: { type: 'boolean' },
  host: { type: 'string' },
  'applications-postfix': { type: 'string' },
  listen: { type: 'string' },
  socket: { type: 'string' },
  'allow-remote': { type: 'boolean' },
  'poll-interval': { type: 'string' },
} as const;

export type IntegrationOptions = {
  [K in keyof typeof INTEGRATION_OPTIONS]?: (typeof INTEGRATION_OPTIONS)[K]['type'] extends 'string' ? string : boolean;
};

const OPTIONS = {
  inventory: { type: 'string' },
  node: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
  check: { type: 'boolean', default: false },
  strict: { type: 'boolean', default: false },
  'show-secrets': { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  verbose: { type: 'boolean', short: 'v', default: false },
  version: { type: 'boolean', default: false },
  'no-accelerator': { type: 'boolean', default: false },
  ...INTEGRATION_OPTIONS,
  ...PLAN_OPTIONS,
} as const;

/** Every long option, for completion and "did you mean". */
export const OPTION_NAMES: readonly string[] = Object.keys(OPTIONS).map((name) => `--${name}`);

/** One paragraph like every other error; the full usage text is one `--help` away. */
export function usageError(message: string): ReclassNetError {
  const oneLine = message.replace(/\s*\n\s*/g, ' ').trim();
  return new ReclassNetError('UsageError', `${oneLine} (run 'reclass-net --help' for usage)`);
}

/** parseArgs's "Unknown option '--invetory'" plus the nearest known option. */
function withSuggestion(message: string): string {
  const unknown = /Unknown option '(--[^']+)'/.exec(message)?.[1];
  if (unknown === undefined) return message;
  const near = nearestWord(unknown, OPTION_NAMES);
  return near === undefined ? message : `${message.split('. ')[0]}; did you mean ${near}?`;
}

export function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (e) {
    throw usageError(withSuggestion((e as Error).message));
  }
  const { values, positionals } = parsed;
  const [name = '', ...rest] = positionals;
  // `--node NAME` stands in for the positional NAME (the conformance runner's form).
  if (values.node !== undefined) rest.unshift(values.node);
  return {
    name,
    positionals: rest,
    inventory: values.inventory,
    format: values.format,
    out: values.out,
    backend: values.backend,
    check: values.check ?? false,
    strict: values.strict ?? false,
    showSecrets: values['show-secrets'] ?? false,
    debug: values.debug ?? false,
    help: values.help ?? false,
    integration: Object.fromEntries(
      Object.keys(INTEGRATION_OPTIONS).map((k) => [k, values[k as keyof IntegrationOptions]]),
    ),
    plan: Object.fromEntries(Object.keys(PLAN_OPTIONS).map((k) => [k, values[k as keyof PlanOptions]])),
    verbose: values.verbose ?? false,
    version: values.version ?? false,
    accelerator: !(values['no-accelerator'] ?? false),
  };
}

export function expectFormat(cmd: Command, allowed: string[]): string {
  const format = cmd.format ?? allowed[0];
  if (!allowed.includes(format)) throw usageError(`--format must be one of ${allowed.join(', ')}, not '${format}'`);
  return format;
}

export function expectPositionals(cmd: Command, min: number, max: number, what: string): string[] {
  if (cmd.positionals.length < min || cmd.positionals.length > max) {
    throw usageError(`'${cmd.name}' takes ${what}`);
  }
  return cmd.positionals;
}
