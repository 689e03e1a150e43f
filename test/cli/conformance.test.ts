// The shared reclass 1.7 corpora through the built CLI (see conformance-suites.ts).
import { describeConformanceSuites } from './conformance-suites.js';

describeConformanceSuites('reclass 1.7 conformance');
