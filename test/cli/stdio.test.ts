/**
 * The CLI writes its standard output with writeSync (src/cli/stdout.ts). Whatever the descriptor
 * it inherits, every byte arrives, in order: a pipe in non-blocking mode that fills up (its
 * reader late) refuses writes for a while, and a reader that goes away stops the command quietly.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const LAUNCHER = fileURLToPath(new URL('../../dist/src/cli/launch.cjs', import.meta.url));

/**
 * Runs the CLI with stdout on a pipe its parent made non-blocking and reads it only after a
 * pause, so that an output larger than the pipe's buffer meets a full pipe. Python, since Node
 * cannot hand a child a non-blocking pipe; it prints the bytes read and the exit status.
 */
const NONBLOCKING_PARENT = `
import fcntl, os, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)
child = subprocess.Popen(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
os.close(w)
time.sleep(0.5)
chunks = []
while True:
    chunk = os.read(r, 65536)
    if not chunk:
        break
    chunks.append(chunk)
err = child.stderr.read()
sys.stdout.buffer.write(b''.join(chunks))
sys.stderr.write('status %d\\n%s' % (child.wait(), err.decode()))
`;

describe('standard output', () => {
  const args = ['inventory', '--format', 'json'];
  const expected = spawnSync(process.execPath, [LAUNCHER, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

  it('is larger than a pipe holds, so that the pipe fills', () => {
    expect(expected.status).toBe(0);
    expect(expected.stdout.length).toBeGreaterThan(1 << 17);
  });

  it('arrives whole through a non-blocking pipe that fills up', () => {
    const r = spawnSync('python3', ['-c', NONBLOCKING_PARENT, process.execPath, LAUNCHER, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    expect(r.stderr).toBe('status 0\n');
    expect(r.stdout).toBe(expected.stdout);
  });

  it('stops quietly, with status 0 and nothing on stderr, when its reader goes away', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'reclass-net-stdout-'));
    try {
      const err = join(scratch, 'stderr');
      const r = spawnSync(
        'bash',
        [
          '-c',
          'set -o pipefail; "$0" "$1" inventory --format json 2>"$2" | head -c 10 >/dev/null; echo $?',
          process.execPath,
          LAUNCHER,
          err,
        ],
        { encoding: 'utf8' },
      );
      expect(r.stdout).toBe('0\n');
      expect(readFileSync(err, 'utf8')).toBe('');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
