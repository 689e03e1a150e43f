/**
 * The JSON writer: Python's json.dumps(indent=2) text, and the text a writer keeps for the
 * documents it writes after. What one writer keeps is its own: a document written by a
 * writer that wrote many others reads as one written by a fresh writer.
 */
import { describe, expect, it } from 'vitest';
import { JsonWriter, pythonJson, pythonJsonAt } from '../../src/cli/output.js';
import { PyFloat, PyKey } from '../../src/resolve/pyvalue.js';

describe('JsonWriter', () => {
  it("writes what Python's json.dumps(indent=2) writes", () => {
    const doc = new Map<unknown, unknown>([
      ['text', 'caf\u00e9 \u2603 "q"'],
      ['float', new PyFloat(1)],
      ['int', 10],
      ['list', ['a', 'b']],
      ['empty', new Map()],
      ['none', [null, true, false]],
      [new PyKey(true), 'typed key'],
    ]);
    expect(new JsonWriter().text(doc)).toBe(
      [
        '{',
        '  "text": "caf\\u00e9 \\u2603 \\"q\\"",',
        '  "float": 1.0,',
        '  "int": 10,',
        '  "list": [',
        '    "a",',
        '    "b"',
        '  ],',
        '  "empty": {},',
        '  "none": [',
        '    null,',
        '    true,',
        '    false',
        '  ],',
        '  "true": "typed key"',
        '}',
      ].join('\n'),
    );
  });

  it('writes each document of a run as a fresh writer would', () => {
    const writer = new JsonWriter();
    const classes = ['system.linux', 'system.ntp', 'cluster.one'];
    const docs = [
      { classes: [...classes], nested: { classes: [...classes] }, name: 'n\u00f61' },
      // Same first class, other classes: a kept list of strings must not stand in for it.
      { classes: ['system.linux', 'system.other'], nested: { classes: [...classes] }, name: 'n\u00f61' },
      { classes: [...classes], deeper: [[classes]], name: 'n2' },
      { classes: ['system.linux', 1, 'x'] },
    ];
    for (const doc of docs) {
      const parts: string[] = ['prefix'];
      writer.parts(doc, parts, 2);
      expect(parts.join('')).toBe('prefix' + pythonJsonAt(doc, 2));
      expect(writer.text(doc)).toBe(pythonJson(doc));
    }
  });

  it('writes correctly after its kept text fills up and is dropped', () => {
    const writer = new JsonWriter();
    const many = Array.from({ length: 100_050 }, (_, i) => `s${i}\u00e9`);
    const text = writer.text({ many, again: many.slice(0, 3) });
    expect(JSON.parse(text)).toEqual({ many, again: many.slice(0, 3) });
    expect(writer.text(['s1\u00e9'])).toBe('[\n  "s1\\u00e9"\n]');
  });
});
