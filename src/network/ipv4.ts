/** IPv4 parsing: strict dotted quads, netmasks as dotted quads or prefix lengths. */
import type { Ipv4Cidr } from './types.js';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

function toInt(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** A prefix length from `255.255.255.0`, `24` or `/24`; undefined when not a valid netmask. */
function prefixLength(netmask: string | number): number | undefined {
  const text = String(netmask).trim().replace(/^\//, '');
  if (/^\d{1,2}$/.test(text)) {
    const n = Number(text);
    return n <= 32 ? n : undefined;
  }
  if (!isIpv4(text)) return undefined;
  const bits = toInt(text).toString(2).padStart(32, '0');
  if (!/^1*0*$/.test(bits)) return undefined; // non-contiguous masks are not netmasks
  return bits.indexOf('0') === -1 ? 32 : bits.indexOf('0');
}

/**
 * Parses `address` with an optional separate `netmask`: `10.0.0.1` + `255.255.255.0`,
 * `10.0.0.1` + `24`, or `10.0.0.1/24` alone. Returns a message when it cannot.
 */
export function parseCidr(address: string, netmask?: string | number): Ipv4Cidr | string {
  const [ip, inlinePrefix, ...rest] = address.trim().split('/');
  if (rest.length > 0 || ip === undefined || !isIpv4(ip)) return `"${address}" is not an IPv4 address`;
  if (inlinePrefix !== undefined && netmask !== undefined) {
    return `"${address}" already has a prefix length and a netmask is given as well`;
  }
  const mask = inlinePrefix ?? netmask;
  if (mask === undefined) return `address ${address} has no netmask`;
  const len = prefixLength(mask);
  if (len === undefined) return `"${mask}" is not a valid netmask`;
  return { address: ip, prefixLength: len };
}

/**
 * `ADDRESS/PREFIX`, as ifupdown's `address` option takes it.
 * @example
 * formatCidr({ address: '10.11.1.101', prefixLength: 24 }); // '10.11.1.101/24'
 */
export function formatCidr(cidr: Ipv4Cidr): string {
  return `${cidr.address}/${cidr.prefixLength}`;
}

/** The network address of a CIDR (host bits cleared), e.g. for routes written as `10.20.0.5/16`. */
export function networkOf(cidr: Ipv4Cidr): string {
  const mask = cidr.prefixLength === 0 ? 0 : (0xffffffff << (32 - cidr.prefixLength)) >>> 0;
  const n = (toInt(cidr.address) & mask) >>> 0;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
