const t0 = performance.now();
const { readText } = await import('./dist/src/inventory/storage.js');
const { loadYaml } = await import('./dist/src/inventory/yaml.js');
const { openInventory } = await import('./dist/src/inventory/open.js');
const t1 = performance.now();
const dir = process.argv[2];
const inv = await openInventory(dir, { provenance: false });
const t2 = performance.now();
const files = JSON.parse(process.argv[3]);
let read = 0, parse = 0; const texts = [];
for (const f of files) { const a = performance.now(); const t = readText(f); const b = performance.now(); loadYaml(t, f); const c = performance.now(); read += b - a; parse += c - b; }
const t3 = performance.now();
const storage = inv.storage; const seen = new Set();
const reach = (cs) => { for (const c of cs) { if (seen.has(c) || !storage.hasClass(c)) continue; seen.add(c); reach(storage.getClass(c).classes.items); } };
reach(storage.getNode(inv.resolveName('cmp01')).classes.items);
const t4 = performance.now();
const n = inv.rawNode('cmp01');
const t5 = performance.now();
console.log(`import ${(t1-t0).toFixed(1)} open ${(t2-t1).toFixed(1)} read ${read.toFixed(1)} yaml ${parse.toFixed(1)} entities(again, incl parse) ${(t4-t3).toFixed(1)} resolve ${(t5-t4).toFixed(1)}`);
