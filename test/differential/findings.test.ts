/**
 * Disagreements with reclass 1.7 that the differential test found, each minimised to a small
 * inventory under findings/<name>/ with what reclass 1.7 does beside it:
 *   finding.json         what it is about, the request (`["node", NAME]` or `["inventory"]`) and
 *                        reclass's outcome: exit code, exception class, `[WARNING]` lines
 *   reclass-output.json  reclass's JSON output when it succeeded (without `__reclass__`)
 * reclass-net must agree, by the differential test's own comparison; where python3-reclass is
 * installed, the stored outcome is also checked against reclass itself.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstDifference, parseExactJson, withoutReclassMetadata } from './exact-json.js';
import {
  cliAvailable,
  cliPath,
  compareOutcome,
  reclassAvailable,
  runNet,
  runOracle,
  warningLines,
  type Outcome,
  type Request,
} from './runner.js';

const findingsDir = join(dirname(fileURLToPath(import.meta.url)), 'findings');

interface Finding {
  about: string;
  request: Request;
  reclass: { rc: number; kind: string | null; warnings: string[]; message?: string[] };
}

function load(name: string): { dir: string; finding: Finding; output: string } {
  const dir = join(findingsDir, name);
  const finding = JSON.parse(readFileSync(join(dir, 'finding.json'), 'utf8')) as Finding;
  const outputFile = join(dir, 'reclass-output.json');
  return { dir, finding, output: existsSync(outputFile) ? readFileSync(outputFile, 'utf8') : '' };
}

/** What reclass printed, as the comparison expects the oracle's outcome. */
function expected(f: Finding, output: string): Outcome {
  const stderr = [...f.reclass.warnings, ...(f.reclass.message ?? [])].join('\n');
  return { rc: f.reclass.rc, stdout: output, stderr, kind: f.reclass.kind };
}

const names = readdirSync(findingsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('findings of the differential test', () => {
  it('are stored', () => {
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const { finding, output } = load(name);
      expect(finding.about, name).not.toBe('');
      expect(output === '', `${name}: output stored exactly when reclass succeeded`).toBe(finding.reclass.rc !== 0);
    }
  });

  it.for(names)('%s: reclass-net agrees with reclass 1.7', async (name, ctx) => {
    if (!cliAvailable()) ctx.skip(`reclass-net's CLI is not built (${cliPath} missing): run \`npm run build\``);
    const { dir, finding, output } = load(name);
    const net = await runNet(dir, finding.request);
    expect(compareOutcome(finding.request, expected(finding, output), net), finding.about).toEqual([]);
  });

  it.for(names)('%s: the stored outcome is what reclass 1.7 does', async (name, ctx) => {
    if (!reclassAvailable()) ctx.skip('python3-reclass is not installed: nothing to check the expectation with');
    const { dir, finding, output } = load(name);
    const o = (await runOracle(dir, [finding.request]))[0];
    expect({ rc: o.rc, kind: o.kind, warnings: warningLines(o.stderr) }).toEqual({
      rc: finding.reclass.rc,
      kind: finding.reclass.kind,
      warnings: finding.reclass.warnings,
    });
    if (o.rc === 0) {
      expect(firstDifference(parseExactJson(output), withoutReclassMetadata(o.stdout))).toBeNull();
    }
  });
});
