/**
 * One string object per distinct mapping key. Maps compare keys by identity first and
 * by content only when the objects differ; keys sliced out of each file anew were
 * different objects in every file and every reference, so merging, rendering and
 * resolving references compared them character by character at nearly every lookup.
 *
 * One table per opened inventory (KeyTables in resolve/dictpath.ts holds it): the loader
 * interns the keys of the model's files through it (PlainKeys in fast-yaml.ts) and the
 * resolver the parts of the model's references, so both are the same objects.
 * Bounded: a model with ever new keys cannot grow the table without limit (a cleared
 * table only costs those comparisons again).
 */
export class StringTable {
  private readonly known = new Map<string, string>();

  intern(text: string): string {
    const known = this.known.get(text);
    if (known !== undefined) return known;
    if (this.known.size >= 100_000) this.known.clear();
    this.known.set(text, text);
    return text;
  }
}
