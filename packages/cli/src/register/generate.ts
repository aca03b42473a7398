import type { Registrar } from '../cli.js';

/** generate: write scenario chains with ground truth (issue 3). */
export function registerGenerate(_reg: Registrar): void {}
