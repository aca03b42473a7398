import { CtraceError } from '../../errors.js';
import * as fifoRule from './fifo.js';
import * as haircutRule from './haircut.js';
import * as lifoRule from './lifo.js';
import * as poisonRule from './poison.js';
import * as tihoRule from './tiho.js';
import type { TaintPolicy, TaintPolicyId } from './types.js';

/** The taint policies of heuristics.md section 4, by id. */
export const TAINT_POLICIES: Readonly<Record<TaintPolicyId, TaintPolicy>> = {
  poison: { id: 'poison', version: poisonRule.version, conserving: false, backward: true, apply: poisonRule.poison },
  haircut: { id: 'haircut', version: haircutRule.version, conserving: true, backward: true, apply: haircutRule.haircut },
  fifo: { id: 'fifo', version: fifoRule.version, conserving: true, backward: true, apply: fifoRule.fifo },
  lifo: { id: 'lifo', version: lifoRule.version, conserving: true, backward: true, apply: lifoRule.lifo },
  tiho: { id: 'tiho', version: tihoRule.version, conserving: true, backward: false, apply: tihoRule.tiho },
};

/** The policy ids, in the order the CLI lists them. */
export const TAINT_POLICY_IDS = Object.keys(TAINT_POLICIES) as TaintPolicyId[];

/**
 * Look a policy up by id.
 * @throws CtraceError USAGE for an unknown id
 * @example getTaintPolicy('fifo').apply(tx)
 */
export function getTaintPolicy(id: string): TaintPolicy {
  const p = (TAINT_POLICIES as Record<string, TaintPolicy>)[id];
  if (!p) throw new CtraceError('USAGE', `unknown taint policy "${id}": use one of ${TAINT_POLICY_IDS.join(', ')}`);
  return p;
}
