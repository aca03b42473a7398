/** The built packages, by path: bench/accuracy has no node_modules of its own (as bench/src). */
export * as core from '../../../packages/core/dist/index.js';
export * as fixtures from '../../../fixtures/dist/index.js';
