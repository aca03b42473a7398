import { type AnvilNode, type EvmScenarioTruth, playEvmScenario, startAnvil } from '@cryptotrace/fixtures';
import { afterAll, beforeAll } from 'vitest';

/** A real anvil for one test file: started in beforeAll on a port the OS picks, stopped in afterAll. */
export interface AnvilHandle {
  node: AnvilNode;
  /** What the scenario did, when asked to play it. */
  truth: EvmScenarioTruth;
}

/**
 * Start anvil (from the `@foundry-rs/anvil` npm package) for the current test file and, unless `play` is false,
 * play the fixture scenario on it. Read the handle's fields inside tests, not at collection time.
 * @example const anvil = useAnvil(); it('...', () => anvil.truth.txs ...)
 */
export function useAnvil({ play = true }: { play?: boolean } = {}): AnvilHandle {
  const handle = {} as AnvilHandle;
  beforeAll(async () => {
    handle.node = await startAnvil();
    if (play) handle.truth = await playEvmScenario(handle.node.rpcUrl);
  });
  afterAll(async () => {
    await handle.node?.stop();
  });
  return handle;
}
