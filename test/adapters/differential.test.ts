// reclass-net's Salt and Ansible adapters against reclass 1.7's own (reclass.adapters.salt
// and reclass.adapters.ansible of Debian's python3-reclass) on the embedded model and every
// corpus: the same JSON text for every node's pillar, top and host variables, and for the
// whole-inventory top and group list. A disagreement is a failure.
import { describe, expect, it } from 'vitest';
import { ansibleHost, ansibleList, configuredPostfix } from '../../src/adapters/ansible.js';
import { saltPillar, saltTop, saltTopAll } from '../../src/adapters/salt.js';
import { pythonJson } from '../../src/cli/output.js';
import { openInventory } from '../../src/index.js';
import { available, inventories, runAdapters, type OracleRequest, type OracleResult } from './oracle.js';

if (!available) console.warn('test/adapters: python3-reclass (reclass 1.7) is not installed; skipping');

/** reclass-ansible's `__reclass__` carries the time of the call; the text around it must match. */
const TIMESTAMP = /"timestamp": "[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}"/g;
const sameTime = (text: string) => text.replace(TIMESTAMP, '"timestamp": "T"');

function textOf(result: OracleResult | undefined, what: string): string {
  if (!result?.ok) throw new Error(`reclass 1.7 failed on ${what}: ${JSON.stringify(result)}`);
  return result.text.trimEnd();
}

describe.skipIf(!available)('the Salt and Ansible adapters, against reclass 1.7', () => {
  for (const { label, dir } of inventories()) {
    it(`${label}: every node's pillar, top and host variables; the whole top and the group list`, async () => {
      const inv = await openInventory(dir, { provenance: false });
      const names = inv.nodeNames();
      expect(names.length).toBeGreaterThan(0);
      const requests: OracleRequest[] = [['top'], ['ansible', '--list']];
      for (const name of names) requests.push(['pillar', name], ['top', name], ['ansible', '--host', name]);
      const { results, mirrorNodes } = await runAdapters(dir, requests);
      const [topAll, list, ...perNode] = results;

      expect(pythonJson(saltTopAll(inv)), 'top(None)').toBe(textOf(topAll, 'top(None)'));
      // reclass-ansible prints no _meta; ours adds it (checked in cli.test.ts).
      const groups = ansibleList(inv, { applicationsPostfix: configuredPostfix(inv), meta: false });
      expect(pythonJson(groups), 'ansible --list').toBe(textOf(list, 'ansible --list'));

      names.forEach((name, i) => {
        const [pillar, top, host] = perNode.slice(3 * i, 3 * i + 3);
        const node = inv.rawNode(name);
        expect(pythonJson(saltPillar(node, name)), `ext_pillar ${name}`).toBe(textOf(pillar, `ext_pillar ${name}`));
        expect(pythonJson(saltTop(node)), `top ${name}`).toBe(textOf(top, `top ${name}`));
        // reclass saw the node files through the mirror's nodes/ symlink.
        const ours = sameTime(pythonJson(ansibleHost(node))).replaceAll(
          `yaml_fs://${inv.config.nodesDir}/`,
          `yaml_fs://${mirrorNodes}/`,
        );
        expect(ours, `ansible --host ${name}`).toBe(sameTime(textOf(host, `ansible --host ${name}`)));
      });
    });
  }
});
