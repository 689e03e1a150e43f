// Loaded by test/cli/require.test.ts in a plain Node process: the library from CommonJS.
const { openInventory, renderNetwork } = require('reclass-net');
openInventory(process.argv[2]).then(async (inv) => {
  const net = renderNetwork(await inv.node('cmp01'));
  process.stdout.write(JSON.stringify({ node: net.model.node, hasInterfaces: net.interfaces.includes('iface') }));
});
