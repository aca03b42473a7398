export { EXIT_CODES, buildProgram, run } from './cli.js';
export { formatUnits, safeText, table, toJson } from './output.js';
export type { Io } from './output.js';
