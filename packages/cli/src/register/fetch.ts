import type { Registrar } from '../cli.js';

/** fetch: pull transactions, addresses and blocks from Bitcoin Core RPC, Esplora or an EVM node (issue 4). */
export function registerFetch(_reg: Registrar): void {}
