import { CtraceError } from '../../errors.js';
import type { TaintPolicy, TaintTxInput, TaintTxResult } from './types.js';

/**
 * Check one transaction's taint bookkeeping: every share within its value and, for conserving policies,
 * Σ taint out + fee taint = Σ taint in exactly, and the flows adding up to each output's taint. Poison is checked
 * for "every output wholly tainted" instead. A failure is a bug, never bad input.
 * @param policy the policy that produced `result`
 * @param txid for the message
 * @throws CtraceError TAINT_NOT_CONSERVED
 * @example checkConservation(policies.fifo, txid, tx, fifo(tx))
 */
export function checkConservation(policy: Pick<TaintPolicy, 'id' | 'conserving'>, txid: string, tx: TaintTxInput, result: TaintTxResult): void {
  const fail = (what: string) => {
    throw new CtraceError('TAINT_NOT_CONSERVED', `taint not conserved by ${policy.id} in transaction ${txid}: ${what} (this is a bug, please report it)`);
  };
  if (result.outputs.length !== tx.outputs.length) fail(`${result.outputs.length} shares for ${tx.outputs.length} outputs`);
  let tin = 0n;
  for (const p of tx.inputs) {
    if (p.taint < 0n || p.taint > p.value) fail(`an input carries ${p.taint} taint in ${p.value} units`);
    tin += p.taint;
  }
  let tout = 0n;
  result.outputs.forEach((s, j) => {
    if (s.taint < 0n || s.taint > tx.outputs[j]) fail(`output ${j} gets ${s.taint} taint in ${tx.outputs[j]} units`);
    tout += s.taint;
  });
  if (result.fee.taint < 0n || result.fee.taint > tx.fee) fail(`the fee gets ${result.fee.taint} taint in ${tx.fee} units`);
  if (!policy.conserving) {
    if (tin > 0n && result.outputs.some((s, j) => s.taint !== tx.outputs[j])) fail('an output of a tainted transaction is not wholly tainted');
    return;
  }
  if (tout + result.fee.taint !== tin) fail(`${tin} in, ${tout} out + ${result.fee.taint} fee`);
  const byOutput = new Map<number, bigint>();
  for (const f of result.flows) byOutput.set(f.output, (byOutput.get(f.output) ?? 0n) + f.amount);
  result.outputs.forEach((s, j) => {
    if ((byOutput.get(j) ?? 0n) !== s.taint) fail(`the flows into output ${j} do not add up to its taint`);
  });
}
