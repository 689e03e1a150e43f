/**
 * The `${...}` / `$[...]` grammar of reclass 1.7, rule for rule. reclass builds it with
 * pyparsing (values/parser_funcs.py); its escaping rules are quirky (an escape counts only
 * where a new token starts), and models depend on the quirks, so this is a transcription of
 * that grammar rather than a cleaner one. Tested against the Python parser on random input.
 */
import { ReclassNetError } from '../errors.js';

export interface Sentinels {
  refOpen: string;
  refClose: string;
  invOpen: string;
  invClose: string;
  escape: string;
}

export type Token = { kind: 'str'; text: string } | { kind: 'ref'; parts: Token[] } | { kind: 'inv'; parts: string[] };

const DEFAULT_SENTINELS: Sentinels = {
  refOpen: '${',
  refClose: '}',
  invOpen: '$[',
  invClose: ']',
  escape: '\\',
};

/** A global pattern matching any one character (UTF-16 code unit) of `chars`. */
function anyOf(chars: string): RegExp {
  return new RegExp('[' + chars.replace(/[\\\]^-]/g, '\\$&') + ']', 'g');
}

/**
 * Sentinels with what the grammar derives from them, made once for every string parsed with
 * them (the Settings of an inventory keep one). The stops are global patterns of one
 * character class each, for charsNotIn.
 */
export class Syntax implements Sentinels {
  readonly refOpen: string;
  readonly refClose: string;
  readonly invOpen: string;
  readonly invClose: string;
  readonly escape: string;
  /** Two escapes. */
  readonly ee: string;
  /** Any character of the escape and reference sentinels. */
  readonly refStop: RegExp;
  /** Any character of any sentinel. */
  readonly allStop: RegExp;
  /** The first character of the closing sentinel of an inventory query. */
  readonly invCloseStop: RegExp;

  constructor(s: Sentinels) {
    this.refOpen = s.refOpen;
    this.refClose = s.refClose;
    this.invOpen = s.invOpen;
    this.invClose = s.invClose;
    this.escape = s.escape;
    this.ee = s.escape + s.escape;
    this.refStop = anyOf(s.escape + s.refOpen + s.refClose);
    this.allStop = anyOf(s.escape + s.refOpen + s.refClose + s.invOpen + s.invClose);
    this.invCloseStop = anyOf(String(s.invClose).charAt(0));
  }
}

class Grammar {
  constructor(
    private readonly s: Syntax,
    private readonly text: string,
  ) {}

  private at(pos: number, lit: string): boolean {
    return this.text.startsWith(lit, pos);
  }

  /** `\\` followed by any sentinel: one literal escape character. */
  private doubleEscape(pos: number): number {
    const { refOpen, refClose, invOpen, invClose } = this.s;
    if (!this.at(pos, this.s.ee)) return -1;
    const after = pos + this.s.ee.length;
    return [refOpen, refClose, invOpen, invClose].some((l) => this.at(after, l)) ? after : -1;
  }

  private notOpen(pos: number, open: string): boolean {
    return !this.at(pos, open) && !this.at(pos, this.s.escape + open) && !this.at(pos, this.s.ee + open);
  }

  /**
   * pyparsing CharsNotIn(chars): the end of the longest non-empty run of characters from
   * `pos` that `stop` (a Syntax pattern of those characters) does not match, or -1. One
   * search, not a step per character of the text: each step was a call, and every string
   * with a reference is read so.
   */
  private charsNotIn(pos: number, stop: RegExp): number {
    stop.lastIndex = pos;
    const end = stop.test(this.text) ? stop.lastIndex - 1 : this.text.length;
    return end > pos ? end : -1;
  }

  // ref_text = CharsNotIn(REF_EXCLUDES) | CharsNotIn(REF_CLOSE_FIRST, exact=1)
  private refText(pos: number): number {
    const run = this.charsNotIn(pos, this.s.refStop);
    if (run >= 0) return run;
    return pos < this.text.length && this.text[pos] !== this.s.refClose[0] ? pos + 1 : -1;
  }

  /**
   * The escape alternatives that open several grammar rules: `\\` before a sentinel is one
   * escape character; the escape before `first` or `second` makes that sentinel literal.
   */
  private escapeToken(pos: number, first: string, second: string): [string, number] | null {
    const { escape } = this.s;
    const de = this.doubleEscape(pos);
    if (de >= 0) return [escape, de];
    for (const sentinel of [first, second]) {
      if (this.at(pos, escape + sentinel)) return [sentinel, pos + escape.length + sentinel.length];
    }
    return null;
  }

  // ref_string = double_escape | ref_escape_open | ref_escape_close | ref_content
  private refString(pos: number): [Token, number] | null {
    const { refOpen, refClose } = this.s;
    const escaped = this.escapeToken(pos, refOpen, refClose);
    if (escaped) return [{ kind: 'str', text: escaped[0] }, escaped[1]];
    let end = pos;
    for (;;) {
      if (!this.notOpen(end, refOpen) || !this.notOpen(end, refClose)) break;
      const next = this.refText(end);
      if (next < 0) break;
      end = next;
    }
    return end > pos ? [{ kind: 'str', text: this.text.slice(pos, end) }, end] : null;
  }

  // pyparsing skips whitespace before each item inside a reference, and before the closing
  // sentinel of a nested one: the grammar's recursive part escaped `leaveWhitespace()`.
  private skipWhitespace(pos: number): number {
    while (pos < this.text.length && ' \n\t\r'.includes(this.text[pos])) pos++;
    return pos;
  }

  // reference = ref_open + Group(OneOrMore(ref_item)) + ref_close; ref_item = reference | ref_string
  reference(pos: number, nested = false): [Token, number] | null {
    if (!this.at(pos, this.s.refOpen)) return null;
    let cur = pos + this.s.refOpen.length;
    const parts: Token[] = [];
    for (;;) {
      const start = this.skipWhitespace(cur);
      const item = this.reference(start, true) ?? this.refString(start);
      if (!item) break;
      parts.push(item[0]);
      cur = item[1];
    }
    if (nested) cur = this.skipWhitespace(cur);
    if (parts.length === 0 || !this.at(cur, this.s.refClose)) return null;
    return [{ kind: 'ref', parts }, cur + this.s.refClose.length];
  }

  /**
   * reclass first tries a simpler grammar on strings with one sentinel: optional text, one
   * `${name}` without escapes or nesting, optional text. It keeps whitespace the full
   * grammar would skip, so `${ a }` names the key ' a '.
   */
  simpleLine(): Token[] | null {
    const { refOpen, refClose } = this.s;
    const tokens: Token[] = [];
    let pos = 0;
    const lead = this.charsNotIn(pos, this.s.allStop);
    if (lead >= 0) {
      tokens.push({ kind: 'str', text: this.text.slice(pos, lead) });
      pos = lead;
    }
    if (!this.at(pos, refOpen)) return null;
    pos += refOpen.length;
    const name = this.charsNotIn(pos, this.s.allStop);
    if (name < 0 || !this.at(name, refClose)) return null;
    tokens.push({ kind: 'ref', parts: [{ kind: 'str', text: this.text.slice(pos, name) }] });
    pos = name + refClose.length;
    const tail = this.charsNotIn(pos, this.s.allStop);
    if (tail >= 0) {
      tokens.push({ kind: 'str', text: this.text.slice(pos, tail) });
      pos = tail;
    }
    return pos === this.text.length ? tokens : null;
  }

  // inv_string = double_escape | inv_escape_open | inv_escape_close | inv_content
  private invString(pos: number): [string, number] | null {
    const { invOpen, invClose } = this.s;
    const escaped = this.escapeToken(pos, invOpen, invClose);
    if (escaped) return escaped;
    let end = pos;
    for (;;) {
      if (!this.notOpen(end, invClose)) break;
      const next = this.charsNotIn(end, this.s.invCloseStop);
      if (next < 0) break;
      end = next;
    }
    return end > pos ? [this.text.slice(pos, end), end] : null;
  }

  export(pos: number): [Token, number] | null {
    if (!this.at(pos, this.s.invOpen)) return null;
    let cur = pos + this.s.invOpen.length;
    const parts: string[] = [];
    for (;;) {
      const item = this.invString(cur);
      if (!item) break;
      parts.push(item[0]);
      cur = item[1];
    }
    if (parts.length === 0 || !this.at(cur, this.s.invClose)) return null;
    return [{ kind: 'inv', parts }, cur + this.s.invClose.length];
  }

  // string = double_escape | ref_escape_open | inv_escape_open | content
  private string(pos: number): [Token, number] | null {
    const { refOpen, invOpen } = this.s;
    const escaped = this.escapeToken(pos, refOpen, invOpen);
    if (escaped) return [{ kind: 'str', text: escaped[0] }, escaped[1]];
    let end = pos;
    for (;;) {
      if (!this.notOpen(end, refOpen) || !this.notOpen(end, invOpen)) break;
      const run = this.charsNotIn(end, this.s.allStop);
      const next = run >= 0 ? run : end < this.text.length ? end + 1 : -1;
      if (next < 0) break;
      end = next;
    }
    return end > pos ? [{ kind: 'str', text: this.text.slice(pos, end) }, end] : null;
  }

  // line = OneOrMore(reference | export | string) + StringEnd
  line(): Token[] | null {
    const tokens: Token[] = [];
    let pos = 0;
    while (pos < this.text.length) {
      const item = this.reference(pos) ?? this.export(pos) ?? this.string(pos);
      if (!item) return null;
      tokens.push(item[0]);
      pos = item[1];
    }
    return tokens.length > 0 ? tokens : null;
  }
}

/** Python's str.expandtabs(8): pyparsing applies it to every string it parses. */
export function expandTabs(text: string): string {
  if (!text.includes('\t')) return text;
  let out = '';
  let column = 0;
  for (const ch of text) {
    if (ch === '\t') {
      const pad = 8 - (column % 8);
      out += ' '.repeat(pad);
      column += pad;
    } else {
      out += ch;
      column = ch === '\n' || ch === '\r' ? 0 : column + 1;
    }
  }
  return out;
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) count++;
  return count;
}

/** True when reclass would run its parser on the string at all. */
function hasSentinels(text: string, s: Sentinels = DEFAULT_SENTINELS): boolean {
  return text.includes(s.refOpen) || text.includes(s.invOpen);
}

/**
 * Splits a parameter string into literal text, references and inventory queries, or
 * returns null for a string without sentinels (kept exactly as written). `s` is best a
 * Syntax made once (Settings.syntax): other Sentinels are derived again for each string.
 */
export function parseValueString(text: string, s: Sentinels = DEFAULT_SENTINELS): Token[] | null {
  if (!hasSentinels(text, s)) return null;
  const sentinelCount = countOccurrences(text, s.refOpen) + countOccurrences(text, s.invOpen);
  const grammar = new Grammar(s instanceof Syntax ? s : new Syntax(s), expandTabs(text));
  const tokens = (sentinelCount === 1 ? grammar.simpleLine() : null) ?? grammar.line();
  if (!tokens) {
    throw new ReclassNetError(
      'ParseError',
      `cannot parse ${JSON.stringify(text)}: unbalanced or misplaced reference sentinels`,
    );
  }
  return tokens;
}
