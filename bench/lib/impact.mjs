// run.mjs's section for issue 21: `reclass-net impact OLD NEW` on the N=1000 inventory and a
// copy of it whose first cluster changes one _param (control_mtu), as a merge request would.
// Wall time of the whole command (both sides resolved and rendered), median of 3 runs.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function benchImpact({ repo, dir, n, timeoutS, log }) {
  log(`\nimpact of a one-_param change (N=${n}): \`reclass-net impact OLD NEW\`, both sides rendered`);
  const changed = `${dir}-impact`;
  rmSync(changed, { recursive: true, force: true });
  cpSync(dir, changed, { recursive: true });
  const cluster = readdirSync(join(changed, 'classes/cluster')).sort()[0];
  const file = join(changed, 'classes/cluster', cluster, 'init.yml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/control_mtu: \d+/, 'control_mtu: 9000'));
  const times = [];
  let report;
  try {
    for (let i = 0; i < 3; i++) {
      const start = process.hrtime.bigint();
      const out = execFileSync(
        process.execPath,
        [join(repo, 'dist/src/cli/launch.cjs'), 'impact', dir, changed, '--format', 'json'],
        {
          timeout: timeoutS * 1000,
          maxBuffer: 256 * 1024 * 1024,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      times.push(Number(process.hrtime.bigint() - start) / 1e9);
      report = JSON.parse(out.toString());
    }
  } catch (e) {
    log(`  FAILED: ${String(e.message).split('\n').slice(0, 3).join(' / ')}`);
    return null;
  } finally {
    rmSync(changed, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  const result = { n, seconds: times[1], runs: times, changed: report.changed.length, unchanged: report.unchanged };
  log(
    `  ${result.seconds.toFixed(2)} s (median of 3: ${times.map((t) => t.toFixed(2)).join(', ')}); ${result.changed} nodes changed, ${result.unchanged} unchanged (cluster ${cluster})`,
  );
  return result;
}
