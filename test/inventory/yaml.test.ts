import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  loadYaml,
  positionOf,
  resolvePlainScalar,
  timestampText,
  type Raw,
  type RawMap,
} from '../../src/inventory/yaml.js';
import { BOOL, constructFloat, constructInt, FLOAT, INT, TIMESTAMP } from '../../src/inventory/scalars.js';
import { keyText, PyFloat } from '../../src/resolve/pyvalue.js';
import { ReclassNetError } from '../../src/errors.js';

describe('YAML as PyYAML reads it', () => {
  it('types plain scalars with YAML 1.1 rules', () => {
    expect(resolvePlainScalar('yes')).toBe(true);
    expect(resolvePlainScalar('Off')).toBe(false);
    expect(resolvePlainScalar('010')).toBe(8);
    expect(resolvePlainScalar('08')).toBe('08'); // not octal, not decimal: a string
    expect(resolvePlainScalar('0x1F')).toBe(31);
    expect(resolvePlainScalar('1_000')).toBe(1000);
    expect(resolvePlainScalar('1:30')).toBe(90); // sexagesimal
    expect(resolvePlainScalar('1e3')).toBe('1e3'); // YAML 1.1 floats need a dot
    expect(resolvePlainScalar('1.5e+3')).toEqual(new PyFloat(1500));
    expect(resolvePlainScalar('1.25')).toBe(1.25);
    expect(resolvePlainScalar('1.0')).toEqual(new PyFloat(1));
    expect(resolvePlainScalar('~')).toBeNull();
    expect(resolvePlainScalar('')).toBeNull();
    expect(resolvePlainScalar('2001-12-14')).toBe('2001-12-14');
  });

  it("types every plain scalar as PyYAML's resolver table does, regular expression by expression", () => {
    // The table itself, tested in PyYAML's order: resolvePlainScalar must give the same.
    const reference = (text: string): Raw => {
      if (BOOL.test(text)) return /^(?:yes|true|on)$/i.test(text);
      if (FLOAT.test(text)) return constructFloat(text);
      if (INT.test(text)) return constructInt(text);
      if (/^(?:~|null|Null|NULL|)$/.test(text)) return null;
      if (TIMESTAMP.test(text)) return timestampText(text);
      return text;
    };
    // `0x_` makes both throw, as it makes PyYAML's constructor raise.
    const outcome = (resolve: (text: string) => Raw, text: string): unknown => {
      try {
        return resolve(text);
      } catch (e) {
        return `throws ${(e as Error).name}`;
      }
    };
    const same = (text: string): void => {
      expect({ text, got: outcome(resolvePlainScalar, text) }).toEqual({ text, got: outcome(reference, text) });
    };
    const numbers = ['', '0', '00', '-0', '+0', '1', '9', '10', '07', '08', '999999999999999', '1000000000000000'];
    numbers.push('9007199254740993', '-12', '+12', '1_0', '0x_1', '0b1', '1:2', '1:60', '1e3', '1.5e+3', '+.5', '-5.');
    numbers.push('.', '-.', '1.', '.5', '1.2.3', '5:30.5', '1.2-', '12345-1', '-1.5', '+00.10', '1234567890123456.5');
    numbers.push('.inf', '-.INF', '.NaN', '.NAN', '+.Inf', '-.nan', '1.5_0', '0o7', '-0x1F', '0b2', '1:2:3', '-1:70');
    const words = ['yes', 'YES', 'yEs', 'on', 'oN', 'Null', 'nULL', '~', '~~', 'false', 'FALSE ', 'x', '$', '/x'];
    const others = ['2001-12-14', '2001-1-1', '2001-12-14 1:02:03', '2001-12-14 1:02:03.5', ',', '+', '-', '-x'];
    for (const text of [...numbers, ...words, ...others, '\u00e9', '\ud83d\ude00']) same(text);
    const piece = fc.constantFrom(
      ...'0123456789-+.:_xeET ZonyN~aAFIbBGp',
      'inf',
      'nan',
      'null',
      'yes',
      'Off',
      '0x',
      '0b',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        same(pieces.join(''));
      }),
      { seed: 20_250_611, numRuns: 50_000 },
    );
    // Near misses of timestamps and numbers: a written one with a few characters replaced.
    const written = fc.constantFrom(
      '2001-12-14 21:59:43.10 -5',
      '2001-12-14T21:59:43Z',
      '2001-1-2',
      '1_000.5e+3',
      '-0x1F',
    );
    const edit = fc.tuple(fc.nat(), piece);
    fc.assert(
      fc.property(written, fc.array(edit, { maxLength: 3 }), (text, edits) => {
        let edited = text;
        for (const [at, p] of edits)
          edited = edited.slice(0, at % edited.length) + p + edited.slice((at % edited.length) + 1);
        same(edited);
      }),
      { seed: 20_250_611, numRuns: 20_000 },
    );
  });

  it("makes timestamps the text Python's str() gives PyYAML's date and datetime", () => {
    // [source, str(yaml.safe_load(source))] from PyYAML 6; a ValueError keeps the source.
    const cases = [
      ['2002-12-14', '2002-12-14'],
      ['2002-12-14T00:00:00Z', '2002-12-14 00:00:00+00:00'],
      ['2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.100000-05:00'],
      ['2001-12-14 21:59:43.10 -5', '2001-12-14 21:59:43.100000-05:00'],
      ['2001-12-15 2:59:43.1', '2001-12-15 02:59:43.100000'],
      ['2010-1-2 3:04:05.000 +5:30', '2010-01-02 03:04:05+05:30'],
      ['2001-12-14T21:59:43.1234567+01', '2001-12-14 21:59:43.123456+01:00'],
      ['2001-12-14 21:59:43 -0:30', '2001-12-14 21:59:43-00:30'],
      ['2000-02-29 00:00:00', '2000-02-29 00:00:00'],
      ['2001-02-29 00:00:00', '2001-02-29 00:00:00'], // ValueError in PyYAML
      ['2001-13-01', '2001-13-01'], // ValueError
      ['2001-12-14 24:00:00', '2001-12-14 24:00:00'], // ValueError
    ];
    for (const [source, str] of cases) {
      expect(timestampText(source)).toBe(str);
      expect(resolvePlainScalar(source)).toBe(str);
    }
    const data = loadYaml('2002-12-14T00:00:00Z: k\nv: !!timestamp 2001-12-15 2:59:43.1\n', 'f.yml') as RawMap;
    expect([...data]).toEqual([
      ['2002-12-14 00:00:00+00:00', 'k'],
      ['v', '2001-12-15 02:59:43.100000'],
    ]);
  });

  it('keeps quoted scalars as strings and honours explicit tags', () => {
    const data = loadYaml('a: "yes"\nb: !!str 10\nc: !!int "12"\nd: !!float 3\n', 'f.yml') as RawMap;
    expect([...data.values()]).toEqual(['yes', '10', 12, new PyFloat(3)]);
  });

  it('lets the last duplicate key win, at its first position', () => {
    const data = loadYaml('a: 1\nb: 2\na: 3\n', 'f.yml') as RawMap;
    expect([...data.entries()]).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });

  it('applies merge keys with explicit keys winning', () => {
    const data = loadYaml('base: &b {x: 1, y: 2}\nnode:\n  <<: *b\n  y: 3\n', 'f.yml') as RawMap;
    expect([...(data.get('node') as RawMap).entries()]).toEqual([
      ['x', 1],
      ['y', 3],
    ]);
  });

  it('keeps non-string keys typed, folding keys Python considers equal into the first', () => {
    const data = loadYaml('1: a\ntrue: b\n~: c\nx: d\n', 'f.yml') as RawMap;
    const keys = [...data.keys()] as unknown[];
    expect(keys.map((k) => keyText(k, 'str'))).toEqual(['1', 'None', 'x']);
    expect(keys.map((k) => keyText(k, 'json'))).toEqual(['1', 'null', 'x']);
    expect([...data.values()]).toEqual(['b', 'c', 'd']); // 1 == True: one entry, last value
  });

  it('remembers where each value was written', () => {
    const data = loadYaml('a:\n  b: 1\n', 'f.yml') as RawMap;
    expect(positionOf(data.get('a') as RawMap, 'b')).toEqual({ line: 2, column: 6 });
  });

  it('reports syntax errors with file, line and column', () => {
    try {
      loadYaml('a: [1, 2\nb: 3\n', 'bad.yml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ReclassNetError);
      expect((e as ReclassNetError).kind).toBe('YamlError');
      expect((e as ReclassNetError).context.location?.file).toBe('bad.yml');
      expect((e as ReclassNetError).context.location?.line).toBeGreaterThan(0);
    }
  });

  it('stops alias bombs', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 10; i++)
      text += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    expect(() => loadYaml(text, 'bomb.yml')).toThrow(/alias/);
  });
});
