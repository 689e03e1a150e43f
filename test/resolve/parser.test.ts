import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandTabs, parseValueString, type Token } from '../../src/resolve/parser.js';

const str = (text: string): Token => ({ kind: 'str', text });
const ref = (...parts: Token[]): Token => ({ kind: 'ref', parts });

describe('reference parser', () => {
  it('leaves strings without sentinels alone', () => {
    expect(parseValueString('plain text with } and \\ and $')).toBeNull();
  });

  it('splits text and references', () => {
    expect(parseValueString('${a:b}')).toEqual([ref(str('a:b'))]);
    expect(parseValueString('http://${host}:${port}/')).toEqual([
      str('http://'),
      ref(str('host')),
      str(':'),
      ref(str('port')),
      str('/'),
    ]);
  });

  it('parses nested references inside out', () => {
    expect(parseValueString('${a:${b}}')).toEqual([ref(str('a:'), ref(str('b')))]);
  });

  it('turns \\${ into a literal ${ and \\\\${ into a backslash before a reference', () => {
    expect(parseValueString('\\${x}')).toEqual([str('${'), str('x}')]);
    expect(parseValueString('\\\\${x}')).toEqual([str('\\'), ref(str('x'))]);
  });

  it('keeps whitespace in a lone reference but skips it where pyparsing does', () => {
    // One sentinel: reclass's simple grammar keeps the spaces in the key.
    expect(parseValueString('${ a }')).toEqual([ref(str(' a '))]);
    // Two sentinels: the full grammar skips whitespace before each item in a reference.
    expect(parseValueString('${ a }${b}')).toEqual([ref(str('a ')), ref(str('b'))]);
  });

  it('reads sentinels made of characters that mean something in a regular expression', () => {
    const s = { refOpen: '^[', refClose: ']-', invOpen: '$(', invClose: ')', escape: '\\' };
    expect(parseValueString('a^[b:c]-d', s)).toEqual([str('a'), ref(str('b:c')), str('d')]);
    expect(parseValueString('a-b]^c ^[k]-', s)).toEqual([str('a-b]^c '), ref(str('k'))]);
    expect(parseValueString('x ^[a]-^[b]- y', s)).toEqual([str('x '), ref(str('a')), ref(str('b')), str(' y')]);
    expect(parseValueString('p\\^[q]-r', s)).toEqual([str('p'), str('^['), str('q]-r')]);
    expect(parseValueString('^[a^[b]-]-', s)).toEqual([ref(str('a'), ref(str('b')))]);
    expect(parseValueString('$(q)', s)).toEqual([{ kind: 'inv', parts: ['q'] }]);
  });

  it('parses inventory queries', () => {
    expect(parseValueString('$[ exports:ip ]')).toEqual([{ kind: 'inv', parts: [' exports:ip '] }]);
  });

  it('rejects unbalanced references with a ParseError', () => {
    expect(() => parseValueString('${a')).toThrow(/ParseError/);
    expect(() => parseValueString('${}')).toThrow(/ParseError/);
  });

  it('expands tabs like Python before parsing', () => {
    expect(expandTabs('a\tb')).toBe('a       b');
    expect(expandTabs('abcdefgh\tb')).toBe('abcdefgh        b');
  });
});

// reclass's own grammar is the specification: compare on random strings built from the
// characters that matter, in one Python process.
const PYTHON = '/usr/bin/python3';
const haveReclass = existsSync('/usr/lib/python3/dist-packages/reclass') && existsSync(PYTHON);

const ORACLE = String.raw`
import collections, collections.abc, sys, json
for n in ('Iterable','Mapping','MutableMapping','Sequence','MutableSequence','Set','MutableSet','Callable','Hashable'):
    if not hasattr(collections, n): setattr(collections, n, getattr(collections.abc, n))
import pyparsing as pp
from reclass.settings import Settings
import reclass.values.parser_funcs as parsers
s = Settings({})
full = parsers.get_ref_parser(s)
simple = parsers.get_simple_ref_parser(s)
def conv(toks):
    out = []
    for t, v in toks:
        if t == parsers.tags.STR: out.append({'kind': 'str', 'text': v})
        elif t == parsers.tags.REF: out.append({'kind': 'ref', 'parts': conv(v)})
        else: out.append({'kind': 'inv', 'parts': [x[1] for x in v]})
    return out
for line in sys.stdin:
    text = json.loads(line)
    cnt = text.count('$' + '{') + text.count('$' + '[')
    if cnt == 0:
        print('null'); continue
    try:
        toks = None
        if cnt == 1:
            try: toks = simple.parseString(text)
            except pp.ParseException: toks = None
        if toks is None: toks = full.parseString(text)
        print(json.dumps(conv(parsers.listify(toks))))
    except pp.ParseException:
        print('"ERROR"')
`;

describe.skipIf(!haveReclass)('reference parser against reclass 1.7', () => {
  it('agrees with pyparsing on thousands of random strings', () => {
    const pieces = ['$', '{', '}', '[', ']', '\\', 'a', ':', ' ', '\t', '${', '$[', '\\${', '\\\\${', 'x'];
    const inputs = fc.sample(
      fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 10 }).map((a) => a.join('')),
      {
        numRuns: 4000,
        seed: 20261125,
      },
    );
    const r = spawnSync(PYTHON, ['-c', ORACLE], {
      input: inputs.map((s) => JSON.stringify(s)).join('\n') + '\n',
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const expected = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(expected).toHaveLength(inputs.length);
    const mismatches = inputs.flatMap((text, i) => {
      let ours: unknown;
      try {
        ours = parseValueString(text);
      } catch {
        ours = 'ERROR';
      }
      return JSON.stringify(ours) === JSON.stringify(expected[i]) ? [] : [{ text, ours, reclass: expected[i] }];
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
