/**
 * The outcome of comparing real state with a pillar: every check that ran, every check that
 * could not run and why (a missing kernel module is not a failure, but it must be said),
 * and the failures. Tests assert `failures` is empty and print the rest.
 */
export class Report {
  readonly passed: string[] = [];
  readonly failures: string[] = [];
  readonly skipped: string[] = [];
  readonly notes: string[] = [];

  constructor(readonly subject: string) {}

  /** Record a check; `detail` explains a failure (expected vs actual). */
  check(label: string, ok: boolean, detail = ''): boolean {
    if (ok) this.passed.push(label);
    else this.failures.push(detail ? `${label}: ${detail}` : label);
    return ok;
  }

  /** Record `actual === expected` (compared as JSON, so arrays and undefined work). */
  equal(label: string, actual: unknown, expected: unknown): boolean {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    return this.check(label, a === e, `expected ${e ?? 'nothing'}, got ${a ?? 'nothing'}`);
  }

  skip(label: string, reason: string): void {
    this.skipped.push(`${label}: ${reason}`);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** A summary for the test log. */
  summary(): string {
    const lines = [
      `${this.subject}: ${this.passed.length} checks passed, ${this.failures.length} failed, ${this.skipped.length} skipped`,
    ];
    for (const note of this.notes) lines.push(`  note: ${note}`);
    for (const skipped of this.skipped) lines.push(`  skipped: ${skipped}`);
    for (const failure of this.failures) lines.push(`  FAILED: ${failure}`);
    return lines.join('\n');
  }
}
