/**
 * Text from a model on its way to a terminal. ESC and the other control characters would
 * let a model move the cursor, rewrite earlier lines or retitle the window of whoever reads
 * the error; each is shown as a visible escape instead (`\x1b`, `\n`), so a message stays
 * one line and says what the model holds.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this module finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
