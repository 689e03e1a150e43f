/** Node names in generated comments: escaped so that no name can end the comment line. */
export function headerLabel(node: string): string {
  return /^[A-Za-z0-9_.@+-]+$/.test(node) ? node : JSON.stringify(node).replace(/[\u2028\u2029\u0085]/g, '?');
}
