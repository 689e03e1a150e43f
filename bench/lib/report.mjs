// Turns benchmark results into the console report and the generated section of
// docs/performance.md. Both come from the same rows so they can never disagree.

const TARGETS = {
  speedup1000: 30, // reclass time / reclass-net time at N = 1000, at least
  rssRatio: 1, // reclass-net peak RSS / reclass peak RSS, at most
  growth: 6, // reclass-net t(5000) / t(1000), at most
  coldNode: 0.5, // reclass-net cold `node` time / reclass's, at most
  // Issue 22, on the shared corpora's cmp01: medians, each command a fresh process.
  realNode: 0.4, // cold `node NAME` / `reclass -n NAME`, at most
  realRender: 0.5, // cold `render NAME` / `reclass -n NAME`, at most
  rssAboveBareMb: 15, // peak RSS above a bare `node -e 0` started the same way, at most
};

export const secs = (s) => (s == null ? 'n/a' : s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);
export const mb = (kb) => (kb == null ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);
const ratio = (r, digits = 1) => (r == null || !Number.isFinite(r) ? 'n/a' : `${r.toFixed(digits)}x`);

/** Figures of one measured command, or null when it did not run or failed. */
const ok = (m) => (m && m.ok ? m : null);

/** What a whole-inventory measurement is of: `N=1000`, or the shared corpus's name. */
export const inventoryLabel = (s) => s.label ?? `N=${s.n}`;

export function inventoryRows(sizes) {
  return sizes.map((s) => {
    const { reclass, net, compare } = s;
    const r = ok(reclass),
      t = ok(net);
    return [
      inventoryLabel(s),
      r ? secs(r.wall_s) : status(reclass),
      r ? secs(r.cpu_s) : '',
      r ? mb(r.peak_kb) : '',
      t ? secs(t.wall_s) : status(net),
      t ? secs(t.cpu_s) : '',
      t ? mb(t.peak_kb) : '',
      r && t ? ratio(r.wall_s / t.wall_s) : 'n/a',
      r && t ? ratio(r.cpu_s / t.cpu_s) : 'n/a',
      r && t ? ratio(t.peak_kb / r.peak_kb, 2) : 'n/a',
      agreement(compare),
    ];
  });
}

export const INVENTORY_HEADERS = [
  'inventory',
  'reclass time',
  'reclass CPU',
  'reclass peak RSS',
  'reclass-net time',
  'reclass-net CPU',
  'reclass-net peak RSS',
  'speed (reclass/net)',
  'CPU (reclass/net)',
  'RSS (net/reclass)',
  'outputs agree',
];

function status(m) {
  if (!m) return 'skipped';
  return m.ok ? '' : 'FAILED';
}

function agreement(c) {
  if (!c) return 'n/a';
  if (c.agree) return `yes (${c.nodes} nodes)`;
  if (c.error) return 'NO (unreadable)';
  return `NO (${c.differing} differ, ${c.missing.length} missing, ${c.extra.length} extra)`;
}

/** Verdicts for the targets of issue 7 that this run can decide. */
export function verdicts(results) {
  const out = [];
  const at = (n) => results.sizes.find((s) => s.n === n);
  const s1000 = at(1000),
    s5000 = at(5000);
  if (s1000 && ok(s1000.reclass) && ok(s1000.net)) {
    const sp = s1000.reclass.wall_s / s1000.net.wall_s;
    out.push([`N=1000 speed-up >= ${TARGETS.speedup1000}x`, ratio(sp), sp >= TARGETS.speedup1000]);
    const rr = s1000.net.peak_kb / s1000.reclass.peak_kb;
    out.push([`N=1000 peak RSS <= reclass's`, ratio(rr, 2), rr <= TARGETS.rssRatio]);
  }
  if (s1000?.compare) out.push(['N=1000 identical output', agreement(s1000.compare), s1000.compare.agree]);
  if (ok(s1000?.net) && ok(s5000?.net)) {
    const g = s5000.net.wall_s / s1000.net.wall_s;
    out.push([`growth t(5000)/t(1000) <= ${TARGETS.growth}`, ratio(g, 2), g <= TARGETS.growth]);
  }
  const c = results.cold;
  if (c && ok(c.reclass) && ok(c.net)) {
    const cr = c.net.wall_s / c.reclass.wall_s;
    out.push([`cold \`node\` <= ${TARGETS.coldNode}x reclass`, ratio(cr, 2), cr <= TARGETS.coldNode]);
  }
  return out;
}

/**
 * Verdicts for issue 17's memory target: at the size of real sites (the shared corpora and
 * N=150) peak RSS no higher than reclass's; and, with --baseline, N=1000 at least as fast as
 * the baseline (both measured against reclass in the same run).
 */
export function memoryVerdicts(results) {
  const out = [];
  for (const s of results.sizes ?? []) {
    if (s.n !== null && s.n !== 150) continue;
    const r = ok(s.reclass),
      t = ok(s.net);
    if (r && t) {
      const rr = t.peak_kb / r.peak_kb;
      out.push([
        `${inventoryLabel(s)} peak RSS <= reclass's`,
        `${ratio(rr, 2)} (${mb(t.peak_kb)} vs ${mb(r.peak_kb)})`,
        rr <= TARGETS.rssRatio,
      ]);
    }
  }
  const s1000 = (results.sizes ?? []).find((s) => s.n === 1000);
  if (s1000 && ok(s1000.reclass) && ok(s1000.net) && ok(s1000.base)) {
    const speed = (m) => ratio(s1000.reclass.wall_s / m.wall_s);
    out.push([
      `N=1000 at least as fast as the baseline ${results.have.baseline.rev}`,
      `${speed(s1000.net)} vs ${speed(s1000.base)} reclass's speed`,
      s1000.net.wall_s <= s1000.base.wall_s,
    ]);
  }
  return out;
}

/** Verdicts for the targets of issue 22 (one node of a real model, cold). */
export function oneNodeVerdicts(results) {
  const out = [];
  for (const m of results.oneNode ?? []) {
    const r = ok(m.reclass),
      b = ok(m.bare);
    for (const [what, key, target] of [
      ['node', 'node', TARGETS.realNode],
      ['render', 'render', TARGETS.realRender],
    ]) {
      const t = ok(m[key]);
      if (r && t)
        out.push([
          `${m.label}: cold \`${what}\` <= ${target}x reclass -n`,
          ratio(t.wall_s / r.wall_s, 2),
          t.wall_s / r.wall_s <= target,
        ]);
      if (b && t && r) {
        const above = (t.peak_kb - b.peak_kb) / 1024;
        out.push([
          `${m.label}: \`${what}\` peak RSS <= ${TARGETS.rssAboveBareMb} MB above \`node -e 0\``,
          `${above.toFixed(1)} MB`,
          above <= TARGETS.rssAboveBareMb,
        ]);
      }
    }
    if (m.compare)
      out.push([`${m.label}: \`node\` output as reclass -n`, m.compare.agree ? 'yes' : 'NO', m.compare.agree]);
  }
  return out;
}

export const ONE_NODE_HEADERS = [
  'model',
  'node',
  'reclass -n',
  '`node -e 0`',
  'reclass-net node',
  'reclass-net render',
  'node / reclass',
  'render / reclass',
  'RSS: reclass, node -e 0',
  'RSS: node, render (above node -e 0)',
  'node output as reclass',
];

export function oneNodeRows(list) {
  return (list ?? []).map((m) => {
    const r = ok(m.reclass),
      b = ok(m.bare),
      n = ok(m.node),
      d = ok(m.render);
    const above = (t) =>
      t && b ? `${mb(t.peak_kb)} (+${((t.peak_kb - b.peak_kb) / 1024).toFixed(1)})` : t ? mb(t.peak_kb) : 'n/a';
    return [
      m.label,
      m.nodeName,
      r ? secs(r.wall_s) : status(m.reclass),
      b ? secs(b.wall_s) : 'n/a',
      n ? secs(n.wall_s) : status(m.node),
      d ? secs(d.wall_s) : status(m.render),
      r && n ? ratio(n.wall_s / r.wall_s, 2) : 'n/a',
      r && d ? ratio(d.wall_s / r.wall_s, 2) : 'n/a',
      `${r ? mb(r.peak_kb) : 'n/a'}, ${b ? mb(b.peak_kb) : 'n/a'}`,
      `${above(n)}, ${above(d)}`,
      m.compare ? (m.compare.agree ? 'yes' : 'NO') : 'n/a',
    ];
  });
}

export const BASELINE_HEADERS = [
  'measurement',
  'reclass',
  'baseline',
  'reclass-net',
  'baseline speed-up (reclass/baseline)',
  'reclass-net speed-up (reclass/net)',
  'time (net/baseline)',
  'peak RSS: baseline, reclass-net',
];

/**
 * With --baseline REV: every measurement that ran the baseline's command beside this one's,
 * as the speed-up of each over reclass (measured in the same rounds) and their time ratio.
 */
export function baselineRows(results) {
  const rows = [];
  const add = (what, reclass, base, net) => {
    const r = ok(reclass),
      b = ok(base),
      t = ok(net);
    if (!b && !base) return;
    rows.push([
      what,
      r ? secs(r.wall_s) : 'n/a',
      b ? secs(b.wall_s) : status(base),
      t ? secs(t.wall_s) : status(net),
      r && b ? ratio(r.wall_s / b.wall_s, 2) : 'n/a',
      r && t ? ratio(r.wall_s / t.wall_s, 2) : 'n/a',
      b && t ? ratio(t.wall_s / b.wall_s, 2) : 'n/a',
      `${b ? mb(b.peak_kb) : 'n/a'}, ${t ? mb(t.peak_kb) : 'n/a'}`,
    ]);
  };
  for (const s of results.sizes ?? []) add(`inventory, ${inventoryLabel(s)} (best)`, s.reclass, s.base, s.net);
  if (results.cold) add(`node ${results.cold.node} (best)`, results.cold.reclass, results.cold.base, results.cold.net);
  for (const m of results.oneNode ?? []) {
    add(`node cmp01, ${m.label} (median)`, m.reclass, m.baseNode, m.node);
    add(`render cmp01, ${m.label} (median)`, m.reclass, m.baseRender, m.render);
  }
  return rows;
}

/** Phases per model, one column each (models without a probe left out). */
export function onePhaseTable(list) {
  const with_ = (list ?? []).filter((m) => m.phases);
  const headers = [
    'phase of one cold `render`',
    ...with_.map((m) => `${m.label} (${m.phases.classes} classes, ${m.phases.files} files)`),
  ];
  const ms = (x) => `${x.toFixed(1)} ms`;
  const row = (label, get) => [label, ...with_.map((m) => get(m.phases))];
  const inside = (p) => p.treeMs + p.parseMs + p.resolveMs + p.validateMs + p.renderMs + p.writeMs;
  const rows = [
    row('start-up: `node -e 0`, as the command starts', (p) => ms(p.startMs)),
    row('loading the command: `help` less `node -e 0`', (p) => ms(p.loadMs)),
    row('tree: reading the config, listing the nodes', (p) => ms(p.treeMs)),
    row('parse: looking up, reading and parsing the files the node reaches', (p) => ms(p.parseMs)),
    row('resolve: merging and interpolating', (p) => ms(p.resolveMs)),
    row('validate: first analysis of linux:network', (p) => ms(p.validateMs)),
    row('render: renderNetwork less its analysis', (p) => ms(p.renderMs)),
    row('write: JSON text to stdout', (p) => ms(p.writeMs)),
    row('sum', (p) => ms(p.startMs + p.loadMs + inside(p))),
    row("(the probe's own import of the ES modules, not in the sum)", (p) => ms(p.probeModulesMs)),
  ];
  return { headers, rows };
}

export function growthLine(results) {
  const at = (n) => results.sizes.find((s) => s.n === n);
  const parts = [];
  for (const [label, key] of [
    ['reclass-net', 'net'],
    ['reclass', 'reclass'],
  ]) {
    const a = ok(at(1000)?.[key]),
      b = ok(at(5000)?.[key]);
    if (a && b) parts.push(`${label} ${ratio(b.wall_s / a.wall_s, 2)}`);
  }
  return parts.length ? `growth t(5000)/t(1000): ${parts.join(', ')} (linear = 5x)` : '';
}

export function coldRows(cold) {
  if (!cold) return [];
  const r = ok(cold.reclass),
    t = ok(cold.net);
  return [
    [
      cold.node,
      r ? secs(r.wall_s) : status(cold.reclass),
      r ? secs(r.cpu_s) : '',
      r ? mb(r.peak_kb) : '',
      t ? secs(t.wall_s) : status(cold.net),
      t ? secs(t.cpu_s) : '',
      t ? mb(t.peak_kb) : '',
      r && t ? ratio(t.wall_s / r.wall_s, 2) : 'n/a',
      cold.compare ? (cold.compare.agree ? 'yes' : 'NO') : 'n/a',
    ],
  ];
}

export const COLD_HEADERS = [
  'node (N=1000 inventory)',
  'reclass -n',
  'reclass CPU',
  'reclass RSS',
  'reclass-net node',
  'reclass-net CPU',
  'reclass-net RSS',
  'time (net/reclass)',
  'outputs agree',
];

export function renderRows(renders) {
  return renders.map((r) => {
    const p = r.probe;
    if (!p)
      return [r.label, status(r.measure) || 'FAILED', '', '', '', '', '', r.cold ? secs(ok(r.cold)?.wall_s) : 'n/a'];
    return [
      r.label,
      String(p.nodes),
      `${p.rendered} ok, ${p.errorCount} failed, ${p.skipped} without network`,
      `${p.resolveMs.toFixed(0)} ms`,
      // Per attempted node: a node that fails validation has still been checked.
      `${p.renderMs.toFixed(0)} ms (${perNode(p.renderMs, p.rendered + p.errorCount)} ms/node)`,
      secs(r.measure.wall_s),
      mb(r.measure.peak_kb),
      r.cold ? (ok(r.cold) ? secs(r.cold.wall_s) : 'FAILED') : 'n/a',
    ];
  });
}

const perNode = (ms, n) => (n ? (ms / n).toFixed(2) : 'n/a');

export const RENDER_HEADERS = [
  'inventory',
  'nodes',
  'renderNetwork',
  'resolve all (inv.nodes())',
  'render all',
  'process wall',
  'process peak RSS',
  'cold `render NAME` CLI',
];

/** The phases of one whole-inventory run (bench/phases-probe.mjs), cold and warm. */
export function phaseRows({ probe, nodeStart, nodeStartNoCerts }) {
  const ms = (x) => `${x.toFixed(0)} ms`;
  const nodes = (b) => `${ms(b.ms)} (${perNode(b.ms, b.count)} ms/node)`;
  const { cold, warm } = probe;
  const total = probe.startupMs + probe.importMs + cold.openMs + cold.nodesMs;
  return [
    ['Node start-up, to the first line of the script', ms(probe.startupMs), '', share(probe.startupMs, total)],
    ['`node -e 0`: a whole process doing nothing', ok(nodeStart) ? secs(nodeStart.wall_s) : 'n/a', '', ''],
    ...(nodeStartNoCerts
      ? [
          [
            '`node -e 0` without NODE_EXTRA_CA_CERTS, as the installed command starts',
            ok(nodeStartNoCerts) ? secs(nodeStartNoCerts.wall_s) : 'n/a',
            '',
            '',
          ],
        ]
      : []),
    ["loading reclass-net's modules", ms(probe.importMs), '', share(probe.importMs, total)],
    ['indexing the inventory (`openInventory`)', ms(cold.openMs), ms(warm.openMs), share(cold.openMs, total)],
    [
      `first node of each class list (${cold.first.count})`,
      nodes(cold.first),
      nodes(warm.first),
      share(cold.first.ms, total),
    ],
    [`every other node (${cold.other.count})`, nodes(cold.other), nodes(warm.other), share(cold.other.ms, total)],
    ['total', ms(total), ms(warm.openMs + warm.nodesMs), '100%'],
  ];
}

const share = (x, total) => `${((100 * x) / total).toFixed(0)}%`;

export const PHASE_HEADERS = ['phase', 'cold process', 'again, same process', 'share'];

/** What the speed targets leave once Node itself has started. */
export function phaseNote(results) {
  const { n, probe, nodeStartNoCerts, certs } = results.phases;
  // What the installed command pays for Node itself (it drops NODE_EXTRA_CA_CERTS).
  const nodeStart = nodeStartNoCerts ?? results.phases.nodeStart;
  const { cold, warm } = probe;
  const bare = ok(nodeStart) ? `${(nodeStart.wall_s * 1000).toFixed(0)} ms` : null;
  const lines = [
    `Warming up (the cold pass less the warm one, indexing and nodes): ${(cold.openMs + cold.nodesMs - warm.openMs - warm.nodesMs).toFixed(0)} ms.`,
  ];
  const size = results.sizes.find((s) => s.n === n);
  if (n === 1000 && ok(size?.reclass) && bare) {
    const budget = (size.reclass.wall_s / TARGETS.speedup1000) * 1000;
    lines.push(
      `${TARGETS.speedup1000}x reclass at N=1000 allows ${budget.toFixed(0)} ms for the whole process, of which \`node -e 0\` takes ${bare}.`,
    );
  }
  const c = results.cold;
  if (ok(c?.reclass) && bare) {
    const budget = c.reclass.wall_s * TARGETS.coldNode * 1000;
    lines.push(
      `A cold \`node\` at ${TARGETS.coldNode}x reclass allows ${budget.toFixed(0)} ms, of which \`node -e 0\` takes ` +
        `${bare} (${ratio(nodeStart.wall_s / c.reclass.wall_s, 2)} of reclass's whole run).`,
    );
  }
  if (certs && ok(results.phases.nodeStart) && ok(nodeStartNoCerts)) {
    lines.push(
      `This machine sets NODE_EXTRA_CA_CERTS (${certs}); Node 20 parses that file at every start-up, ` +
        `${((results.phases.nodeStart.wall_s - nodeStartNoCerts.wall_s) * 1000).toFixed(0)} ms here. ` +
        'The installed command drops the variable (it opens no TLS connections), so the budgets above use the start-up without it.',
    );
  }
  return lines.join('\n');
}

/** Plain-text table for the console. */
export function textTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Markdown table for docs/performance.md. */
export function mdTable(headers, rows) {
  const esc = (c) => String(c ?? '').replace(/\|/g, '\\|');
  return [
    `| ${headers.map(esc).join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
