/**
 * One string object per distinct mapping key. Maps compare keys by identity first and
 * by content only when the objects differ; keys sliced out of each file anew were
 * different objects in every file and every reference, so merging, rendering and
 * resolving references compared them character by character at nearly every lookup.
 * Bounded: a model with ever new keys cannot grow the table without limit (a cleared
 * table only costs those comparisons again).
 */
const interned = new Map<string, string>();

export function intern(text: string): string {
  const known = interned.get(text);
  if (known !== undefined) return known;
  if (interned.size >= 100_000) interned.clear();
  interned.set(text, text);
  return text;
}
