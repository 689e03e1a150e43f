// `--baseline REV`: another revision of reclass-net, built in a git worktree under .bench/,
// so that its installed command can be measured in the same run, interleaved with this one
// and with reclass. A ratio against figures remembered from another day says little on a
// shared machine; one taken minutes apart, run for run, says whether a change helped.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const git = (repo, ...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();

/** The file a package.json installs as `reclass-net`, relative to its package. */
function installedCommand(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['reclass-net'];
  if (!bin) throw new Error(`${dir}/package.json installs no reclass-net command`);
  return join(dir, bin);
}

/**
 * Checks out and builds REV once (a stamp marks a finished build; a checkout whose build
 * failed is built again), and returns its installed command. node_modules is a link to this
 * checkout's when both lock files are the same, which spares a download; otherwise the
 * baseline gets its own `npm ci`.
 */
export function prepareBaseline({ repo, work, rev, log }) {
  let sha;
  try {
    sha = git(repo, 'rev-parse', '--verify', '--quiet', `${rev}^{commit}`);
  } catch {
    throw new Error(`--baseline: '${rev}' is not a commit of ${repo}`);
  }
  const dir = join(work, `baseline-${sha.slice(0, 12)}`);
  const stamp = join(dir, '.bench-built');
  if (existsSync(stamp)) {
    log(`baseline ${rev} (${sha.slice(0, 12)}): built in ${dir}`);
    return { rev, sha, dir, cli: installedCommand(dir) };
  }
  if (!existsSync(dir)) {
    log(`baseline ${rev} (${sha.slice(0, 12)}): checking out into ${dir}`);
    // --force: a checkout removed by hand (rm -rf .bench) is still registered with git.
    git(repo, 'worktree', 'add', '--force', '--detach', dir, sha);
  }
  const sameLock = (file) => readFileSync(join(repo, file), 'utf8') === readFileSync(join(dir, file), 'utf8');
  const run = (...args) => execFileSync('npm', args, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(join(dir, 'node_modules')) && sameLock('package-lock.json')) {
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  }
  if (existsSync(join(dir, 'node_modules'))) {
    log(`baseline ${rev}: npm run build`);
    run('run', 'build');
  } else {
    log(`baseline ${rev}: its dependencies differ from this checkout's, npm ci (builds it)`);
    run('ci', '--no-audit', '--no-fund');
  }
  writeFileSync(stamp, `${sha}\n`);
  return { rev, sha, dir, cli: installedCommand(dir) };
}
