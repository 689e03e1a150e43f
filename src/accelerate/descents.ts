/**
 * Class descents kept between nodes. A class merged with everything it includes,
 * depth-first as reclass's recursion makes it, merges the same classes for any node
 * where the same of its classes were merged before it (`skipped`) and none of the rest
 * (`classes`): then the result is the same, so it is kept and merged again. Nodes of
 * different roles and clusters include the same system classes, each with a chain of
 * classes below it; merging those chains once instead of once per class list took a
 * quarter off merging a class list's classes.
 */
import type { Entity } from '../resolve/entity.js';
import type { MergeHooks, ReusedDescent } from '../resolve/hooks.js';

export interface KeptDescent extends ReusedDescent {
  /** The classes it skipped because they were merged before it began. */
  skipped: readonly string[];
}

/** Kept descents of one class: a few, for the few orders classes come up in. */
const MAX_DESCENTS_PER_CLASS = 8;

/** A class's descent while it is merged: where its classes start in `entered`. */
interface DescentRecording {
  start: number;
  /** Classes it skipped because they were merged before it began. */
  skipped: string[];
  /** Cleared when the descent depended on the node (see nodeDependent). */
  keepable: boolean;
}

/** One node's merge, as the descents see it: which classes it entered, in which order. */
export class DescentTracker implements MergeHooks {
  /** Every class entered so far, in order, and each one's place in that order. */
  private readonly entered: string[] = [];
  private readonly enteredAt = new Map<string, number>();
  /** The descents being merged now, innermost last, that may still be kept. */
  private readonly recording: DescentRecording[] = [];

  constructor(private readonly kept: Map<string, KeptDescent[]>) {}

  reuseDescent(klass: string, seen: ReadonlySet<string>): ReusedDescent | undefined {
    const match = this.kept
      .get(klass)
      ?.find((d) => d.skipped.every((c) => seen.has(c)) && d.classes.every((c) => !this.enteredAt.has(c)));
    if (!match) return undefined;
    for (const c of match.classes) this.enter(c);
    for (const c of match.skipped) this.classSkipped(c);
    return match;
  }

  classEntered(klass: string): void {
    this.recording.push({ start: this.entered.length, skipped: [], keepable: true });
    this.enter(klass);
  }

  classLeft(klass: string, descent: Entity, chains: ReadonlyMap<string, readonly string[]>, depth: number): void {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- classEntered pushed it
    const recording = this.recording.pop()!;
    const kept = this.kept.get(klass);
    if (!recording.keepable || (kept?.length ?? 0) >= MAX_DESCENTS_PER_CLASS) return;
    const classes = this.entered.slice(recording.start);
    const below = classes.map((c) => chains.get(c)?.slice(depth) ?? [c]);
    const variant: KeptDescent = { entity: descent, skipped: recording.skipped, classes, chains: below };
    if (kept) kept.push(variant);
    else this.kept.set(klass, [variant]);
  }

  /** Notes `klass` in the descents that began after it was entered (the others entered it
   * themselves). Recordings are nested, innermost last. */
  classSkipped(klass: string): void {
    const at = this.enteredAt.get(klass);
    if (at === undefined) return;
    for (let i = this.recording.length - 1; i >= 0 && this.recording[i].start > at; i--) {
      this.recording[i].skipped.push(klass);
    }
  }

  nodeDependent(): void {
    for (const recording of this.recording) recording.keepable = false;
  }

  private enter(klass: string): void {
    this.enteredAt.set(klass, this.entered.length);
    this.entered.push(klass);
  }
}
