import { describe, expect, it } from 'vitest';
import { liveOvsOf, decodeTable } from '../../src/ovs/ovsdb.js';
import { ovsPlan } from '../../src/plan/ovs-plan.js';

// Tables as `ovs-vsctl --format=json list TABLE` prints them (columns trimmed).
const table = (headings: string[], rows: unknown[][]) => decodeTable(JSON.stringify({ headings, data: rows }));
const live = liveOvsOf({
  Open_vSwitch: table(
    ['_uuid', 'other_config'],
    [
      [
        ['uuid', 'o1'],
        ['map', [['dpdk-init', 'true']]],
      ],
    ],
  ),
  Bridge: table(
    ['_uuid', 'name', 'ports', 'datapath_type'],
    [
      [
        ['uuid', 'b1'],
        'br-ex',
        [
          'set',
          [
            ['uuid', 'p1'],
            ['uuid', 'p2'],
          ],
        ],
        'netdev',
      ],
    ],
  ),
  Port: table(
    ['_uuid', 'name', 'interfaces', 'tag'],
    [
      [['uuid', 'p1'], 'br-ex', ['uuid', 'i1'], ['set', []]],
      [['uuid', 'p2'], 'old-port', ['uuid', 'i2'], 100],
    ],
  ),
  Interface: table(
    ['_uuid', 'name', 'type', 'mtu_request', 'options'],
    [
      [['uuid', 'i1'], 'br-ex', 'internal', 1500, ['map', []]],
      [['uuid', 'i2'], 'old-port', 'internal', ['set', []], ['map', [['peer', 'x']]]],
    ],
  ),
});

describe('ovsPlan', () => {
  it('prints nothing for a database that matches', () => {
    const plan = ovsPlan(
      [
        ['--may-exist', 'add-br', 'br-ex', '--', 'set', 'Interface', 'br-ex', 'mtu_request=1500'],
        [
          '--may-exist',
          'add-port',
          'br-ex',
          'old-port',
          '--',
          'set',
          'Port',
          'old-port',
          'tag=100',
          '--',
          'set',
          'Interface',
          'old-port',
          'options:peer=x',
        ],
      ],
      live,
    );
    expect(plan.commands).toEqual([]);
  });

  it('keeps only the sets that differ, whole transactions for missing objects, and removes stray ports', () => {
    const plan = ovsPlan(
      [
        ['set', 'Open_vSwitch', '.', 'other_config:dpdk-init=true', 'other_config:pmd-cpu-mask=0x3'],
        ['--may-exist', 'add-br', 'br-ex', '--', 'set', 'Interface', 'br-ex', 'mtu_request=9000', 'type=internal'],
        ['--may-exist', 'add-br', 'br-new', '--', 'set', 'Bridge', 'br-new', 'fail_mode=secure'],
      ],
      live,
    );
    expect(plan.commands).toEqual([
      ['set', 'Open_vSwitch', '.', 'other_config:pmd-cpu-mask=0x3'],
      ['set', 'Interface', 'br-ex', 'mtu_request=9000'],
      ['--may-exist', 'add-br', 'br-new', '--', 'set', 'Bridge', 'br-new', 'fail_mode=secure'],
      ['--if-exists', 'del-port', 'br-ex', 'old-port'],
    ]);
  });

  it('compares sets and maps regardless of order and quoting, and sets aside what it cannot judge', () => {
    const plan = ovsPlan(
      [
        [
          '--may-exist',
          'add-port',
          'br-ex',
          'old-port',
          '--',
          'set',
          'Interface',
          'old-port',
          'options={"peer"="x"}',
          '--',
          'br-set-external-id',
          'br-ex',
          'k',
          'v',
        ],
      ],
      live,
    );
    expect(plan.commands).toEqual([]);
    expect(plan.unchecked).toEqual([['br-set-external-id', 'br-ex', 'k', 'v']]);
  });
});
