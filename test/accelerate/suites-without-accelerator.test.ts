/**
 * The conformance and corpus suites, and the differential test against reclass 1.7, with
 * the accelerator switched off: the resolver alone must pass them as it does with the
 * accelerator (test/cli/conformance.test.ts, test/differential). The CLI reads
 * RECLASS_NET_ACCELERATOR=off (what `--no-accelerator` sets for worker threads); the
 * conformance runner is given the flag itself.
 */
import { describeConformanceSuites } from '../cli/conformance-suites.js';

describeConformanceSuites('reclass 1.7 conformance, without the accelerator', ['--no-accelerator']);

// The differential test, as it is, with every reclass-net process it starts resolving
// without the accelerator (each test file runs in a process of its own).
process.env.RECLASS_NET_ACCELERATOR = 'off';
await import('../differential/differential.test.js');
