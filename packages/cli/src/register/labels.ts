import type { Registrar } from '../cli.js';

/** labels: import and list address labels (issue 6). */
export function registerLabels(_reg: Registrar): void {}
