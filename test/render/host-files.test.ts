/** /etc/hosts lists its entries in natural address order, digit runs compared as numbers. */
import { describe, expect, it } from 'vitest';
import { compareNatural } from '../../src/render/host-files.js';

describe('compareNatural', () => {
  it('orders addresses as numbers, not as text', () => {
    const sorted = ['10.0.0.10', '10.0.0.9', '10.0.1.1', '9.1.1.1', '10.0.0.100', 'fd00::a', 'fd00::2'].sort(
      compareNatural,
    );
    expect(sorted).toEqual(['9.1.1.1', '10.0.0.9', '10.0.0.10', '10.0.0.100', '10.0.1.1', 'fd00::2', 'fd00::a']);
  });

  it('orders as localeCompare with numeric collation does, for the addresses hosts files hold', () => {
    const addresses = [
      '172.16.10.100',
      '172.16.10.105',
      '172.16.10.21',
      '10.11.1.15',
      '10.11.1.101',
      '10.2.0.1',
      '192.168.0.5',
    ];
    expect([...addresses].sort(compareNatural)).toEqual(
      [...addresses].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    );
  });
});
