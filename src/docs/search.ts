/**
 * Client-side search: a prebuilt index of nodes, classes, networks, addresses and parameter
 * paths, written as a script (`search-index.js`) so the search page works from a directory
 * opened with file:// (no fetch, no server), and a small script that filters it. The pages
 * themselves need no script: without JavaScript the search page points to the indexes.
 */
import type { PageLayout } from './paths.js';
import type { DocsSite } from './site.js';

/** One hit: what it is, its name, the page (relative to the site root) and text to match. */
export type SearchEntry = [
  kind: 'node' | 'class' | 'network' | 'address' | 'parameter',
  label: string,
  page: string,
  detail: string,
];

/** Every entry of the index. Built from the already redacted site: no secret reaches it. */
export function searchEntries(site: DocsSite, layout: PageLayout): SearchEntry[] {
  const out: SearchEntry[] = [];
  for (const n of site.nodes) {
    out.push(['node', n.name, layout.node(n.name), [n.cluster, n.role, ...n.interfaceNames].join(' ')]);
    for (const l of n.links)
      if (l.address) out.push(['address', l.address, layout.node(n.name), `${n.name} ${l.iface} ${l.label}`]);
  }
  for (const net of site.networks) {
    out.push([
      'network',
      net.label,
      layout.network(net.id),
      [net.vlans.map((v) => `VLAN ${v}`).join(' '), ...net.bridges, ...net.params].join(' '),
    ]);
  }
  const paths = new Map<string, string[]>();
  for (const c of site.classes) {
    out.push(['class', c.name, layout.cls(c.name), c.file]);
    for (const p of c.parameters) paths.set(p.path, [...(paths.get(p.path) ?? []), c.name]);
  }
  // A parameter path leads to the first class that writes it; the detail names the others.
  for (const [path, classes] of paths)
    out.push(['parameter', path, layout.cls(classes[0]), classes.slice(0, 20).join(' ')]);
  return out;
}

/**
 * The index as a script. JSON is a JavaScript expression; `<` is escaped so that the file
 * stays inert even if someone inlines it into a page.
 */
export function searchIndexScript(entries: SearchEntry[]): string {
  return `globalThis.RECLASS_NET_SEARCH = ${JSON.stringify(entries).replace(/</g, '\\u003c')};\n`;
}

/**
 * The search script. It builds results with textContent and sets each href to a page path
 * from the index (generated, safe characters only), never to text of the query.
 */
export const SEARCH_SCRIPT = `(function () {
  'use strict';
  var index = globalThis.RECLASS_NET_SEARCH || [];
  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var list = document.getElementById('results');
  var count = document.getElementById('count');
  var LIMIT = 200;
  function run(query) {
    var words = query.toLowerCase().split(/\\s+/).filter(Boolean);
    list.textContent = '';
    if (words.length === 0) { count.textContent = index.length + ' entries indexed'; return; }
    var hits = [];
    for (var i = 0; i < index.length && hits.length < LIMIT; i++) {
      var e = index[i];
      var hay = (e[1] + ' ' + e[3]).toLowerCase();
      if (words.every(function (w) { return hay.indexOf(w) >= 0; })) hits.push(e);
    }
    hits.sort(function (a, b) { return (a[1].toLowerCase().indexOf(words[0]) === 0 ? 0 : 1) - (b[1].toLowerCase().indexOf(words[0]) === 0 ? 0 : 1); });
    count.textContent = hits.length >= LIMIT ? 'first ' + LIMIT + ' hits' : hits.length + ' hits';
    hits.forEach(function (e) {
      var li = document.createElement('li');
      var kind = document.createElement('span');
      kind.className = 'hit-kind';
      kind.textContent = e[0];
      var a = document.createElement('a');
      a.href = e[2];
      a.textContent = e[1];
      var detail = document.createElement('span');
      detail.className = 'via';
      detail.textContent = ' ' + e[3];
      li.appendChild(kind); li.appendChild(a); li.appendChild(detail);
      list.appendChild(li);
    });
  }
  var params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  run(input.value);
  input.addEventListener('input', function () { run(input.value); });
  form.addEventListener('submit', function (ev) { ev.preventDefault(); run(input.value); history.replaceState(null, '', '?q=' + encodeURIComponent(input.value)); });
  document.getElementById('noscript-note').hidden = true;
})();
`;
