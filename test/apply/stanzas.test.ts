import { describe, expect, it } from 'vitest';
import { changedInterfaces } from '../../src/apply/stanzas.js';

const old = `auto lo
iface lo inet loopback

# a comment
auto br-ex
iface br-ex inet static
    address 10.0.0.2/24
    mtu 1500

auto ens3
iface ens3 inet manual
    mtu 1500

auto gone0
iface gone0 inet manual
`;

describe('changedInterfaces', () => {
  it('names interfaces whose block or auto marking changed, parents first, and removed ones in reverse', () => {
    const next =
      old
        .replace('auto ens3\n', '')
        .replace('    address 10.0.0.2/24\n    mtu 1500', '    address 10.0.0.2/24\n    mtu 9000')
        .replace('auto gone0\niface gone0 inet manual\n', '') + 'auto br-new\niface br-new inet manual\n';
    expect(changedInterfaces(old, next)).toEqual({ changed: ['br-ex', 'ens3', 'br-new'], removed: ['gone0'] });
  });

  it('ignores comments and blank lines', () => {
    expect(changedInterfaces(old, old.replace('# a comment\n', '\n\n# another\n'))).toEqual({
      changed: [],
      removed: [],
    });
  });
});
