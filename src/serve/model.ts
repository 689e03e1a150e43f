/**
 * The model the server answers from, and its reloads. A new model replaces the current
 * one only once it has resolved completely and no node fails that did not fail before;
 * otherwise the last good model keeps answering and the refusal is reported.
 */
import type { ReclassNetError } from '../errors.js';
import { readConfig } from '../inventory/config.js';
import { fingerprint } from './fingerprint.js';
import { loadSnapshot, newFailures, type Snapshot } from './snapshot.js';

export interface ReloadReport {
  at: Date;
  /** True when the model was replaced (or was already current). */
  ok: boolean;
  /** One line per problem: the error of the inventory, or of each newly failing node. */
  errors: string[];
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class ModelHolder {
  private snapshot: Snapshot | undefined;
  private last: ReloadReport | undefined;
  private generationCount = 0;
  private loading: Promise<ReloadReport> | undefined;
  /** The files of the last refused model: no new attempt until they change again. */
  private refusedFingerprint: string | undefined;

  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** The model answering now; undefined only before the first load finished. */
  get current(): Snapshot | undefined {
    return this.snapshot;
  }

  get lastReload(): ReloadReport | undefined {
    return this.last;
  }

  /** How many models have been taken into service. */
  get generation(): number {
    return this.generationCount;
  }

  /** The first load: a model that cannot be opened is the caller's error to report. */
  async start(): Promise<void> {
    this.accept(await loadSnapshot(this.dir, (inv) => fingerprint(inv.config)), new Date());
  }

  /** Loads the model again; concurrent calls share one load. */
  reload(): Promise<ReloadReport> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /**
   * The fingerprint of the inventory's files now, or 'unreadable'; and whether it differs
   * from what the current model (or the last refused one) was read from.
   */
  async look(): Promise<{ fingerprint: string; changed: boolean }> {
    let now: string;
    try {
      now = await fingerprint(readConfig(this.dir));
    } catch {
      now = 'unreadable';
    }
    return { fingerprint: now, changed: now !== (this.refusedFingerprint ?? this.snapshot?.fingerprint) };
  }

  private async load(): Promise<ReloadReport> {
    const at = new Date();
    // Taken first, so that a change made during the attempt is a change after it.
    const before = (await this.look()).fingerprint;
    let next: Snapshot;
    try {
      next = await loadSnapshot(this.dir, (inv) => fingerprint(inv.config));
    } catch (e) {
      this.refusedFingerprint = before;
      return this.refuse(at, [describe(e)]);
    }
    const failures = newFailures(next, this.snapshot);
    if (failures.length > 0 && this.snapshot) {
      this.refusedFingerprint = next.fingerprint;
      return this.refuse(
        at,
        failures.map(([name, e]: [string, ReclassNetError]) => `${name}: ${e.message}`),
      );
    }
    return this.accept(next, at);
  }

  private accept(next: Snapshot, at: Date): ReloadReport {
    this.snapshot = next;
    this.refusedFingerprint = undefined;
    this.generationCount++;
    const failed = [...next.nodes.values()].filter((n) => !n.ok).length;
    this.log(`model ${this.generationCount} loaded from ${this.dir}: ${next.nodes.size} nodes, ${failed} failing`);
    this.last = { at, ok: true, errors: [] };
    return this.last;
  }

  private refuse(at: Date, errors: string[]): ReloadReport {
    this.log(
      `reload refused, ${this.snapshot ? 'still answering with model ' + this.generationCount : 'no model yet'}: ${errors.join('; ')}`,
    );
    this.last = { at, ok: false, errors };
    return this.last;
  }
}
