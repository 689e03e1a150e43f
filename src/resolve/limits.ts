/**
 * Limits that hold while a model is read and resolved, so that a hostile or broken model
 * ends in a clear error within seconds instead of minutes, gigabytes or an out-of-memory
 * abort. Each is far above what real MCP models need and can be raised in
 * `reclass-config.yml` for models that really are that big:
 *
 * ```yaml
 * limits:
 *   max_file_bytes: 33554432
 *   max_directories: 100000
 * ```
 */
import { ReclassNetError, type ErrorContext } from '../errors.js';

export interface Limits {
  /** Bytes of one node, class or config file. */
  max_file_bytes: number;
  /** Values (scalars, lists, mappings) in one file, counted while it is read. */
  max_yaml_values: number;
  /** Directories walked in one node or class tree (symbolic links to ancestors multiply them). */
  max_directories: number;
  /** Values that references copy into one node (a reference to a list copies the list). */
  max_expansion_values: number;
  /** Characters of one string built by interpolation (`${a}${a}` doubles a string). */
  max_string_length: number;
  /** Seconds one walk of the trees, or one node's resolution, may take. */
  max_seconds: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  max_file_bytes: 16 * 1024 * 1024,
  // The full YAML parser needs about 1.7 KB per value: 200 000 values are about 350 MB.
  max_yaml_values: 200_000,
  // A real model has a few thousand; at about 20 µs each the walk gives up within a second.
  max_directories: 20_000,
  max_expansion_values: 2_000_000,
  max_string_length: 16 * 1024 * 1024,
  max_seconds: 300,
});

/** The limits of `raw` (the config's `limits:` mapping) over the defaults; bad entries are a ConfigError. */
export function makeLimits(raw: unknown): Limits {
  if (raw === undefined || raw === null) return { ...DEFAULT_LIMITS };
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ReclassNetError('ConfigError', 'limits must be a mapping of limit names to numbers');
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, key)) {
      throw new ReclassNetError(
        'ConfigError',
        `unknown limit ${JSON.stringify(key)}; the limits are ${Object.keys(DEFAULT_LIMITS).join(', ')}`,
      );
    }
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new ReclassNetError(
        'ConfigError',
        `limits: ${key} must be a positive number, not ${JSON.stringify(value)}`,
      );
    }
    limits[key as keyof Limits] = value;
  }
  return limits;
}

/**
 * The error for a limit that was reached: what was too big, the limit and where to raise it.
 * @example
 * throw limitError('the file is 20971520 bytes long', 'max_file_bytes', 16777216, { location });
 */
export function limitError(
  what: string,
  key: keyof Limits,
  limit: number,
  context: ErrorContext = {},
): ReclassNetError {
  return new ReclassNetError(
    'LimitExceeded',
    `${what}; the limit is ${limit} (raise limits: ${key} in reclass-config.yml if the model really is that big)`,
    context,
  );
}

/** A point in time after which work stops: checked where work repeats, never per value. */
export function deadlineOf(limits: Limits): number {
  return Date.now() + limits.max_seconds * 1000;
}
