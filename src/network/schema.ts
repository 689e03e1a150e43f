/**
 * JSON Schema of salt-formula-linux's `linux:network` pillar. Every key salt reads is in it
 * (keys.ts gives each its fate); anything else is an unknown key, a warning. YAML 1.1
 * scalars arrive typed (`mtu: 9000` is a number, `mtu: "9000"` a string), so numbers also
 * accept numeric strings; `normalize.ts` turns both into numbers.
 */
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, Options as AjvOptions, ValidateFunction } from 'ajv';
import { INTEGER_LIKE, INTERFACE_KEYS, NETWORK_KEYS, type KeySpec } from './keys.js';
import type { ProblemSink } from './problems.js';
import { printable } from './safety.js';
import { nearestWord } from './suggest.js';

const route = {
  type: 'object',
  required: ['address', 'netmask'],
  properties: {
    address: { type: 'string' },
    netmask: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    gateway: { type: 'string' },
    metric: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+$' }] },
  },
  additionalProperties: false,
} as const;

function properties(keys: readonly KeySpec[]): Record<string, object> {
  return Object.fromEntries(
    keys.map((k) => [k.key, k.key === 'route' ? { type: 'object', additionalProperties: route } : k.schema]),
  );
}

const iface = {
  type: 'object',
  required: ['type'],
  properties: properties(INTERFACE_KEYS),
  additionalProperties: false,
};

/**
 * The JSON Schema of `linux:network`, built from the key table (keys.ts): closed, so an unknown
 * key is reported (as a warning naming the nearest known key), and known keys must have the
 * right shape.
 * @example
 * import { Ajv } from 'ajv';
 * const validate = new Ajv({ allowUnionTypes: true }).compile(linuxNetworkSchema);
 * validate((node.parameters.linux as any).network);
 */
export const linuxNetworkSchema = {
  $id: 'https://reclass-net.invalid/schema/linux-network.json',
  type: 'object',
  properties: { ...properties(NETWORK_KEYS), interface: { type: 'object', additionalProperties: iface } },
  additionalProperties: false,
};

/**
 * The options the schema is compiled with, at build time and at run time alike.
 * @public read by scripts/compile-schema.mjs through an import of the built module
 */
export const SCHEMA_AJV_OPTIONS: AjvOptions = { allErrors: true, strict: true, allowUnionTypes: true };

/**
 * What the build's validator module is checked against: a stale one is never used.
 * @public read by scripts/compile-schema.mjs through an import of the built module
 */
export function schemaFingerprint(): string {
  return JSON.stringify({ schema: linuxNetworkSchema, options: SCHEMA_AJV_OPTIONS });
}

/**
 * The plain path: ajv compiles the schema in this process. Importing ajv and compiling was
 * a third of a cold `render` (docs/performance.md), so the command uses the
 * validator the build generated from the same schema (below) and this runs only without a
 * build or for a changed schema.
 */
export function compileSchemaValidator(): ValidateFunction {
  const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
  return new Ajv(SCHEMA_AJV_OPTIONS).compile(linuxNetworkSchema);
}

/** Where the build writes ajv's standalone code for the schema (scripts/compile-schema.mjs). */
export const PRECOMPILED_VALIDATOR = './schema-validator.cjs';

/**
 * The validator the build generated with ajv's standalone code, beside this module: the same
 * code ajv would generate here, without loading ajv. Undefined when there is none (tests run
 * from the TypeScript sources) or it was made from another schema or other options.
 */
export function precompiledSchemaValidator(file: string = PRECOMPILED_VALIDATOR): ValidateFunction | undefined {
  let module: ValidateFunction & { fingerprint?: string };
  try {
    module = createRequire(import.meta.url)(file) as ValidateFunction & { fingerprint?: string };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
  return module.fingerprint === schemaFingerprint() ? module : undefined;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= precompiledSchemaValidator() ?? compileSchemaValidator();
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
  let fatal = false;
  for (const error of errors) {
    const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
    const unknown =
      error.keyword === 'additionalProperties'
        ? String((error.params as { additionalProperty: string }).additionalProperty)
        : undefined;
    if (unknown !== undefined) segments.push(unknown);
    else fatal = true;
    const message = unknown !== undefined ? unknownKeyMessage(segments, unknown) : describe(error);
    const severity = unknown !== undefined ? 'warning' : 'error';
    if (segments[0] === 'interface' && segments.length >= 2) {
      sink.iface(segments[1], segments.slice(2), message, severity);
    } else {
      sink.network(segments, message, severity);
    }
  }
  return !fatal;
}

/** `unknown key "mttu" (did you mean mtu?); it is not rendered`; `segments` ends with `key`. */
function unknownKeyMessage(segments: string[], key: string): string {
  const known =
    segments[0] === 'interface' && segments.length === 3
      ? INTERFACE_KEYS.map((k) => k.key)
      : segments.length === 1
        ? NETWORK_KEYS.map((k) => k.key)
        : segments.includes('route')
          ? ['address', 'netmask', 'gateway', 'metric']
          : [];
  const near = nearestWord(key, known);
  return `unknown key "${printable(key)}"${near ? ` (did you mean ${near}?)` : ''}; salt-formula-linux does not read it and reclass-net does not render it`;
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
      const spec = INTERFACE_KEYS.find((k) => k.key === key) ?? NETWORK_KEYS.find((k) => k.key === key);
      if (spec?.schema === INTEGER_LIKE || key === 'metric') return 'must be a whole number';
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
