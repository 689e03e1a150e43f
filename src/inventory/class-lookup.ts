/**
 * Class lookup that lists only the directories a class name can be in, for commands that
 * resolve one node: of mcp-ocata-ovs's 1,375 class files a compute node reaches 56, and
 * listing the whole tree was a tenth of a cold `node` call there.
 *
 * `a.b.c` can be `a/b/c.yml`, `a/b/c/init.yml`, `a.b/c.yml`, `a/b.c.yaml`, ... in any root,
 * so the lookup descends into each directory whose dotted name starts the class name,
 * following symlinks and skipping hidden and VCS directories as the walk does, and names
 * files with the walk's own name mangling. For every name it finds, it gives what the whole
 * index (tree-index.ts) gives. Where that needs the whole tree (a name found twice, whose
 * error names the definitions in walk order; a directory whose listing order matters), and
 * for `names()` and `filter()`, it builds the whole index and answers from it.
 *
 * What it does not do is notice what it does not list: a name defined twice, or a symlink
 * loop, elsewhere in the class tree. reclass (and the whole index) fails on those before
 * resolving anything; a one-node command using this lookup resolves its node.
 */
import { DEFAULT_LIMITS, type Limits } from '../resolve/limits.js';
import {
  budgetFor,
  childPath,
  indexedFile,
  listSorted,
  nameIn,
  ORDER_MATTERS,
  removeSkipped,
  spend,
  stemOf,
  TreeIndex,
  type Budget,
  type DirNames,
  type IndexedFile,
  type Listing,
  type NameIndex,
  type TreeRoot,
} from './tree-index.js';

/** One root of the class trees with the dotted name of its top (the class_paths prefix, or ''). */
export interface LookupRoot extends TreeRoot {
  prefix: string;
}

export class ClassLookup implements NameIndex {
  /** Listings by directory, hidden and VCS directories removed; null: not listable. */
  private readonly listings = new Map<string, Listing | null>();
  private readonly found = new Map<string, IndexedFile | undefined>();
  private readonly budgets = new Map<string, Budget>();
  private whole: TreeIndex | undefined;

  constructor(
    private readonly roots: LookupRoot[],
    private readonly limits: Limits = DEFAULT_LIMITS,
  ) {}

  get(name: string): IndexedFile | undefined {
    if (this.whole) return this.whole.get(name);
    if (this.found.has(name)) return this.found.get(name);
    let hits: IndexedFile[];
    try {
      hits = this.roots.flatMap((root) => this.lookIn(root, name));
    } catch (e) {
      if (e === ORDER_MATTERS) return this.index().get(name);
      throw e;
    }
    // Defined twice: the whole index reports it, naming the definitions in walk order.
    if (hits.length > 1) return this.index().get(name);
    this.found.set(name, hits[0]);
    return hits[0];
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  filter(test: (name: string) => boolean): string[] {
    return this.index().filter(test);
  }

  names(): string[] {
    return this.index().names();
  }

  private index(): TreeIndex {
    return (this.whole ??= new TreeIndex(this.roots, 'class', this.limits));
  }

  /** The files of `root` that the walk would name `name`. */
  private lookIn(root: LookupRoot, name: string): IndexedFile[] {
    const hits: IndexedFile[] = [];
    if (root.prefix !== '' && name !== root.prefix && !name.startsWith(root.prefix + '.')) return hits;
    const visit = (dir: string, names: DirNames, dotted: string) => {
      const listing = this.list(root.dir, dir);
      if (!listing) return;
      for (const f of listing.files) {
        const stem = stemOf(f);
        if (stem !== undefined && nameIn(names, stem) === name) hits.push(indexedFile(root, dir, f));
      }
      for (const d of listing.dirs) {
        const below = dotted === '' ? d : dotted + '.' + d;
        if (name === below || name.startsWith(below + '.'))
          visit(childPath(dir, d), root.mangle.below(names, d), below);
      }
    };
    visit(root.dir, root.mangle.top, root.prefix);
    return hits;
  }

  private list(top: string, dir: string): Listing | null {
    let listing = this.listings.get(dir);
    if (listing === undefined) {
      let budget = this.budgets.get(top);
      if (!budget) this.budgets.set(top, (budget = budgetFor(top, this.limits)));
      spend(budget);
      listing = listSorted(dir) ?? null;
      if (listing) removeSkipped(listing.dirs, 'sorted');
      this.listings.set(dir, listing);
    }
    return listing;
  }
}
