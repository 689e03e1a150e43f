/**
 * The templates as the build compiles them (run on nunjucks' runtime module alone) against
 * the plain nunjucks Environment: the same text for the stanzas and OVS lines of every node of
 * the embedded model and the shared corpora and for random contexts, the same errors, and the
 * plain path wherever a template's text is not the one compiled.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openInventory } from '../../src/api/inventory.js';
import { analyzeNetwork } from '../../src/network/index.js';
import { interfacesStanzas, ovsCommands } from '../../src/render/index.js';
import {
  environmentRenderer,
  precompiledRenderer,
  PRECOMPILED_TEMPLATES,
  TEMPLATES_DIR,
  type TemplateRenderer,
} from '../../src/render/templates.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
// `npm test` builds first; the build writes the compiled templates beside templates.js.
const BUILT = join(REPO, 'dist/src/render', PRECOMPILED_TEMPLATES);
const CORPORA = ['mk24-ovs-dvr-vlan-bm', 'mcp-ocata-ovs'].map((c) => join(REPO, '../shared/corpus', c, 'inventory'));
const SEED = Number(process.env.HARDENING_SEED ?? 20_250_611);

function outcome(renderer: TemplateRenderer, name: string, context: object): { text?: string; error?: string } {
  try {
    return { text: renderer.render(name, context) };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

describe('the precompiled templates', () => {
  const plain = environmentRenderer();
  const fast = () => {
    const renderer = precompiledRenderer(BUILT);
    expect(renderer).toBeDefined();
    return renderer!;
  };
  const same = (renderer: TemplateRenderer, name: string, context: object) =>
    expect(outcome(renderer, name, context)).toEqual(outcome(plain, name, context));

  it('are built from the current templates', () => {
    expect(existsSync(BUILT)).toBe(true);
    expect(precompiledRenderer(join(REPO, 'dist/no-such-templates.cjs'))).toBeUndefined();
  });

  it('render every node of the embedded model and the corpora as nunjucks does', async (context) => {
    const renderer = fast();
    const dirs = [REPO, ...CORPORA.filter((d) => existsSync(d))];
    if (dirs.length < 3) context.skip('shared corpora missing');
    let rendered = 0;
    for (const dir of dirs) {
      const inv = await openInventory(dir, { provenance: false });
      for (const name of inv.nodeNames()) {
        const { model } = analyzeNetwork(await inv.node(name));
        if (!model) continue;
        let stanzas, lines;
        try {
          stanzas = interfacesStanzas(model);
          lines = ovsCommands(model);
        } catch {
          continue; // a model the renderer refuses never reaches the templates
        }
        same(renderer, 'interfaces.njk', {
          node: name,
          enabled: model.enabled,
          sources: ['/etc/network/interfaces.d/*'],
          stanzas,
        });
        same(renderer, 'interfaces.njk', { node: name, enabled: !model.enabled, sources: [], stanzas });
        same(renderer, 'ovs-setup.sh.njk', { node: name, lines });
        rendered++;
      }
    }
    expect(rendered).toBeGreaterThan(40);
  });

  it('render random contexts, and fail on missing values, as nunjucks does', () => {
    const renderer = fast();
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const value = fc.oneof(text, fc.integer(), fc.constant(undefined), fc.constant(null), fc.boolean());
    const stanza = fc.record(
      {
        name: value,
        family: value,
        method: value,
        comment: value,
        classes: fc.array(value, { maxLength: 3 }),
        options: fc.array(fc.tuple(value, value), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    const interfaces = fc.record(
      {
        node: value,
        enabled: value,
        sources: fc.array(value, { maxLength: 3 }),
        stanzas: fc.array(stanza, { maxLength: 3 }),
        range: value,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(interfaces, (context) => {
        same(renderer, 'interfaces.njk', context);
      }),
      { seed: SEED, numRuns: 400 },
    );
    const ovs = fc.record(
      { node: value, lines: fc.oneof(fc.array(value, { maxLength: 4 }), value) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(ovs, (context) => {
        same(renderer, 'ovs-setup.sh.njk', context);
      }),
      { seed: SEED, numRuns: 200 },
    );
    same(renderer, 'no-such-template.njk', {});
  });

  describe('with a template changed after the build', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reclass-net-templates-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('renders the changed text through nunjucks', () => {
      writeFileSync(join(dir, 'ovs-setup.sh.njk'), 'changed {{ node }}\n');
      writeFileSync(join(dir, 'interfaces.njk'), readFileSync(join(TEMPLATES_DIR, 'interfaces.njk')));
      const renderer = precompiledRenderer(BUILT, dir)!;
      expect(renderer.render('ovs-setup.sh.njk', { node: 'n1', lines: [] })).toBe('changed n1\n');
      expect(renderer.render('interfaces.njk', { node: 'n1', enabled: true, sources: [], stanzas: [] })).toContain(
        '# Network interfaces of node n1',
      );
    });
  });
});
