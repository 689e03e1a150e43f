/**
 * Issue 16, item 6: errors that lied or hid. A directory that cannot be read is an error,
 * not an empty inventory; control characters from a model never reach the terminal raw;
 * a message names its kind, parameter and file once; a refused file operation is not an
 * "internal error".
 */
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI,
  expectBoundedFailure,
  expectCleanFailure,
  removeDir,
  runCli,
  runMeasured,
  tempDir,
  writeTree,
} from './helpers.js';
import { spawnSync } from 'node:child_process';

let scratch: string;
beforeAll(() => {
  scratch = tempDir();
  chmodSync(scratch, 0o755);
});
afterAll(() => removeDir(scratch));

describe('messages', () => {
  it('a missing reference names the kind, the parameter and the file once', () => {
    const inv = writeTree(join(scratch, 'missing-ref'), { 'nodes/n.yml': 'parameters:\n  a: ${nope}\n' });
    const r = runMeasured(['node', 'n', '--inventory', inv]);
    expectBoundedFailure(r, {
      code: 1,
      kind: 'ResolveError',
      contains: [`${join(inv, 'nodes/n.yml')}:2:6`, 'for node n'],
    });
    expect(r.stderr.match(/ResolveError/g)).toHaveLength(1);
    expect(r.stderr.match(/at parameter a/g)).toHaveLength(1);
    expect(r.stderr.match(/n\.yml:2:6/g)).toHaveLength(1);
  });

  it('ESC and other control characters from the model are escaped', () => {
    const inv = writeTree(join(scratch, 'esc'), { 'nodes/n.yml': 'classes:\n  - "evil\\e]0;owned\\u0007\\rclass"\n' });
    const r = runMeasured(['node', 'n', '--inventory', inv]);
    expectBoundedFailure(r, { code: 1, kind: 'ClassNotFound', contains: ['\\x1b]0;owned\\x07\\rclass'] });
    // No control character but the line end (\p{Cc} also holds the C1 controls, never printed either).
    expect(r.stderr.replace(/\n/g, '')).not.toMatch(/\p{Cc}/u);
  });

  it('a node name too long for the file system is an input error, not an internal error', () => {
    const inv = writeTree(join(scratch, 'long'), { 'nodes/n.yml': 'parameters: {}\n' });
    const r = runMeasured(['render', 'n', '--inventory', inv, '--out', join(scratch, 'x'.repeat(300), 'out')]);
    expectBoundedFailure(r, { code: 1, contains: ['ENAMETOOLONG'] });
  });

  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
  it.skipIf(!setpriv || process.getuid?.() !== 0)(
    'an unreadable nodes directory is an error, not an empty inventory',
    () => {
      // As root every directory is readable: run the command as nobody.
      const inv = writeTree(join(scratch, 'unreadable'), {
        'nodes/n.yml': 'parameters: {}\n',
        'classes/c.yml': 'parameters: {}\n',
      });
      chmodSync(inv, 0o755);
      chmodSync(join(inv, 'classes'), 0o755);
      chmodSync(join(inv, 'nodes'), 0o000);
      const start = Date.now();
      const r = spawnSync(
        setpriv!,
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'validate', '--inventory', inv],
        {
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
      const result = {
        code: r.status,
        signal: r.signal,
        stdout: r.stdout,
        stderr: r.stderr,
        ms: Date.now() - start,
        timedOut: false,
      };
      expectCleanFailure(result, {
        code: 1,
        kind: 'ConfigError',
        contains: [join(inv, 'nodes'), 'EACCES'],
        maxMs: 10_000,
      });
      expect(r.stdout).toBe('');
    },
  );
});

it('validate on a readable inventory still works (the control of the case above)', () => {
  const inv = writeTree(join(scratch, 'readable'), { 'nodes/n.yml': 'parameters: {}\n' });
  const r = runCli(['validate', '--inventory', inv]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('1 nodes checked');
});
