import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real programs (ifupdown, ovsdb-server) and conformance runs
    // spawn the CLI once per node: generous limits, but never unbounded.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests that share kernel state (network namespaces, OVS) serialise themselves by
    // using unique names; files still run in parallel across the two cores.
    pool: 'forks',
  },
});
