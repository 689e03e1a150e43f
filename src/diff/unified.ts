/**
 * Line diff (Myers' O(ND) algorithm, greedy forward search with the trace kept for the
 * backtrack) and its unified-diff text, as `diff -u` prints it: `---`/`+++` headers, hunks of
 * changes with three lines of context, `\ No newline at end of file` where a side lacks one.
 */

/** One line of the edit script: kept (' '), removed ('-') or added ('+'). */
export interface Edit {
  op: ' ' | '-' | '+';
  line: string;
}

/**
 * The shortest edit script turning `a` into `b`, as kept/removed/added lines in order.
 * @example
 * lineEdits(['a', 'b'], ['a', 'c']); // [{op:' ',line:'a'}, {op:'-',line:'b'}, {op:'+',line:'c'}]
 */
export function lineEdits(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Backtrack from the end through the saved frontiers.
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const frontier = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && frontier[offset + k - 1] < frontier[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : frontier[offset + prevK];
    const prevY = prevX - prevK;
    for (; x > prevX && y > prevY; x--, y--) edits.push({ op: ' ', line: a[x - 1] });
    if (d === 0) break;
    if (x === prevX) edits.push({ op: '+', line: b[--y] });
    else edits.push({ op: '-', line: a[--x] });
  }
  for (; x > 0 && y > 0; x--, y--) edits.push({ op: ' ', line: a[x - 1] });
  return edits.reverse();
}

/** Lines of a text; the last line's missing newline is remembered to be said. */
function splitLines(text: string): { lines: string[]; noFinalNewline: boolean } {
  if (text === '') return { lines: [], noFinalNewline: false };
  const noFinalNewline = !text.endsWith('\n');
  const lines = (noFinalNewline ? text : text.slice(0, -1)).split('\n');
  return { lines, noFinalNewline };
}

const NO_NEWLINE = '\\ No newline at end of file';

/**
 * The unified diff of `oldText` -> `newText` (`''` when equal). `undefined` stands for a file
 * that does not exist (its side is `/dev/null`).
 * @example
 * unifiedDiff('a/etc/hosts', 'b/etc/hosts', '1\n2\n', '1\n3\n');
 * // '--- a/etc/hosts\n+++ b/etc/hosts\n@@ -1,2 +1,2 @@\n 1\n-2\n+3\n'
 */
export function unifiedDiff(
  oldName: string,
  newName: string,
  oldText: string | undefined,
  newText: string | undefined,
  context = 3,
): string {
  if (oldText === newText) return '';
  const a = splitLines(oldText ?? '');
  const b = splitLines(newText ?? '');
  // A missing final newline is a difference of the last line: compare it marked.
  const mark = '\u0000';
  const marked = ({ lines, noFinalNewline }: ReturnType<typeof splitLines>) =>
    noFinalNewline ? lines.map((line, i) => (i === lines.length - 1 ? line + mark : line)) : lines;
  const aLines = marked(a);
  const bLines = marked(b);
  const edits = lineEdits(aLines, bLines);
  const out = [
    `--- ${oldText === undefined ? '/dev/null' : oldName}`,
    `+++ ${newText === undefined ? '/dev/null' : newName}`,
  ];
  // Positions (in both files) of each edit, then group changes whose contexts touch.
  let ai = 0;
  let bi = 0;
  const placed = edits.map((e) => {
    const at = { ...e, a: ai, b: bi };
    if (e.op !== '+') ai++;
    if (e.op !== '-') bi++;
    return at;
  });
  const changed = placed.map((e, i) => (e.op === ' ' ? -1 : i)).filter((i) => i >= 0);
  let i = 0;
  while (i < changed.length) {
    let last = i;
    while (last + 1 < changed.length && changed[last + 1] - changed[last] <= 2 * context + 1) last++;
    const from = Math.max(0, changed[i] - context);
    const to = Math.min(placed.length, changed[last] + context + 1);
    const hunk = placed.slice(from, to);
    const aCount = hunk.filter((e) => e.op !== '+').length;
    const bCount = hunk.filter((e) => e.op !== '-').length;
    const aStart = aCount === 0 ? hunk[0].a : hunk[0].a + 1;
    const bStart = bCount === 0 ? hunk[0].b : hunk[0].b + 1;
    out.push(`@@ -${aStart}${aCount === 1 ? '' : `,${aCount}`} +${bStart}${bCount === 1 ? '' : `,${bCount}`} @@`);
    for (const e of hunk) {
      const text = e.line.endsWith(mark) ? e.line.slice(0, -1) : e.line;
      out.push(`${e.op}${text}`);
      if (e.line.endsWith(mark)) out.push(NO_NEWLINE);
    }
    i = last + 1;
  }
  return out.join('\n') + '\n';
}
