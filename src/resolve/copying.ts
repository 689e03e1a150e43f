/**
 * reclass's own way of merging: a Parameters merged into another is copied first (reclass's
 * `_wrap_dict(other._base)`), so every tree holds only containers of its own and changes
 * them in place. Resolving without an accelerator merges this way; an accelerator may
 * share containers instead (TreeSharing, hooks.ts).
 */
import type { TreeOwnership, TreeSharing } from './hooks.js';
import type { Settings } from './settings.js';
import { PDict, ValueList, type Origin, type Value } from './values.js';

/**
 * A copy of the containers of a merged tree that merging changes in place (dicts and
 * ValueLists); lists, Values and rendered data are never changed in place, and are shared
 * as reclass shares them.
 */
function copyTree(dict: Map<string, unknown>): PDict {
  // A Parameters lent after it was rendered holds plain dicts: not in merged form.
  const copy = new PDict(dict instanceof PDict ? dict.origin : undefined);
  copy.mergedForm = dict instanceof PDict && dict.mergedForm;
  dict.forEach((v, k) => copy.set(k, v instanceof PDict ? copyTree(v) : v instanceof ValueList ? v.clone() : v));
  return copy;
}

/** Holds no state: every tree of a plain resolution is its own by construction. */
const COPIED_TREE: TreeOwnership = {
  newDict: (origin: Origin | undefined) => new PDict(origin),
  loadedDict: (origin: Origin | undefined) => new PDict(origin),
  // Every PDict of a copying tree is its own: made by it, wrapped by it or copied when lent
  // to it. A rendered dict merged again is not a PDict, and is copied.
  writableDict(dict: Map<string, unknown>, origin: Origin | undefined): PDict {
    if (dict instanceof PDict) return dict;
    const copy = new PDict(origin);
    dict.forEach((v, k) => copy.set(k, v));
    return copy;
  },
  changeLog: () => undefined,
  newList: (first: Value, settings: Settings) => new ValueList(first, settings),
  writableList: (list: ValueList) => list,
  lend: copyTree,
  isFrozen: () => false,
};

/** Merging as reclass does: whatever is merged is copied. */
export const COPYING: TreeSharing = { ownership: () => COPIED_TREE };
