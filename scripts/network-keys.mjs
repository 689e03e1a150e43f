// Prints the key tables of docs/network.md from the built key catalogue (src/network/keys.ts),
// for pasting after a change to the catalogue; test/network/keys.test.ts holds them equal.
import { INTERFACE_KEYS, NETWORK_KEYS, keyTable } from '../dist/src/network/keys.js';

process.stdout.write(
  `### linux:network\n\n${keyTable(NETWORK_KEYS, false)}\n\n### linux:network:interface:NAME\n\n${keyTable(INTERFACE_KEYS, true)}\n`,
);
