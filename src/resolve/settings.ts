/**
 * reclass 1.7's options (reclass/settings.py), with its defaults. Options a model's
 * `reclass-config.yml` sets override these; unknown keys are ignored as reclass ignores them.
 */
import { KeyTables } from './dictpath.js';
import { DEFAULT_LIMITS, makeLimits, type Limits } from './limits.js';
import { Syntax, type Sentinels } from './parser.js';

export interface Settings {
  allow_scalar_over_dict: boolean;
  allow_scalar_over_list: boolean;
  allow_list_over_scalar: boolean;
  allow_dict_over_scalar: boolean;
  allow_none_override: boolean;
  automatic_parameters: boolean;
  class_mappings_match_path: boolean;
  scalar_parameters: string | false;
  default_environment: string;
  delimiter: string;
  dict_key_override_prefix: string;
  dict_key_constant_prefix: string;
  escape_character: string;
  export_sentinels: [string, string];
  reference_sentinels: [string, string];
  inventory_ignore_failed_node: boolean;
  inventory_ignore_failed_render: boolean;
  ignore_class_notfound: boolean;
  ignore_class_notfound_regexp: string[];
  ignore_class_notfound_warning: boolean;
  ignore_overwritten_missing_references: boolean;
  strict_constant_parameters: boolean;
  group_errors: boolean;
  compose_node_name: boolean;
  /** Ours, not reclass's: bounds on reading and resolving (limits.ts). */
  limits: Limits;
  /**
   * Not an option: the interning tables of the one inventory these settings were made for
   * (KeyTables), carried here because its Storage and every Parameters and Value of its
   * resolution carry the settings. Each makeSettings makes new ones.
   */
  readonly keyTables: KeyTables;
  /** Not an option: the sentinels with what the reference parser derives from them, made
   * once for every string of the inventory (see parseValueString). */
  readonly syntax: Syntax;
}

/** The options, reclass's and ours: what a model's configuration can set. */
type Options = Omit<Settings, 'keyTables' | 'syntax'>;

const DEFAULT_SETTINGS: Readonly<Options> = Object.freeze({
  allow_scalar_over_dict: false,
  allow_scalar_over_list: false,
  allow_list_over_scalar: false,
  allow_dict_over_scalar: false,
  allow_none_override: false,
  automatic_parameters: true,
  class_mappings_match_path: false,
  scalar_parameters: false,
  default_environment: 'base',
  delimiter: ':',
  dict_key_override_prefix: '~',
  dict_key_constant_prefix: '=',
  escape_character: '\\',
  export_sentinels: ['$[', ']'],
  reference_sentinels: ['${', '}'],
  inventory_ignore_failed_node: false,
  inventory_ignore_failed_render: false,
  ignore_class_notfound: false,
  ignore_class_notfound_regexp: ['.*'],
  ignore_class_notfound_warning: true,
  ignore_overwritten_missing_references: true,
  strict_constant_parameters: true,
  group_errors: true,
  compose_node_name: false,
  limits: DEFAULT_LIMITS,
}) as Options;

/** Settings from reclass-style options; a lone regexp string becomes a one-item list. */
export function makeSettings(options: Partial<Record<keyof Options, unknown>> = {}): Settings {
  const settings = { ...DEFAULT_SETTINGS } as Record<string, unknown>;
  for (const key of Object.keys(DEFAULT_SETTINGS)) {
    if (options[key as keyof Options] !== undefined) settings[key] = options[key as keyof Options];
  }
  settings.limits = makeLimits(options.limits);
  settings.keyTables = new KeyTables();
  if (typeof settings.ignore_class_notfound_regexp === 'string') {
    settings.ignore_class_notfound_regexp = [settings.ignore_class_notfound_regexp];
  }
  settings.syntax = new Syntax(sentinelsOf(settings as unknown as Settings));
  return settings as unknown as Settings;
}

function sentinelsOf(settings: Settings): Sentinels {
  return {
    refOpen: settings.reference_sentinels[0],
    refClose: settings.reference_sentinels[1],
    invOpen: settings.export_sentinels[0],
    invClose: settings.export_sentinels[1],
    escape: settings.escape_character,
  };
}
