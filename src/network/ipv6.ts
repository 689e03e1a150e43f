/**
 * IPv6 address syntax (RFC 4291 text forms, with an optional `%zone`), as node:net's isIPv6
 * accepts it. Kept here rather than imported from node:net: the network stage is on the path
 * of every cold `render`, and loading node:net there costs more than the check itself.
 */
import { isIpv4 } from './ipv4.js';

const HEXTET = /^[0-9a-fA-F]{1,4}$/;
const ZONE = /^[0-9a-zA-Z\-.:]+$/;

/** Whether `parts` are all hextets, the last of them optionally a dotted quad (two hextets' worth). */
function groupsWorth(parts: string[], allowQuadAtEnd: boolean): number | undefined {
  let worth = 0;
  for (let i = 0; i < parts.length; i++) {
    if (HEXTET.test(parts[i])) worth += 1;
    else if (allowQuadAtEnd && i === parts.length - 1 && isIpv4(parts[i])) worth += 2;
    else return undefined;
  }
  return worth;
}

export function isIpv6(value: string): boolean {
  const percent = value.indexOf('%');
  const address = percent === -1 ? value : value.slice(0, percent);
  if (percent !== -1 && !ZONE.test(value.slice(percent + 1))) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  if (halves.length === 1) return groupsWorth(address.split(':'), true) === 8;
  const [head, tail] = halves;
  const before = head === '' ? 0 : groupsWorth(head.split(':'), false);
  const after = tail === '' ? 0 : groupsWorth(tail.split(':'), true);
  if (before === undefined || after === undefined) return false;
  // `::` stands for at least one group of zeros.
  return before + after <= 7;
}

export function isIpAddress(value: string): boolean {
  return isIpv4(value) || isIpv6(value);
}
