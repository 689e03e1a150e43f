/**
 * Redaction of what reclass-net publishes (docs, `explain`): a model's pillar holds service
 * passwords and private keys, and published output is read by people who must not get them.
 *
 * - A key *names a secret* when its lower-cased text contains one of SECRET_KEY_WORDS or a
 *   word the model adds in `reclass-config.yml` (`secret_keys: [community, ...]`). Every value
 *   under such a key, however deep, is shown as `<redacted>`; where it came from (class,
 *   file, line) is still shown.
 * - Key material is recognised in any value: a PEM block (`-----BEGIN ... -----`) becomes
 *   `<redacted>` whatever its key.
 * - Texts built from values (error messages, validation problems, a whole mapping shown as
 *   JSON) are scrubbed of every secret value the model holds (of at least
 *   MIN_SCRUBBED_LENGTH characters: shorter ones would erase ordinary text), except values
 *   that are IP addresses or networks: those are the network plan the docs exist to show,
 *   and a host's address under a secret-looking key must not vanish from every page.
 */
import { isIP } from 'node:net';
import type { Value } from '../types.js';

export const REDACTED = '<redacted>';

/** Words that make a key a secret's name (documented in docs/publishing.md). */
export const SECRET_KEY_WORDS: readonly string[] = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'private_key',
  'privkey',
  'api_key',
  'apikey',
  'access_key',
  'credential',
  'psk',
  'key_material',
  'cookie',
  'signing_key',
  'encryption_key',
];

/** Secrets shorter than this are redacted where their key is known, not scrubbed from text. */
const MIN_SCRUBBED_LENGTH = 6;

const PEM = /-----BEGIN [A-Z0-9 ]*-----[\s\S]*?(?:-----END [A-Z0-9 ]*-----|$)/g;

export interface Redactor {
  /** False with `--show-secrets`: everything passes unchanged. */
  readonly active: boolean;
  isSecretKey(key: string | number): boolean;
  /** `value` as published at `path`: redacted under a secret-named key, PEM blocks removed. */
  value(path: readonly (string | number)[], value: Value | undefined): Value | undefined;
  /** Notes every secret value of `value` (a node's parameters, a class's), to scrub texts of them. */
  collect(value: Value | undefined, path?: readonly (string | number)[]): void;
  /** `text` without any collected secret value or PEM block. */
  text(text: string): string;
}

/** The words of `secret_keys` in the config: a list of strings, or nothing. */
export function configuredSecretWords(options: Record<string, unknown>): string[] {
  const raw = options.secret_keys;
  return Array.isArray(raw)
    ? raw.filter((w): w is string => typeof w === 'string' && w !== '').map((w) => w.toLowerCase())
    : [];
}

/**
 * @example
 * const r = makeRedactor(configuredSecretWords(inv.config.options), !cmd.showSecrets);
 * r.value(['mysql', 'server', 'password'], 'hunter2'); // '<redacted>'
 */
export function makeRedactor(extraWords: readonly string[] = [], active = true): Redactor {
  const words = [...SECRET_KEY_WORDS, ...extraWords];
  const secrets = new Set<string>();
  let index: SecretIndex | undefined;
  // A site publishes the same texts for many nodes (class values, interface names): each is
  // scrubbed once. Cleared whenever a secret is added.
  const scrubbed = new Map<string, string>();
  const isSecretKey = (key: string | number) => {
    const lower = String(key).toLowerCase();
    return words.some((w) => lower.includes(w));
  };
  const redact = (value: Value | undefined, secret: boolean): Value | undefined => {
    if (value === undefined) return undefined;
    if (secret) return REDACTED;
    if (typeof value === 'string') return value.replace(PEM, REDACTED);
    if (Array.isArray(value)) return value.map((v) => redact(v, false) as Value);
    if (value !== null && typeof value === 'object') {
      const out: Record<string, Value> = {};
      for (const [k, v] of Object.entries(value)) out[k] = redact(v, isSecretKey(k)) as Value;
      return out;
    }
    return value;
  };
  const collect = (value: Value | undefined, secret: boolean): void => {
    if (value === undefined) return;
    if (Array.isArray(value)) value.forEach((v) => collect(v, secret));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) collect(v, secret || isSecretKey(k));
    else {
      const text = String(value);
      if (secret && text.length >= MIN_SCRUBBED_LENGTH && !isAddress(text)) secrets.add(text);
      if (typeof value === 'string') for (const m of value.matchAll(PEM)) secrets.add(m[0]);
      index = undefined;
      scrubbed.clear();
    }
  };
  if (!active) {
    return { active, isSecretKey, value: (_p, v) => v, collect: () => undefined, text: (t) => t };
  }
  return {
    active,
    isSecretKey,
    value: (path, value) => redact(value, path.some(isSecretKey)),
    collect: (value, path = []) => collect(value, path.some(isSecretKey)),
    text(text) {
      index ??= indexSecrets(secrets);
      let out = scrubbed.get(text);
      if (out === undefined) {
        out = scrub(text.replace(PEM, REDACTED), index);
        if (scrubbed.size < MEMO_LIMIT) scrubbed.set(text, out);
      }
      return out;
    },
  };
}

/** An IP address or network (`10.0.0.1`, `10.0.0.0/24`, `fd00::1`), never scrubbed from texts. */
function isAddress(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  return rest.length === 0 && isIP(address ?? '') !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix));
}

/** How many scrubbed texts a redactor remembers (a bound on its memory, not a tuning knob). */
const MEMO_LIMIT = 200_000;

/** Secrets by their first MIN_SCRUBBED_LENGTH characters, longest first within each prefix. */
type SecretIndex = Map<string, string[]>;

function indexSecrets(secrets: Iterable<string>): SecretIndex {
  const index: SecretIndex = new Map();
  for (const secret of secrets) {
    const prefix = secret.slice(0, MIN_SCRUBBED_LENGTH);
    index.set(
      prefix,
      [...(index.get(prefix) ?? []), secret].sort((a, b) => b.length - a.length),
    );
  }
  return index;
}

/**
 * `text` with every secret replaced, in one pass: at each position only the secrets that start
 * with the next few characters are tried, the longest first, so that a secret containing
 * another is replaced whole. (Trying every secret against every text took most of the time of
 * a site of a thousand nodes.)
 */
function scrub(text: string, index: SecretIndex): string {
  if (index.size === 0 || text.length < MIN_SCRUBBED_LENGTH) return text;
  let out = '';
  let copied = 0;
  for (let i = 0; i + MIN_SCRUBBED_LENGTH <= text.length;) {
    const hit = index.get(text.slice(i, i + MIN_SCRUBBED_LENGTH))?.find((secret) => text.startsWith(secret, i));
    if (hit === undefined) {
      i++;
      continue;
    }
    out += text.slice(copied, i) + REDACTED;
    i += hit.length;
    copied = i;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
