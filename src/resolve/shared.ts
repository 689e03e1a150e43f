/**
 * Rendered subtrees that several nodes' results share. Nodes with the same classes
 * render the same class subtrees to the same values, so those are rendered once and the
 * very same objects appear in every such node's parameters (see Parameters). They must
 * never change; in return, anything derived from them (their JSON text) can be kept too.
 */
const SHARING = Symbol('sharing');

export function markShared(subtree: object): void {
  (subtree as { [SHARING]?: Sharing })[SHARING] = true;
}

/**
 * A container rendered per node as a copy of a shared one (`base`) with the entries in
 * `dynamic` redone for the node. Only those entries may differ from `base`'s, or change
 * later (interpolation writes there); the others are `base`'s shared values, so text
 * derived from them can be kept like that of shared subtrees.
 *
 * One Derivation describes every container derived the same way (the same base, the same
 * dynamic entries), so that what is kept for one of them (`kept`) serves all of them.
 */
export class Derivation {
  /** Kept by the JSON writer: text between the dynamic entries, by nesting and indent.
   * Made on first use: most derivations (templates') are never written out as such, and
   * their empty maps were 1.6 MB of the 34 MB a 1000-node run keeps. */
  kept: Map<number, unknown> | undefined;

  constructor(
    readonly base: object,
    /** Keys (or indices) of the per-node entries, in the container's order. */
    readonly dynamic: readonly (string | number)[],
  ) {}
}

/**
 * How a container relates to what nodes share: `true` if it is shared, its Derivation if
 * it was derived from a shared one, else undefined. One property for both, read once per
 * container by the JSON writer. A container derived and then shared as a whole (all its
 * entries turned out the same for every node) is just shared.
 */
export type Sharing = true | Derivation;

// A property rather than a WeakMap entry: a node has about a hundred such containers, and
// WeakMap insertions (and their cost to the garbage collector) were 4% of a 1000-node run.
export function markDerived(container: object, derivation: Derivation): void {
  (container as { [SHARING]?: Sharing })[SHARING] = derivation;
}

export function sharingOf(container: object): Sharing | undefined {
  return (container as { [SHARING]?: Sharing })[SHARING];
}
