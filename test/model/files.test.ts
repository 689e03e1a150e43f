// Structure of the embedded model that needs no resolver: files parse, classes exist and are
// used, system network classes take everything that differs between sites from _params.
import { describe, expect, it } from 'vitest';
import { relative } from 'node:path';
import { at, classFiles, isMap, nodeFiles, nodeName, parseYaml, readConfig, ROOT, type Json } from './model-files.js';

const config = readConfig();
const classes = classFiles(config);
const classDocs = new Map([...classes].map(([name, file]) => [name, parseYaml(file) as Record<string, Json> | null]));
const nodeDocs = new Map(nodeFiles(config).map((file) => [nodeName(file), parseYaml(file) as Record<string, Json>]));

function classList(doc: Record<string, Json> | null): string[] {
  const list = doc?.classes;
  return Array.isArray(list) ? (list as string[]) : [];
}

describe('reclass-config.yml', () => {
  it('names nodes, classes and the class_paths of system and cluster, and fails on missing classes', () => {
    expect(config.nodes_uri).toBe('nodes');
    expect(config.classes_uri).toBe('classes');
    expect(config.class_paths).toEqual({ system: 'system', cluster: 'cluster' });
    expect(config.ignore_class_notfound ?? false).toBe(false);
  });
});

describe('model files', () => {
  it('has service, system and cluster classes and node files', () => {
    const prefixes = new Set([...classes.keys()].map((n) => n.split('.')[0]));
    expect([...prefixes].sort()).toEqual(['cluster', 'service', 'system']);
    expect(nodeDocs.size).toBeGreaterThanOrEqual(40);
  });

  it('every class and node file is a mapping of reclass keys only', () => {
    const allowed = new Set(['classes', 'applications', 'parameters', 'environment', 'exports']);
    for (const [name, doc] of [...classDocs, ...nodeDocs]) {
      expect(isMap(doc), name).toBe(true);
      for (const key of Object.keys(doc!)) expect(allowed.has(key), `${name}: ${key}`).toBe(true);
      if ('classes' in doc!) {
        expect(Array.isArray(doc.classes), `${name}: classes`).toBe(true);
        for (const c of classList(doc)) expect(typeof c, `${name}: ${c}`).toBe('string');
      }
    }
  });

  it('every class a class or node names exists (ignore_class_notfound is off)', () => {
    const missing: string[] = [];
    for (const [name, doc] of [...classDocs, ...nodeDocs]) {
      for (const c of classList(doc)) if (!classes.has(c)) missing.push(`${name} -> ${c}`);
    }
    expect(missing).toEqual([]);
  });

  it('every class is reachable from some node (no dead classes)', () => {
    const reached = new Set<string>();
    const visit = (c: string) => {
      if (reached.has(c)) return;
      reached.add(c);
      for (const d of classList(classDocs.get(c) ?? null)) visit(d);
    };
    for (const doc of nodeDocs.values()) for (const c of classList(doc)) visit(c);
    expect([...classes.keys()].filter((c) => !reached.has(c))).toEqual([]);
  });

  it('has no class cycles', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycle: string[] = [];
    const visit = (c: string, path: string[]) => {
      if (state.get(c) === 'done') return;
      if (state.get(c) === 'open') cycle.push([...path, c].join(' -> '));
      if (state.has(c)) return;
      state.set(c, 'open');
      for (const d of classList(classDocs.get(c) ?? null)) visit(d, [...path, c]);
      state.set(c, 'done');
    };
    for (const c of classes.keys()) visit(c, []);
    expect(cycle).toEqual([]);
  });

  it('hand-written nodes are the cfg nodes, one per cluster, each declaring reclass:storage:node', () => {
    const handWritten = nodeFiles(config)
      .filter((f) => !relative(ROOT, f).startsWith('nodes/_generated/'))
      .map(nodeName)
      .sort();
    expect(handWritten).toEqual([
      'cfg01.mcp-lab.local',
      'kcfg01.mcp-k8s.local',
      'mcfg01.mosk-lab.local',
      'mncfg01.midonet-k8s.local',
      'ocfg01.mcp-contrail.local',
      'vcfg01.mcp-vlan.local',
      'xcfg01.mcp-vxlan.local',
    ]);
    for (const name of handWritten) {
      const doc = nodeDocs.get(name)!;
      const [short, ...domain] = name.split('.');
      expect(at(doc, 'parameters', 'linux', 'system')).toEqual({ name: short, domain: domain.join('.') });
      const cluster = domain[0];
      expect(classList(doc)).toEqual([`cluster.${cluster}.infra.config`]);
    }
  });

  it('short node names are unambiguous across clusters', () => {
    const shorts = [...nodeDocs.keys()].map((n) => n.split('.')[0]);
    expect(new Set(shorts).size).toBe(shorts.length);
    expect([...nodeDocs.keys()].filter((n) => n.startsWith('cmp01.'))).toEqual(['cmp01.mcp-lab.local']);
  });
});

describe('system.linux.network.interface classes', () => {
  const netClasses = [...classDocs].filter(([n]) => n.startsWith('system.linux.network.interface.'));

  it('cover every MCP design', () => {
    const names = netClasses.map(([n]) => n.slice('system.linux.network.interface.'.length));
    for (const design of [
      'single',
      'pxe',
      'bond',
      'vcp',
      'kvm_vcp',
      'ovs_vxlan_compute',
      'ovs_vxlan_dvr_compute',
      'ovs_vxlan_gateway',
      'ovs_vlan_compute',
      'ovs_vlan_dvr_compute',
      'ovs_vlan_gateway',
      'contrail_vrouter',
      'k8s_calico',
      'vlan.primary',
      'vlan.tenant',
      'vlan.storage',
      'vlan.external',
    ]) {
      expect(names, design).toContain(design);
    }
  });

  it('take every name, address, netmask, gateway, MTU and tag from ${_param:...}', () => {
    const literal: string[] = [];
    for (const [name, doc] of netClasses) {
      const interfaces = at(doc, 'parameters', 'linux', 'network', 'interface') ?? {};
      for (const [key, iface] of Object.entries(interfaces as Record<string, Record<string, Json>>)) {
        for (const field of ['name', 'address', 'netmask', 'gateway', 'mtu', 'tag', 'slaves', 'datapath_type']) {
          if (!(field in iface)) continue;
          const v = iface[field];
          // The one fixed value: an internal OVS port that Linux bridges enslave never limits them.
          if (field === 'mtu' && iface.type === 'ovs_port' && v === 65000) continue;
          if (!(typeof v === 'string' && v.includes('${_param:')))
            literal.push(`${name}: ${key}.${field} = ${JSON.stringify(v)}`);
        }
        for (const listField of ['use_interfaces', 'name_servers']) {
          for (const v of (iface[listField] as Json[] | undefined) ?? []) {
            if (!(typeof v === 'string' && v.includes('${_param:')))
              literal.push(`${name}: ${key}.${listField} = ${JSON.stringify(v)}`);
          }
        }
        if (iface.type === 'vlan') expect(iface.use_interfaces, `${name}: ${key}`).toHaveLength(1);
        if (iface.type === 'ovs_bridge')
          expect(iface.datapath_type, `${name}: ${key}`).toBe('${_param:ovs_datapath_type}');
      }
    }
    expect(literal).toEqual([]);
  });

  it('have no address literals anywhere under system/ (netmask defaults aside)', () => {
    const ipv4 = /\b(?!255\.)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/;
    for (const [name, file] of classes) {
      if (!name.startsWith('system.')) continue;
      const text = JSON.stringify(classDocs.get(name));
      expect(ipv4.test(text), `${file} holds an address`).toBe(false);
    }
  });

  it('default the OVS datapath to netdev, overridable in one _param', () => {
    const defaults = classDocs.get('system.linux.network.defaults');
    expect(at(defaults, 'parameters', '_param', 'ovs_datapath_type')).toBe('netdev');
  });
});
