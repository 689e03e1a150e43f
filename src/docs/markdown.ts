/**
 * The same pages as Markdown, for a git repository's wiki: tables instead of HTML tables, the
 * topology as a separate `.svg` file beside the node page. Model text is escaped for Markdown
 * (and for the HTML that Markdown lets through), so a class named `<script>` or `a|b` stays text.
 */
import { relativeHref, siteLayout, type PageLayout } from './paths.js';
import type { KeyHistory } from './provenance.js';
import type { ClassView, DocsSite, NodeView } from './site.js';

/** Plain text for Markdown: HTML-escaped, Markdown punctuation backslash-escaped, one line. */
export function mdText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`);
}

/** Inline code that is safe inside a table cell. */
export function mdCode(text: string): string {
  // Markdown still parses emphasis and links inside inline HTML: every punctuation mark that
  // could start one becomes a character reference.
  const escaped = text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[|_*`[\]\\~!]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<code>${escaped}</code>`;
}

/** A fenced block whose fence is longer than any backtick run inside it. */
export function mdFence(text: string, info = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text.replace(/\n$/, '')}\n${fence}`;
}

function link(label: string, href: string): string {
  return `[${mdText(label)}](${href})`;
}

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

class Pages {
  readonly files = new Map<string, string>();
  private readonly classNames: Set<string>;
  constructor(
    readonly site: DocsSite,
    readonly layout: PageLayout,
  ) {
    this.classNames = new Set(site.classes.map((c) => c.name));
  }

  classRef(from: string, name: string): string {
    return this.classNames.has(name) ? link(name, relativeHref(from, this.layout.cls(name))) : mdCode(name);
  }

  via(from: string, via: string[]): string {
    return via.length === 0 ? 'the node itself' : via.map((v) => this.classRef(from, v)).join(' → ');
  }

  index(): void {
    const page = this.layout.index;
    const { site } = this;
    const out = [
      '# Inventory',
      '',
      `- inventory: ${mdCode(site.root)}`,
      `- nodes: ${site.nodes.length} in ${site.clusters.length} clusters`,
      `- classes: ${link(String(site.classes.length), relativeHref(page, this.layout.classIndex))}`,
    ];
    if (site.failures.length > 0) {
      out.push(
        '',
        '## Nodes that do not resolve',
        '',
        ...site.failures.map((f) => `- **${mdText(f.name)}**: ${mdText(f.error)}`),
      );
    }
    for (const cluster of site.clusters) {
      out.push('', `## Cluster ${mdText(cluster.name)}`, '');
      out.push(
        table(
          ['node', 'role', 'domain', 'addresses', 'classes'],
          cluster.nodes.map((n) => [
            link(n.name, relativeHref(page, this.layout.node(n.name))),
            mdText(n.role),
            mdText(n.domain),
            n.problems.length > 0 ? 'network invalid' : n.addresses.map(mdCode).join('<br>'),
            String(n.classTree.length),
          ]),
        ),
      );
    }
    this.files.set(page, out.join('\n') + '\n');
  }

  classIndex(): void {
    const page = this.layout.classIndex;
    const rows = this.site.classes.map((c) => [
      this.classRef(page, c.name),
      c.file ? mdCode(c.file) : '',
      String(c.nodes.length),
    ]);
    this.files.set(page, ['# Classes', '', table(['class', 'file', 'nodes'], rows)].join('\n') + '\n');
  }

  history(histories: KeyHistory[]): string {
    const parts = histories
      .filter((h) => h.steps.length > 0)
      .map((h) => {
        const steps = h.steps.map((s) => {
          const what = s.kind === 'reference' ? `through ${mdCode(`\${${s.reference ?? ''}}`)}` : mdCode(s.value ?? '');
          return `${s.kind} ${what} by ${mdText(s.source)}${s.where ? ` at ${mdCode(s.where)}` : ''}`;
        });
        return `<details><summary>${mdText(`${h.key}: ${h.lastWrite?.short || h.lastWrite?.source || `${h.steps.length} steps`}`)}</summary>${steps.map((s, i) => `${i + 1}. ${s}`).join('<br>')}</details>`;
      });
    return parts.join('');
  }

  node(node: NodeView): void {
    const page = this.layout.node(node.name);
    const svgFile = this.layout.nodeSvg(node.name);
    const out = [
      `# Node ${mdText(node.name)}`,
      '',
      `- cluster: ${mdText(node.cluster)}`,
      `- role: ${mdText(node.role)}`,
      `- domain: ${mdText(node.domain)}`,
      `- environment: ${mdText(node.environment)}`,
      `- node file: ${mdCode(node.file)}`,
      `- applications: ${node.applications.map(mdCode).join(', ') || 'none'}`,
      `- addresses: ${node.addresses.map(mdCode).join(', ') || 'none'}`,
      '',
      '## Network topology',
      '',
    ];
    if (node.problemList.length > 0) {
      out.push(
        node.problems.length > 0
          ? 'The network pillar does not validate (this node would not render); problems, marked in the picture:'
          : 'Problems:',
        '',
        ...node.problemList.map((p) => `- **${p.severity}** ${mdText(p.text)}`),
        '',
      );
    }
    if (!node.networkEnabled) {
      out.push('`linux:network:enabled` is false: nothing is managed.');
    } else if (node.svg) {
      this.files.set(svgFile, node.svg.replace(/^<svg class="topology" role="img"/, '<svg') + '\n');
      out.push(`![topology of ${mdText(node.name)}](${relativeHref(page, svgFile)})`);
    }
    out.push('', '## Interfaces', '');
    if (node.interfaces.length > 0) {
      out.push(
        'Under each value: the file and line that last wrote it; open it for the whole history, oldest first.',
        '',
      );
      out.push(
        table(
          ['name', 'type', 'MTU', 'address', 'members', 'bridge / master', 'peer', 'tag / VLAN'],
          node.interfaces.map((i) => [
            `**${mdText(i.name)}**${i.key !== i.name ? ` (pillar key ${mdText(i.key)})` : ''}${this.history(i.history.name)}`,
            `${mdText(i.kind)} (${mdText(i.pillarType)}${i.enabled ? '' : ', disabled'})${this.history(i.history.type)}`,
            `${mdText(i.mtu)}${this.history(i.history.mtu)}`,
            `${i.address ? mdCode(i.address) : ''}${this.history(i.history.address)}`,
            `${i.members.map(mdCode).join(', ')}${this.history(i.history.members)}`,
            `${i.bridge ? mdCode(i.bridge) : ''}${this.history(i.history.bridge)}`,
            `${i.peer ? mdCode(i.peer) : ''}${this.history(i.history.peer)}`,
            `${mdText(i.tag)}${this.history(i.history.tag)}`,
          ]),
        ),
      );
    } else out.push('no managed interfaces');
    out.push('', '## Classes in resolution order', '');
    out.push(
      table(
        ['#', 'class', 'included via', 'file'],
        node.classTree.map((c, i) => [
          String(i + 1),
          this.classRef(page, c.name),
          this.via(page, c.via),
          c.file ? mdCode(c.file) : '(missing)',
        ]),
      ),
    );
    this.files.set(page, out.join('\n') + '\n');
  }

  cls(cls: ClassView): void {
    const page = this.layout.cls(cls.name);
    const out = [
      `# Class ${mdText(cls.name)}`,
      '',
      `- file: ${cls.file ? mdCode(cls.file) : '(none)'}`,
      `- includes: ${cls.includes.map((c) => this.classRef(page, c)).join(', ') || 'nothing'}`,
      `- applications: ${cls.applications.map(mdCode).join(', ') || 'none'}`,
      `- used by: ${cls.nodes.length} nodes`,
    ];
    if (cls.problem) out.push('', mdText(cls.problem));
    out.push('', '## Parameters it sets', '', cls.parametersYaml ? mdFence(cls.parametersYaml, 'yaml') : 'none');
    out.push('', '## Nodes that use it', '');
    if (cls.nodes.length > 0) {
      out.push(
        table(
          ['node', 'included via'],
          cls.nodes.map((n) => [
            this.site.nodes.some((x) => x.name === n.name)
              ? link(n.name, relativeHref(page, this.layout.node(n.name)))
              : mdText(n.name),
            this.via(page, n.via),
          ]),
        ),
      );
    } else out.push('no node uses this class');
    this.files.set(page, out.join('\n') + '\n');
  }
}

/** Every Markdown page and SVG picture: relative path -> content. */
export function markdownPages(site: DocsSite, layout: PageLayout = siteLayout(site, 'md')): Map<string, string> {
  const pages = new Pages(site, layout);
  pages.index();
  pages.classIndex();
  for (const node of site.nodes) pages.node(node);
  for (const cls of site.classes) pages.cls(cls);
  return pages.files;
}
