import type { Registrar } from '../cli.js';

/** trace and suspects: taint propagation and ranking (issue 6). */
export function registerTaint(_reg: Registrar): void {}
