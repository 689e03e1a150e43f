/**
 * Issue 16, item 1: the docs of a model hold no secret and no path of the machine. Values
 * under secret-named keys, and PEM key material anywhere, are `<redacted>` in the site and
 * in `explain`, unless --show-secrets; the property feeds random hostile models through
 * both docs formats and looks for every secret value in every file written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDocs } from '../../src/docs/index.js';
import { openInventory } from '../../src/api/inventory.js';
import { SECRET_KEY_WORDS } from '../../src/publish/redact.js';
import { CEILING, listFiles, removeDir, runCli, runMeasured, tempDir, writeTree } from './helpers.js';

let scratch: string;
beforeAll(() => {
  scratch = tempDir();
});
afterAll(() => removeDir(scratch));

const KEY = `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAvQ8aF3kZ9Hn0WqT5PxLrSecretKeyBody\n-----END RSA PRIVATE KEY-----`;

/** An MCP-shaped model with a private key, service passwords and a password reused by reference. */
function mcpModel(dir: string): string {
  return writeTree(dir, {
    'reclass-config.yml': 'secret_keys: [community]\n',
    'classes/system/mysql.yml':
      'parameters:\n  mysql:\n    server:\n      admin:\n        password: ${_param:mysql_admin_password}\n',
    'classes/cluster/lab/init.yml': [
      'classes:',
      '  - system.mysql',
      'parameters:',
      '  _param:',
      '    mysql_admin_password: Kx9vTq2mWz8p',
      '    snmp_community: pubCommunity77',
      '  salt:',
      '    minion:',
      '      private_key: |',
      ...KEY.split('\n').map((l) => `        ${l}`),
      '  keystone:',
      '    token: 6f1e0a9c55aa',
      '',
    ].join('\n'),
    'nodes/ctl01.lab.local.yml': [
      'classes:',
      '  - cluster.lab',
      'parameters:',
      '  linux:',
      '    network:',
      '      interface:',
      '        eth0:',
      '          type: eth',
      '          proto: static',
      '          address: 10.0.0.2',
      '          netmask: 255.255.255.0',
      '          # a secret reused where it does not belong ends up in a validation problem',
      '          mtu: ${_param:snmp_community}',
      '',
    ].join('\n'),
  });
}

const SECRETS = ['Kx9vTq2mWz8p', 'pubCommunity77', 'MIIEowIBAAKCAQEAvQ8aF3kZ9Hn0WqT5PxLrSecretKeyBody', '6f1e0a9c55aa'];

function siteText(out: string): string {
  return listFiles(out)
    .map((f) => readFileSync(join(out, f), 'utf8'))
    .join('\n');
}

describe('docs of a model with secrets', () => {
  for (const format of ['html', 'markdown']) {
    it(`redact every secret and every machine path (${format})`, () => {
      const inv = mcpModel(join(scratch, `mcp-${format}`));
      const out = join(scratch, `site-${format}`);
      const r = runMeasured(['docs', '--inventory', inv, '--out', out, '--format', format]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.ms).toBeLessThan(CEILING.ms);
      expect(r.peakMb).toBeLessThan(CEILING.mb);
      const text = siteText(out);
      for (const s of SECRETS) expect(text).not.toContain(s);
      expect(text).not.toContain('BEGIN RSA PRIVATE KEY');
      expect(text).not.toContain(inv);
      expect(text).not.toContain(scratch);
      // Provenance is kept: the redacted value still names the class that set it.
      expect(text).toMatch(/redacted/);
      expect(text).toContain('classes/cluster/lab/init.yml');
    });
  }

  it('--show-secrets publishes them', () => {
    const inv = mcpModel(join(scratch, 'mcp-show'));
    const out = join(scratch, 'site-show');
    const r = runCli(['docs', '--inventory', inv, '--out', out, '--format', 'markdown', '--show-secrets']);
    expect(r.code).toBe(0);
    expect(siteText(out)).toContain('Kx9vTq2mWz8p');
  });

  it('explain redacts a password, keeping where it came from', () => {
    const inv = mcpModel(join(scratch, 'mcp-explain'));
    const r = runCli(['explain', 'ctl01', 'mysql:server:admin:password', '--inventory', inv]);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('Kx9vTq2mWz8p');
    expect(r.stdout).not.toContain(inv);
    expect(r.stdout).toContain('"<redacted>"');
    expect(r.stdout).toContain('classes/system/mysql.yml:5:');
    const shown = runCli(['explain', 'ctl01', 'mysql:server:admin:password', '--inventory', inv, '--show-secrets']);
    expect(shown.stdout).toContain('Kx9vTq2mWz8p');
  });
});

describe('property: no value of a secret-named key appears anywhere in the site', () => {
  const secretValue = fc.stringMatching(/^[A-Za-z0-9]{10,16}$/).map((s) => `Zq${s}`);
  const plainKey = fc.constantFrom('name', 'host', 'port', 'mtu', 'role', 'user', 'bind', 'keyword', 'passage');
  const secretKey = fc
    .tuple(
      fc.constantFrom(...SECRET_KEY_WORDS, 'community'),
      fc.constantFrom('', 'db_', 'admin_'),
      fc.constantFrom('', '_1', 'S'),
      fc.boolean(),
    )
    .map(([w, pre, post, upper]) => `${pre}${upper ? w.toUpperCase() : w}${post}`);
  /** Parameters with secrets at random depths: directly, in lists, as whole mappings. */
  const tree: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
    node: fc.dictionary(
      fc.oneof(plainKey, secretKey),
      fc.oneof(
        fc.constantFrom('plain', '1500', 'x'),
        secretValue,
        fc.array(secretValue, { maxLength: 2 }),
        tie('node'),
      ),
      { maxKeys: 4 },
    ),
  })).node;

  it('holds for random models, both formats', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        tree,
        tree,
        secretValue,
        fc.constantFrom('html', 'markdown'),
        async (clsParams, nodeParams, reused, format) => {
          const dir = join(scratch, `prop-${run++}`);
          const yaml = (v: unknown) => JSON.stringify(v); // JSON is YAML
          writeTree(dir, {
            'reclass-config.yml': 'secret_keys: [community]\n',
            'classes/c.yml': `parameters: ${yaml({ ...clsParams, _param: { db_password: reused } })}\n`,
            'nodes/n1.yml': `classes: [c]\nparameters: ${yaml({
              ...nodeParams,
              linux: {
                network: {
                  interface: {
                    eth0: { type: 'eth', mtu: '${_param:db_password}', description: '${_param:db_password}' },
                  },
                },
              },
            })}\n`,
          });
          const secrets = new Set<string>([reused]);
          const collect = (v: unknown, secret: boolean): void => {
            if (Array.isArray(v)) v.forEach((x) => collect(x, secret));
            else if (v && typeof v === 'object')
              for (const [k, x] of Object.entries(v))
                collect(
                  x,
                  secret ||
                    /password|passwd|passphrase|secret|token|private|privkey|api_?key|access_key|credential|psk|key_material|cookie|signing_key|encryption_key|community/i.test(
                      k,
                    ),
                );
            else if (secret && typeof v === 'string' && v.startsWith('Zq')) secrets.add(v);
          };
          collect(clsParams, false);
          collect(nodeParams, false);
          const inv = await openInventory(dir);
          const out = join(dir, 'site');
          await generateDocs(inv, out, { format });
          const text = siteText(out);
          for (const s of secrets) expect(text, `secret ${s} published`).not.toContain(s);
          expect(text).not.toContain(dir);
        },
      ),
      { numRuns: 20 },
    );
  });
});
