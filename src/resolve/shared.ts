/**
 * Rendered subtrees that several nodes' results share. Nodes with the same classes
 * render the same class subtrees to the same values, so those are rendered once and the
 * very same objects appear in every such node's parameters (see Parameters). They must
 * never change; in return, anything derived from them (their JSON text) can be kept too.
 */
const shared = new WeakSet<object>();

export function markShared(subtree: object): void {
  shared.add(subtree);
}

/** Whether `subtree` is shared between nodes, so never modified. */
export function isShared(subtree: object): boolean {
  return shared.has(subtree);
}
