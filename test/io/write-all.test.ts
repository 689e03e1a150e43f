/**
 * The shared writer: all files or none, no link followed, checked before the first byte.
 * The property test plants random links, files and directories at every path the writer
 * is asked to use (targets and the directories above them) and holds it to one of two
 * outcomes: every file written as asked, or an OutputError with the tree unchanged.
 */
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ReclassNetError } from '../../src/errors.js';
import { writeAll } from '../../src/io/write-all.js';

const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reclass-net-writer-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Every entry below `dir`: path -> what it is and holds (links by their text, never followed). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const info = lstatSync(path);
      if (info.isSymbolicLink()) out[r] = `link ${readlinkSync(path)}`;
      else if (info.isDirectory()) {
        out[r] = 'dir';
        walk(path, r);
      } else out[r] = `file ${(info.mode & 0o777).toString(8)} ${readFileSync(path, 'utf8')}`;
    }
  };
  walk(dir, '');
  return out;
}

async function outputErrorOf(promise: Promise<unknown>): Promise<ReclassNetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReclassNetError);
  expect((error as ReclassNetError).kind).toBe('OutputError');
  return error as ReclassNetError;
}

describe('writeAll', () => {
  it('writes every file with its mode and leaves no temporary file behind', async () => {
    const root = join(scratch(), 'out');
    const written = await writeAll(root, [
      { path: 'a/b/c.txt', content: 'c\n' },
      { path: 'run.sh', content: '#!/bin/sh\n', mode: 0o755 },
    ]);
    expect(written).toEqual([join(root, 'a/b/c.txt'), join(root, 'run.sh')]);
    expect(snapshot(root)).toEqual({
      a: 'dir',
      'a/b': 'dir',
      'a/b/c.txt': 'file 644 c\n',
      'run.sh': 'file 755 #!/bin/sh\n',
    });
  });

  it('refuses a planted link at the last target before writing the first', async () => {
    const root = scratch();
    const victim = join(scratch(), 'victim');
    writeFileSync(victim, 'precious');
    writeFileSync(join(root, 'first'), 'old');
    symlinkSync(victim, join(root, 'second'));
    const before = snapshot(root);
    const error = await outputErrorOf(
      writeAll(root, [
        { path: 'first', content: 'new' },
        { path: 'second', content: 'evil' },
      ]),
    );
    expect(error.message).toContain(join(root, 'second'));
    expect(snapshot(root)).toEqual(before);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it.each(['../x', '/etc/passwd', 'a/../../x', 'a//b', './a', 'a\\b', ''])('refuses the path %j', async (path) => {
    const root = scratch();
    await outputErrorOf(writeAll(root, [{ path, content: 'x' }]));
    expect(snapshot(root)).toEqual({});
  });

  it('refuses a path asked for twice, or as a file and as a directory', async () => {
    const root = scratch();
    await outputErrorOf(
      writeAll(root, [
        { path: 'a', content: '1' },
        { path: 'a', content: '2' },
      ]),
    );
    await outputErrorOf(
      writeAll(root, [
        { path: 'a', content: '1' },
        { path: 'a/b', content: '2' },
      ]),
    );
    expect(snapshot(root)).toEqual({});
  });

  it('writes all or nothing whatever is planted at the targets and the directories above them', async () => {
    const TARGETS = ['n/etc/network/interfaces', 'n/ovs-setup.sh', 'n/etc/hosts', 'm/etc/hosts'];
    const places = [
      ...new Set(TARGETS.flatMap((t) => t.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/')))),
    ];
    const plant = fc.constantFrom(
      'nothing',
      'file',
      'dir',
      'link-to-file',
      'link-to-dir',
      'dangling-link',
      'link-to-self',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...places), plant, { maxKeys: 4 }),
        fc.subarray(TARGETS, { minLength: 1 }),
        async (planted, targets) => {
          const root = scratch();
          const outside = scratch();
          writeFileSync(join(outside, 'victim'), 'precious');
          mkdirSync(join(outside, 'dir'));
          // Shallow places first, so that deeper ones land inside planted directories.
          for (const place of Object.keys(planted).sort((a, b) => a.split('/').length - b.split('/').length)) {
            const path = join(root, place);
            try {
              mkdirSync(join(path, '..'), { recursive: true });
              const what = planted[place];
              if (what === 'file') writeFileSync(path, 'planted');
              else if (what === 'dir') mkdirSync(path);
              else if (what === 'link-to-file') symlinkSync(join(outside, 'victim'), path);
              else if (what === 'link-to-dir') symlinkSync(join(outside, 'dir'), path);
              else if (what === 'dangling-link') symlinkSync(join(outside, 'missing'), path);
              else if (what === 'link-to-self') symlinkSync(path, path);
            } catch {
              // A shallower plant (a file, a link) is in the way: that is a case too.
            }
          }
          const before = snapshot(root);
          const outsideBefore = snapshot(outside);
          const files = targets.map((path) => ({ path, content: `new ${path}` }));
          const result = await writeAll(root, files).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(snapshot(outside)).toEqual(outsideBefore);
          const after = snapshot(root);
          if (result === undefined) {
            for (const t of targets) expect(after[t]).toBe(`file 644 new ${t}`);
            for (const [path, what] of Object.entries(before))
              if (!targets.includes(path)) expect(after[path]).toBe(what);
            expect(Object.keys(after).filter((p) => p.includes('.reclass-net-'))).toEqual([]);
          } else {
            expect(result).toBeInstanceOf(ReclassNetError);
            expect((result as ReclassNetError).kind).toBe('OutputError');
            expect(after).toEqual(before);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
