import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReclassNetError } from '../../src/errors.js';
import { renderNetwork, writeRenderOutput } from '../../src/render/index.js';
import { referenceNode } from '../network/helpers.js';

const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reclass-net-write-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('writeRenderOutput', () => {
  it('writes NODE/etc/network/interfaces and an executable NODE/ovs-setup.sh, leaving no temp files', async () => {
    const out = scratch();
    const result = renderNetwork(referenceNode('05-compute-ovs-dvr-patch'));
    const written = await writeRenderOutput(out, 'cmp001', result);
    expect(written).toEqual([join(out, 'cmp001/etc/network/interfaces'), join(out, 'cmp001/ovs-setup.sh')]);
    expect(readFileSync(join(out, 'cmp001/etc/network/interfaces'), 'utf8')).toBe(result.interfaces);
    expect(readFileSync(join(out, 'cmp001/ovs-setup.sh'), 'utf8')).toBe(result.ovsScript);
    expect(statSync(join(out, 'cmp001/ovs-setup.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(join(out, 'cmp001/etc/network/interfaces')).mode & 0o777).toBe(0o644);
    expect(readdirSync(join(out, 'cmp001')).sort()).toEqual(['etc', 'ovs-setup.sh']);
    expect(readdirSync(join(out, 'cmp001/etc/network'))).toEqual(['interfaces']);
  });

  it('replaces existing files', async () => {
    const out = scratch();
    await writeRenderOutput(out, 'n', { files: { 'ovs-setup.sh': 'old\n' } });
    await writeRenderOutput(out, 'n', { files: { 'ovs-setup.sh': 'new\n' } });
    expect(readFileSync(join(out, 'n/ovs-setup.sh'), 'utf8')).toBe('new\n');
  });

  it.each(['..', '.', '../x', 'a/b', '/etc', ''])('refuses the node name %j', async (name) => {
    const out = scratch();
    await expect(writeRenderOutput(out, name, { files: { 'ovs-setup.sh': 'x' } })).rejects.toThrow(ReclassNetError);
    expect(readdirSync(out)).toEqual([]);
  });

  it.each(['../escape', '/etc/passwd', 'etc/../../escape'])('refuses the file path %j', async (rel) => {
    const out = scratch();
    await expect(writeRenderOutput(out, 'n', { files: { [rel]: 'x' } })).rejects.toThrow(/outside/);
    expect(existsSync(join(out, 'escape'))).toBe(false);
  });

  it('refuses to write through a symlink inside the output directory', async () => {
    const out = scratch();
    const elsewhere = scratch();
    mkdirSync(join(out, 'n'));
    symlinkSync(elsewhere, join(out, 'n/etc'));
    const error = await writeRenderOutput(out, 'n', { files: { 'etc/network/interfaces': 'x' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReclassNetError);
    expect((error as ReclassNetError).kind).toBe('OutputError');
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('refuses to replace a symlinked file', async () => {
    const out = scratch();
    const elsewhere = scratch();
    mkdirSync(join(out, 'n'));
    symlinkSync(join(elsewhere, 'target'), join(out, 'n/ovs-setup.sh'));
    await expect(writeRenderOutput(out, 'n', { files: { 'ovs-setup.sh': 'x' } })).rejects.toThrow(/symlink/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
