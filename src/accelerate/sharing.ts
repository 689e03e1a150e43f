/**
 * Merging that shares containers instead of copying them (the resolver's TreeSharing). A
 * node's parameters are mostly whole class subtrees that nothing later changes; not copying
 * them into every node is a large part of a whole inventory's speed, and it is what lets
 * the nodes share frozen subtrees (templates.ts) and the JSON writer their text.
 *
 * Each Parameters' tree has an ownership token. A container it made carries the token
 * and is changed in place; any other is copied just before it would change. A tree that
 * is lent to another merge takes a new token, so once shared a container never changes
 * again, for anyone: sharing gives what copying gives.
 */
import type { TreeOwnership, TreeSharing } from '../resolve/hooks.js';
import type { Settings } from '../resolve/settings.js';
import { PDict, PList, ValueList, type Origin, type Value } from '../resolve/values.js';

/**
 * Every dict of a resolution under sharing: loaded, made or copied by a tree. One class,
 * with every field set in the constructor, so that all of them share one shape in V8 and
 * the code that reads dicts stays monomorphic.
 */
export class SharedDict extends PDict {
  // Assigned in the constructor, not declared as class fields: see PDict.
  /** The token of the tree that may change it in place; none for loaded data. */
  declare readonly owner: object | undefined;
  /** For a dict a tree copied from a frozen one to change it: that one, and the keys set
   * since, in the order they were set (FrozenTemplates.copiedRendering). */
  declare readonly source: PDict | undefined;
  declare readonly changed: Set<string> | undefined;

  constructor(origin: Origin | undefined, owner: object | undefined, source: PDict | undefined) {
    super(origin);
    this.owner = owner;
    this.source = source;
    this.changed = source ? new Set() : undefined;
  }
}

/** Every ValueList of a resolution under sharing, with the token of the tree that may append to it. */
class SharedValueList extends ValueList {
  /** Set as soon as it is made (newList, writableList): not a class field, see PDict. */
  declare owner: object;
}

/** One Parameters' tree under sharing. */
class SharedTree implements TreeOwnership {
  private token: object = {};

  newDict(origin: Origin | undefined): PDict {
    return new SharedDict(origin, this.token, undefined);
  }

  /** Nobody's: loaded data is copied before it is changed, like anything lent. */
  loadedDict(origin: Origin | undefined): PDict {
    return new SharedDict(origin, undefined, undefined);
  }

  writableDict(dict: Map<string, unknown>, origin: Origin | undefined): PDict {
    if (dict instanceof SharedDict && dict.owner === this.token) return dict;
    const source = dict instanceof PDict ? dict : undefined;
    const copy = new SharedDict(source ? source.origin : origin, this.token, source);
    copy.mergedForm = source !== undefined && source.mergedForm;
    // forEach: `new Map(dict)` makes an entry array per entry until the code is optimised.
    dict.forEach((v, k) => copy.set(k, v));
    return copy;
  }

  changeLog(dict: PDict): Set<string> | undefined {
    return (dict as SharedDict).changed;
  }

  newList(first: Value, settings: Settings): ValueList {
    const list = new SharedValueList(first, settings);
    list.owner = this.token;
    return list;
  }

  writableList(list: ValueList): ValueList {
    if (list instanceof SharedValueList && list.owner === this.token) return list;
    // A clone keeps its list's class, and every list under sharing is made by newList.
    const copy = list.clone() as SharedValueList;
    copy.owner = this.token;
    return copy;
  }

  /** Shared, not copied: from now on no tree owns what `base` holds. */
  lend(base: PDict): PDict {
    this.token = {};
    return base;
  }

  isFrozen(subtree: unknown): boolean {
    if (subtree instanceof PDict) return !(subtree instanceof SharedDict && subtree.owner === this.token);
    return subtree instanceof PList;
  }
}

/** The sharing of one accelerator: one inventory's. */
export class ContainerSharing implements TreeSharing {
  ownership(): TreeOwnership {
    return new SharedTree();
  }
}
