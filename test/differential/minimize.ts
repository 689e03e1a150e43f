/**
 * Greedy structural minimisation of a disagreeing inventory: remove files, mapping entries
 * and list items one at a time, keeping each removal after which both tools still disagree
 * the same way (same request, same category, same reclass error kind).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { diffInventory, type Mismatch, type Request } from './runner.js';
import { writeInventory, type GenInventory, type YNode } from './yaml-model.js';

type Loc = { file: number; path: number[] };

function childAt(n: YNode, i: number): YNode | undefined {
  if (n.t === 'map') return n.entries[i]?.[1];
  if (n.t === 'list') return n.items[i];
  return undefined;
}

function size(n: YNode): number {
  if (n.t === 'map') return n.entries.length;
  if (n.t === 'list') return n.items.length;
  return 0;
}

/** Every removable position (mapping entry or list item), shallow ones first. */
function positions(inv: GenInventory): Loc[] {
  const out: Loc[] = [];
  let frontier: Array<{ file: number; path: number[]; node: YNode }> = [];
  inv.files.forEach((f, file) => {
    if (f.doc) frontier.push({ file, path: [], node: f.doc });
  });
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { file, path, node } of frontier) {
      for (let i = 0; i < size(node); i++) {
        out.push({ file, path: [...path, i] });
        next.push({ file, path: [...path, i], node: childAt(node, i)! });
      }
    }
    frontier = next;
  }
  return out;
}

function removeAt(inv: GenInventory, loc: Loc): GenInventory {
  const copy = structuredClone(inv);
  let n = copy.files[loc.file].doc!;
  for (const i of loc.path.slice(0, -1)) n = childAt(n, i)!;
  const last = loc.path.at(-1)!;
  if (n.t === 'map') n.entries.splice(last, 1);
  else if (n.t === 'list') n.items.splice(last, 1);
  return copy;
}

function removeFile(inv: GenInventory, file: number): GenInventory {
  const copy = structuredClone(inv);
  const [gone] = copy.files.splice(file, 1);
  copy.nodes = copy.nodes.filter((n) => n.file !== gone.path);
  return copy;
}

function sameFailure(a: Mismatch, b: Mismatch): boolean {
  return a.request === b.request && a.category === b.category && a.oracleKind === b.oracleKind;
}

export async function minimize(
  inv: GenInventory,
  target: Mismatch,
  request: Request,
  opts: { workDir: string; budgetMs: number },
): Promise<{ inv: GenInventory; checks: number; timedOut: boolean }> {
  const deadline = Date.now() + opts.budgetMs;
  let checks = 0;
  const interesting = async (cand: GenInventory): Promise<boolean> => {
    checks++;
    const dir = await mkdtemp(join(opts.workDir, 'min-'));
    try {
      await writeInventory(cand, dir);
      const only: Request[] =
        request[0] === 'inventory' ? [...cand.nodes.map((n) => ['node', n.name] as Request), request] : [request];
      const run = await diffInventory(cand, dir, { only });
      return run.mismatches.some((m) => sameFailure(m, target));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const targetFile = request[0] === 'node' ? inv.nodes.find((n) => n.name === request[1])?.file : undefined;
  let current = inv;
  let progress = true;
  while (progress && Date.now() < deadline) {
    progress = false;
    // Whole files first.
    for (let f = 0; f < current.files.length && Date.now() < deadline;) {
      const file = current.files[f];
      const isLastNode = current.nodes.length === 1 && current.nodes[0].file === file.path;
      if (file.path === targetFile || isLastNode) {
        f++;
        continue;
      }
      const cand = removeFile(current, f);
      if (await interesting(cand)) {
        current = cand;
        progress = true;
      } else f++;
    }
    // Then entries and items, shallow first.
    for (let k = 0; Date.now() < deadline;) {
      const locs = positions(current);
      if (k >= locs.length) break;
      const cand = removeAt(current, locs[k]);
      if (await interesting(cand)) {
        current = cand;
        progress = true;
      } else k++;
    }
  }
  return { inv: current, checks, timedOut: Date.now() >= deadline };
}
