/** POSIX sh quoting for the words of generated commands. */

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * `word` as one sh word: bare when nothing in it is special, else single-quoted.
 * @example
 * shellQuote('br-int'); // 'br-int'
 * shellQuote("it's"); // `'it'\''s'`
 */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(words: string[]): string {
  return words.map(shellQuote).join(' ');
}
