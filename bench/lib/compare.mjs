// Node-for-node comparison of two `reclass -i -o json` style outputs.
//
// At N = 5000 each output is ~200 MB. JSON.parse of both at once would need a few GB
// of heap (and a single string that large is close to V8's limit), so instead the
// file is read as a Buffer (off-heap), the spans of the top-level members and of each
// node are found by a byte scanner that does not build values, and only one node of
// each side is parsed at a time. Scanning bytes is safe for UTF-8: every byte of a
// multi-byte sequence is >= 0x80, so it can never look like a quote, brace or comma.
//
// Numbers are compared after JSON.parse, so `1` and `1.0` count as equal; reclass-net's
// own conformance tests check scalar types, this only checks the resolved data.
import { readFileSync } from 'node:fs';

const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  LBRACE = 0x7b,
  RBRACE = 0x7d,
  LBRACK = 0x5b,
  RBRACK = 0x5d;
const COMMA = 0x2c,
  COLON = 0x3a;
/** Marks a key present on one side only (distinct from any JSON value). */
const MISSING = Symbol('missing');

function skipWs(buf, i) {
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
  return i;
}

/** Index just past the string whose opening quote is at i. */
function skipString(buf, i) {
  let j = i + 1;
  for (;;) {
    // indexOf is native and far faster than a JS byte loop over long strings.
    const q = buf.indexOf(QUOTE, j);
    if (q < 0) throw new Error(`unterminated string at byte ${i}`);
    let bs = 0;
    for (let k = q - 1; buf[k] === BACKSLASH; k--) bs++;
    if (bs % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** Index just past the JSON value starting at i (i at its first byte). */
function skipValue(buf, i) {
  const c = buf[i];
  if (c === QUOTE) return skipString(buf, i);
  if (c !== LBRACE && c !== LBRACK) {
    while (
      i < buf.length &&
      buf[i] !== COMMA &&
      buf[i] !== RBRACE &&
      buf[i] !== RBRACK &&
      buf[i] !== 0x20 &&
      buf[i] !== 0x0a &&
      buf[i] !== 0x0d &&
      buf[i] !== 0x09
    )
      i++;
    return i;
  }
  let depth = 0;
  while (i < buf.length) {
    const b = buf[i];
    if (b === QUOTE) {
      i = skipString(buf, i);
      continue;
    }
    if (b === LBRACE || b === LBRACK) depth++;
    else if ((b === RBRACE || b === RBRACK) && --depth === 0) return i + 1;
    i++;
  }
  throw new Error('unterminated value');
}

/** Map key -> [start, end) byte span of each member of the object starting at i. */
function objectMembers(buf, i) {
  i = skipWs(buf, i);
  if (buf[i] !== LBRACE) throw new Error(`expected an object at byte ${i}`);
  const members = new Map();
  i = skipWs(buf, i + 1);
  if (buf[i] === RBRACE) return members;
  for (;;) {
    if (buf[i] !== QUOTE) throw new Error(`expected a key at byte ${i}`);
    const keyEnd = skipString(buf, i);
    const key = JSON.parse(buf.toString('utf8', i, keyEnd));
    i = skipWs(buf, keyEnd);
    if (buf[i] !== COLON) throw new Error(`expected ':' at byte ${i}`);
    const start = skipWs(buf, i + 1);
    const end = skipValue(buf, start);
    members.set(key, [start, end]); // duplicate keys: the last wins, as in JSON.parse
    i = skipWs(buf, end);
    if (buf[i] === COMMA) {
      i = skipWs(buf, i + 1);
      continue;
    }
    if (buf[i] === RBRACE) return members;
    throw new Error(`expected ',' or '}' at byte ${i}`);
  }
}

/** A lazily indexed inventory output file. */
function openOutput(file) {
  const buf = readFileSync(file);
  const top = objectMembers(buf, 0);
  const nodesSpan = top.get('nodes');
  const nodes = nodesSpan ? objectMembers(buf, nodesSpan[0]) : new Map();
  const parse = (span) => JSON.parse(buf.toString('utf8', span[0], span[1]));
  return {
    bytes: buf.length,
    nodeNames: [...nodes.keys()],
    hasNode: (name) => nodes.has(name),
    node(name) {
      const v = parse(nodes.get(name));
      if (v && typeof v === 'object') delete v.__reclass__; // timestamps and URIs differ by design
      return v;
    },
    member: (key) => (top.has(key) ? parse(top.get(key)) : undefined),
  };
}

/** Push up to `limit` differences between a and b, with their paths, onto out. */
function deepDiff(a, b, path, out, limit) {
  if (out.length >= limit) return;
  if (Object.is(a, b)) return;
  const ta = kind(a),
    tb = kind(b);
  if (ta !== tb) {
    out.push({ path, a, b });
    return;
  }
  if (ta === 'array') {
    if (a.length !== b.length) out.push({ path: `${path} (length ${a.length} vs ${b.length})`, a, b });
    for (let i = 0; i < Math.min(a.length, b.length) && out.length < limit; i++)
      deepDiff(a[i], b[i], `${path}[${i}]`, out, limit);
    return;
  }
  if (ta === 'object') {
    for (const k of Object.keys(a)) {
      if (out.length >= limit) return;
      if (!Object.hasOwn(b, k)) out.push({ path: `${path}.${k}`, a: a[k], b: MISSING });
      else deepDiff(a[k], b[k], `${path}.${k}`, out, limit);
    }
    for (const k of Object.keys(b)) {
      if (out.length >= limit) return;
      if (!Object.hasOwn(a, k)) out.push({ path: `${path}.${k}`, a: MISSING, b: b[k] });
    }
    return;
  }
  out.push({ path, a, b });
}

function kind(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Short printable form of a value for a difference report. */
function brief(v, max = 120) {
  if (v === MISSING) return '(absent)';
  let s;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * Compare two inventory outputs (`reclass -i` shape) file by file.
 * @returns {{agree:boolean, nodes:number, differing:number, missing:string[], extra:string[], examples:string[], error?:string}}
 */
export function compareInventories(refFile, candFile, { maxExamples = 8 } = {}) {
  let ref, cand;
  try {
    ref = openOutput(refFile);
  } catch (e) {
    return failed(`reference output unreadable: ${e.message}`);
  }
  try {
    cand = openOutput(candFile);
  } catch (e) {
    return failed(`reclass-net output unreadable: ${e.message}`);
  }
  const missing = ref.nodeNames.filter((n) => !cand.hasNode(n));
  const extra = cand.nodeNames.filter((n) => !ref.hasNode(n));
  const examples = [];
  let differing = 0;
  for (const name of ref.nodeNames) {
    if (!cand.hasNode(name)) continue;
    const diffs = diffParsed(
      () => ref.node(name),
      () => cand.node(name),
      `nodes[${name}]`,
      3,
    );
    if (diffs.length) {
      differing++;
      if (examples.length < maxExamples) examples.push(...diffs.map(formatDiff));
    }
  }
  for (const key of ['classes', 'applications']) {
    const diffs = diffParsed(
      () => ref.member(key),
      () => cand.member(key),
      key,
      3,
    );
    if (diffs.length) examples.push(...diffs.map(formatDiff));
  }
  for (const n of missing.slice(0, 3)) examples.push(`node ${n}: missing from reclass-net output`);
  for (const n of extra.slice(0, 3)) examples.push(`node ${n}: only in reclass-net output`);
  return {
    agree: examples.length === 0,
    nodes: ref.nodeNames.length,
    differing,
    missing,
    extra,
    examples: examples.slice(0, maxExamples * 3),
  };
}

/** Compare two single-node outputs (`reclass -n` shape). */
export function compareNodeOutputs(refFile, candFile) {
  const load = (f) => {
    const v = JSON.parse(readFileSync(f, 'utf8'));
    delete v.__reclass__;
    return v;
  };
  const diffs = diffParsed(
    () => load(refFile),
    () => load(candFile),
    'node',
    5,
  );
  return { agree: diffs.length === 0, examples: diffs.map(formatDiff) };
}

function diffParsed(getA, getB, path, limit) {
  let a, b;
  try {
    a = getA();
  } catch (e) {
    return [{ path, a: `<unparsable: ${e.message}>`, b: '' }];
  }
  try {
    b = getB();
  } catch (e) {
    return [{ path, a: '', b: `<unparsable: ${e.message}>` }];
  }
  const out = [];
  deepDiff(a, b, path, out, limit);
  return out;
}

function formatDiff(d) {
  return `${d.path}: reclass ${brief(d.a)} | reclass-net ${brief(d.b)}`;
}

function failed(error) {
  return { agree: false, nodes: 0, differing: 0, missing: [], extra: [], examples: [error], error };
}
