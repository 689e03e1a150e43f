/**
 * The exported renderers validate what they are given: a hand-made model whose values would
 * reach `ovs_extra` (which Debian's hook evals as root), a stanza line or an ovs-vsctl
 * argument is refused, whichever renderer is called.
 */
import { describe, expect, it } from 'vitest';
import { NetworkValidationError } from '../../src/errors.js';
import { buildNetworkModel, type NetworkModel } from '../../src/network/index.js';
import {
  interfacesStanzas,
  ovsCommands,
  ovsTransactions,
  renderInterfaces,
  renderOvsScript,
} from '../../src/render/index.js';
import { nodeWithInterfaces, referenceNode } from '../network/helpers.js';

const renderers: Array<[string, (m: NetworkModel) => unknown]> = [
  ['renderInterfaces', renderInterfaces],
  ['renderOvsScript', renderOvsScript],
  ['ovsCommands', ovsCommands],
  ['ovsTransactions', ovsTransactions],
  ['interfacesStanzas', interfacesStanzas],
];

function tampered(change: (model: NetworkModel) => void): NetworkModel {
  const model = structuredClone(
    buildNetworkModel(
      nodeWithInterfaces(`
eth0: {type: eth, proto: manual, ovs_bridge: br0}
br0: {type: ovs_bridge}
int0: {type: ovs_port, bridge: br0, address: 10.0.0.5, netmask: 24}
`),
    ),
  );
  change(model);
  return model;
}

describe('exported renderers refuse hand-made models no pillar could give', () => {
  const cases: Array<[string, (m: NetworkModel) => void, RegExp]> = [
    [
      'a command substitution in ovs_extra',
      (m) => m.interfaces[1].ovs.extra.push(['set', 'Bridge', 'br0', 'other_config:x=$(reboot)']),
      /ovs_extra: .*not a plain ovs-vsctl word/,
    ],
    [
      'a shell word in an OVS column',
      (m) => m.interfaces[1].ovs.columns.push({ table: 'Bridge', record: 'br0', column: 'x', value: 'a;reboot' }),
      /OVS setting/,
    ],
    ['an interface name with a space', (m) => (m.interfaces[0].name = 'eth0 up reboot'), /whitespace/],
    ['a newline in a command', (m) => m.interfaces[0].commands.preUp.push('true\nup reboot'), /newline/],
    [
      'an address that is not one',
      (m) => (m.interfaces[2].address = { address: '10.0.0.5\n up reboot', prefixLength: 24 }),
      /not an IP address/,
    ],
    ['a bridge name with a metacharacter', (m) => (m.interfaces[2].ovsBridge = 'br0`reboot`'), /metacharacter/],
  ];
  for (const [what, change, message] of cases) {
    it(`refuses ${what}, in every renderer`, () => {
      const model = tampered(change);
      for (const [name, render] of renderers) {
        expect(() => render(model), name).toThrow(NetworkValidationError);
        expect(() => render(model), name).toThrow(message);
      }
    });
  }

  it('accepts every model buildNetworkModel makes', () => {
    for (const dir of [
      '05-compute-ovs-dvr-patch',
      '06-gateway-ovs-intport-linuxbridge',
      '07-ovs-native-bond-intport-ip',
    ]) {
      const model = buildNetworkModel(referenceNode(dir));
      for (const [name, render] of renderers) expect(() => render(model), `${dir} ${name}`).not.toThrow();
    }
  });
});
