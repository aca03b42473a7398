import type { Registrar } from '../cli.js';

/** cluster: same-owner clustering with evidence (issue 5). */
export function registerCluster(_reg: Registrar): void {}
