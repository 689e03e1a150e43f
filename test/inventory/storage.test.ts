/** Reading model files: the bytes Python would accept, decoded as Python decodes them. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReclassNetError } from '../../src/errors.js';
import { readText } from '../../src/inventory/storage.js';

const dir = await mkdtemp(join(tmpdir(), 'reclass-net-storage-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function fileWith(name: string, bytes: Buffer | string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  return file;
}

describe('readText', () => {
  it('reads ASCII, UTF-8 beyond ASCII and empty files whole', async () => {
    expect(readText(await fileWith('ascii.yml', 'parameters:\n  a: 1\n'))).toBe('parameters:\n  a: 1\n');
    expect(readText(await fileWith('utf8.yml', 'parameters:\n  name: Zürich ☃ 𝄞\n'))).toBe(
      'parameters:\n  name: Zürich ☃ 𝄞\n',
    );
    expect(readText(await fileWith('empty.yml', ''))).toBe('');
    const big = 'x: ' + 'y'.repeat(1 << 20) + '\n';
    expect(readText(await fileWith('big.yml', big))).toBe(big);
  });

  it('drops a UTF-8 byte order mark, as before the ASCII fast path', async () => {
    expect(readText(await fileWith('bom.yml', Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x3a, 0x20, 0x31])))).toBe('a: 1');
  });

  it('refuses bytes that are not UTF-8, naming the file', async () => {
    const file = await fileWith('latin1.yml', Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    expect(() => readText(file)).toThrow(ReclassNetError);
    expect(() => readText(file)).toThrow(
      expect.objectContaining({
        kind: 'YamlError',
        message: expect.stringMatching(/not valid UTF-8/) as unknown,
        context: expect.objectContaining({ location: expect.objectContaining({ file }) as unknown }) as unknown,
      }),
    );
  });
});
