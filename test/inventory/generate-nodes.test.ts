import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatGeneratedNode, generateNodeFiles } from '../../src/inventory/generate-nodes.js';
import { ReclassNetError } from '../../src/errors.js';
import type { Value } from '../../src/types.js';

/** The value at `keys` below `value`, which the test knows to be nested objects. */
function at(value: unknown, ...keys: string[]): unknown {
  return keys.reduce((v, k) => (v as Record<string, unknown>)[k], value);
}

describe('generateNodeFiles', () => {
  it('turns a plain entry into NAME.DOMAIN.yml with classes, _param and linux:system', () => {
    const files = generateNodeFiles({
      openstack_control_node01: {
        name: 'ctl01',
        domain: 'mcp-lab.local',
        classes: ['cluster.mcp-lab.openstack.control'],
        params: { single_address: '10.11.1.11', keepalived_vip_priority: 103 },
      },
    });
    expect(files).toEqual([
      {
        fileName: 'ctl01.mcp-lab.local.yml',
        document: {
          classes: ['cluster.mcp-lab.openstack.control'],
          parameters: {
            _param: { keepalived_vip_priority: 103, single_address: '10.11.1.11' },
            linux: { system: { name: 'ctl01', domain: 'mcp-lab.local' } },
          },
        },
      },
    ]);
  });

  it('names an entry without name after its key, like the formula', () => {
    const [file] = generateNodeFiles({ mon01: { domain: 'd.local', classes: ['a'] } });
    expect(file.fileName).toBe('mon01.d.local.yml');
    expect(file.document.parameters).toEqual({ linux: { system: { name: 'mon01', domain: 'd.local' } } });
  });

  it('expands repeat with count, start and digits, and substitutes <<count>> in the name and repeat params', () => {
    const files = generateNodeFiles({
      openstack_compute_rack01: {
        name: 'cmp<<count>>',
        domain: 'mcp-lab.local',
        classes: ['cluster.mcp-lab.openstack.compute'],
        repeat: {
          count: 3,
          start: 9,
          digits: 2,
          params: {
            single_address: { value: '10.11.1.<<count>>', start: 101 },
            tenant_address: { value: '10.11.3.<<count>>', start: 1, digits: 3 },
          },
        },
        params: { linux_system_codename: 'focal', single_address: 'overridden' },
      },
    });
    expect(files.map((f) => f.fileName)).toEqual([
      'cmp09.mcp-lab.local.yml',
      'cmp10.mcp-lab.local.yml',
      'cmp11.mcp-lab.local.yml',
    ]);
    expect(files.map((f) => at(f.document.parameters, '_param'))).toEqual([
      { linux_system_codename: 'focal', single_address: '10.11.1.101', tenant_address: '10.11.3.001' },
      { linux_system_codename: 'focal', single_address: '10.11.1.102', tenant_address: '10.11.3.002' },
      { linux_system_codename: 'focal', single_address: '10.11.1.103', tenant_address: '10.11.3.003' },
    ]);
    expect(at(files[1].document.parameters, 'linux', 'system')).toEqual({ name: 'cmp10', domain: 'mcp-lab.local' });
  });

  it('uses start 1 and digits 1 when repeat leaves them out, and pads without truncating', () => {
    const files = generateNodeFiles({
      n: { name: 'osd<<count>>', domain: 'x', repeat: { count: 11, params: { a: { value: '<<count>>', digits: 1 } } } },
    });
    expect(files.map((f) => f.fileName).slice(0, 2)).toEqual(['osd1.x.yml', 'osd10.x.yml']);
    expect(files).toHaveLength(11);
    expect(files.map((f) => at(f.document.parameters, '_param', 'a'))).toContain('11');
  });

  it('replaces every occurrence of the symbol, and honours another replace symbol', () => {
    const [a] = generateNodeFiles({ n: { name: 'r<<count>>n<<count>>', domain: 'x', repeat: { count: 1, start: 4 } } });
    expect(a.fileName).toBe('r4n4.x.yml');
    const [b] = generateNodeFiles(
      { n: { name: 'kcmp##', domain: 'x', repeat: { count: 1, digits: 2, params: { p: { value: 'h##' } } } } },
      { replaceSymbol: '##' },
    );
    expect(b.fileName).toBe('kcmp01.x.yml');
    expect(at(b.document.parameters, '_param')).toEqual({ p: 'h1' });
  });

  it('leaves <<count>> in plain params, classes and domain alone, as salt-formula-reclass does', () => {
    const [f] = generateNodeFiles({
      n: {
        name: 'c<<count>>',
        domain: 'd',
        classes: ['cluster.<<count>>'],
        params: { hint: 'x<<count>>' },
        repeat: { count: 1 },
      },
    });
    expect(f.document.classes).toEqual(['cluster.<<count>>']);
    expect(at(f.document.parameters, '_param')).toEqual({ hint: 'x<<count>>' });
  });

  it('turns non-string repeat values into text like the Jinja replace filter', () => {
    const [f] = generateNodeFiles({
      n: { name: 'c<<count>>', domain: 'd', repeat: { count: 1, params: { n: { value: 7 }, b: { value: true } } } },
    });
    expect(at(f.document.parameters, '_param')).toEqual({ b: 'True', n: '7' });
  });

  it('generates disabled-looking entries too: the formula has no enabled switch', () => {
    const files = generateNodeFiles({ a: { name: 'a', domain: 'd', enabled: false } as Value });
    expect(files).toHaveLength(1);
  });

  it('sorts the output by file name whatever the input order, and does not modify its input', () => {
    const input: Value = {
      zeta: { name: 'aaa', domain: 'd', classes: ['c'] },
      alpha: { name: 'zzz', domain: 'd', params: { p: [1, 2] } },
    };
    const before = JSON.stringify(input);
    const files = generateNodeFiles(input);
    expect(files.map((f) => f.fileName)).toEqual(['aaa.d.yml', 'zzz.d.yml']);
    expect(JSON.stringify(input)).toBe(before);
    (at(files[1].document.parameters, '_param', 'p') as number[]).push(3);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('returns nothing for an absent or empty node mapping', () => {
    expect(generateNodeFiles(null)).toEqual([]);
    expect(generateNodeFiles({})).toEqual([]);
  });

  it.each<[string, Value, RegExp]>([
    ['a list instead of a mapping', [], /expected a mapping/],
    ['an entry that is not a mapping', { a: 'x' }, /must be a mapping/],
    ['an entry without domain', { a: { name: 'a' } }, /domain must be a non-empty string/],
    ['a repeat without count', { a: { name: 'a<<count>>', domain: 'd', repeat: {} } }, /count is required/],
    ['a fractional count', { a: { name: 'a', domain: 'd', repeat: { count: 1.5 } } }, /count must be an integer/],
    [
      'a repeat param without value',
      { a: { name: 'a', domain: 'd', repeat: { count: 1, params: { p: {} } } } },
      /needs a scalar value/,
    ],
    ['a name with a slash', { a: { name: '../a', domain: 'd' } }, /cannot be part of a file name/],
    ['classes that are not a list', { a: { name: 'a', domain: 'd', classes: 'x' } }, /classes must be a list/],
  ])('rejects %s with a MappingFormatError naming the path', (_label, input, message) => {
    let error: unknown;
    try {
      generateNodeFiles(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReclassNetError);
    expect((error as ReclassNetError).kind).toBe('MappingFormatError');
    expect((error as ReclassNetError).message).toMatch(message);
    expect((error as ReclassNetError).context.path).toMatch(/^reclass:storage:node/);
  });

  it('rejects two entries that generate the same file', () => {
    expect(() =>
      generateNodeFiles({
        a: { name: 'cmp<<count>>', domain: 'd', repeat: { count: 2 } },
        b: { name: 'cmp2', domain: 'd' },
      }),
    ).toThrow(/entries a and b both generate cmp2\.d\.yml/);
  });
});

describe('formatGeneratedNode', () => {
  it('writes the formula layout: classes first, unindented lists, _param then linux', () => {
    const [file] = generateNodeFiles({
      n: {
        name: 'cmp01',
        domain: 'mcp-lab.local',
        classes: ['cluster.mcp-lab.openstack.compute', 'x.y'],
        params: { b: 1, a: 'z' },
      },
    });
    expect(formatGeneratedNode(file.document)).toBe(
      [
        'classes:',
        '- cluster.mcp-lab.openstack.compute',
        '- x.y',
        'parameters:',
        '  _param:',
        '    a: z',
        '    b: 1',
        '  linux:',
        '    system:',
        '      name: cmp01',
        '      domain: mcp-lab.local',
        '',
      ].join('\n'),
    );
  });

  it('quotes strings a YAML 1.1 reader would re-type, so they read back as the same strings', () => {
    const values = ['yes', 'on', 'No', '010', '0x1F', '1:30', '1_000', '~', '', 'null', '3.0', '.inf', '10.11.1.101'];
    const params = Object.fromEntries(values.map((v, i) => [`p${i}`, v]));
    const text = formatGeneratedNode({ classes: [], parameters: { _param: params } });
    const back: unknown = parse(text, { version: '1.1' });
    expect(at(back, 'parameters', '_param')).toEqual(params);
    expect(text).toContain('p12: 10.11.1.101');
  });

  it('is deterministic and round-trips the document', () => {
    const files = generateNodeFiles({
      n: {
        name: 'n<<count>>',
        domain: 'd',
        classes: ['a'],
        repeat: { count: 2, params: { x: { value: 'v<<count>>' } } },
        params: { m: { k: [1, 'two'] } },
      },
    });
    for (const f of files) {
      const text = formatGeneratedNode(f.document);
      expect(formatGeneratedNode(structuredClone(f.document))).toBe(text);
      expect(parse(text, { version: '1.1' })).toEqual(f.document);
    }
  });
});
