// `require('reclass-net')` works from CommonJS (package.json exports: require -> dist/cjs).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('the library from CommonJS', () => {
  it('resolves and renders a node through require', () => {
    const r = spawnSync(process.execPath, [join(repo, 'test/cli/require.test.cjs'), repo], {
      encoding: 'utf8',
      cwd: repo,
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ node: 'cmp01.mcp-lab.local', hasInterfaces: true });
  });
});
