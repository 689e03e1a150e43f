import { describe, expect, it } from 'vitest';
import { AsciiWriter, type ChunkSink } from '../../src/cli/ascii-writer.js';

/** A sink that takes its copy of a chunk only when it settles, later, as a full pipe does:
 * a writer that reused its buffer before then would corrupt what is written. */
function slowSink(): { send: ChunkSink; text: () => string } {
  const chunks: Buffer[] = [];
  const send: ChunkSink = (chunk) =>
    new Promise((resolve) =>
      setTimeout(() => {
        chunks.push(Buffer.from(chunk));
        resolve();
      }, 1),
    );
  return { send, text: () => Buffer.concat(chunks).toString('latin1') };
}

async function writeAll(pieces: string[]): Promise<string> {
  const sink = slowSink();
  const out = new AsciiWriter(sink.send);
  for (const p of pieces) await out.write(p);
  await out.flush();
  return sink.text();
}

describe('AsciiWriter', () => {
  it('writes small pieces in order through one buffer', async () => {
    const pieces = Array.from({ length: 5000 }, (_, i) => `{"n": ${i}, "pad": "${'x'.repeat(i % 200)}"},\n`);
    expect(await writeAll(pieces)).toBe(pieces.join(''));
  });

  it('writes pieces larger than its buffer, and ones that end exactly at its end', async () => {
    const big = 'a'.repeat(600 * 1024);
    const fill = 'b'.repeat(256 * 1024 - 3);
    const pieces = ['{', big, 'xy', fill, 'z', big, '}\n'];
    expect(await writeAll(pieces)).toBe(pieces.join(''));
  });

  it('writes nothing for no pieces', async () => {
    expect(await writeAll([])).toBe('');
  });
});
