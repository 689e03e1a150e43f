import { isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIpv6 } from '../../src/network/ipv6.js';

// node:net is the reference: reclass-net checked addresses with it before.
describe('isIpv6', () => {
  it.each([
    'fe80::1%eth0',
    '::',
    '::1',
    '1::',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7::',
    '::ffff:1.2.3.4',
    '1:2:3:4:5:6:1.2.3.4',
    '1:2:3:4:5:6:7:1.2.3.4',
    '::1.2.3.4',
    '1::2::3',
    '12345::',
    'fe80::1%',
    '::01.2.3.4',
    'FFFF::',
    '0:0:0:0:0:0:0:0:0',
    '1:2:3:4:5:6:7::8',
    '::1%25x',
    'a::b%x y',
    ':1::',
    '1:::2',
    '1.2.3.4::',
    '',
    ':',
  ])('%j as node:net says', (text) => {
    expect(isIpv6(text)).toBe(isIPv6(text));
  });

  it('agrees with node:net on generated addresses and near misses', () => {
    const mutated = fc
      .tuple(fc.ipV6(), fc.nat(40), fc.constantFrom('', ':', '::', '.', 'g', '%', '%eth0', '0', '1.2.3.4'))
      .map(([address, at, insert]) => {
        const i = at % (address.length + 1);
        return address.slice(0, i) + insert + address.slice(i);
      });
    fc.assert(
      fc.property(
        fc.oneof(fc.ipV6(), fc.ipV4(), mutated, fc.string({ unit: fc.constantFrom(...'0123456789abcdef:.%') })),
        (text) => {
          expect(isIpv6(text)).toBe(isIPv6(text));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
