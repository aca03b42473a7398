import type { Registrar } from '../cli.js';

/** demo, replay and graph exports (issue 7). */
export function registerReport(_reg: Registrar): void {}
