/**
 * Multi-hop exposure over a wallet payment graph: the share of each wallet's receipts that descends from seed
 * wallets (those labelled with an illicit category), shared by value at every hop as the haircut policy shares
 * taint (Möser, Böhme & Breuker 2014), followed `hops` payments deep. It is the learned identifier's streaming
 * counterpart of `ctrace suspects`' haircut walk: over wallets and their summed payments instead of outputs, and
 * with the payments' order in time ignored (a payment made before the wallet was paid counts too), so it
 * over-states what a wallet can have received; the walk in `trace` is the evidence, this is a feature.
 */
export interface ExposureFlowParams {
  /** Payments followed from the seeds (default 6, as `model evaluate`'s haircut baseline). */
  hops?: number;
}

/**
 * @param n wallets
 * @param src payer wallet of each payment edge (parallel edges add up)
 * @param dst payee wallet of each edge
 * @param value value of each edge (sat)
 * @param received value each wallet received in all (sat), the denominator of its share
 * @param seed 1 for a seed wallet (share 1)
 * @param stop 1 for a wallet that passes nothing on (a labelled service: its share is its own)
 * @returns per wallet, the share of its receipts traced to the seeds, in [0, 1]
 * @example exposureFlow(2, Int32Array.of(0), Int32Array.of(1), Float64Array.of(5), Float64Array.of(0, 10), Uint8Array.of(1, 0), Uint8Array.of(0, 0))[1] === 0.5
 */
export function exposureFlow(n: number, src: Int32Array, dst: Int32Array, value: Float64Array, received: Float64Array, seed: Uint8Array, stop: Uint8Array, { hops = 6 }: ExposureFlowParams = {}): Float64Array {
  let share = new Float64Array(n);
  let next = new Float64Array(n);
  for (let i = 0; i < n; i++) if (seed[i]) share[i] = 1;
  const inflow = new Float64Array(n);
  for (let h = 0; h < hops; h++) {
    inflow.fill(0);
    for (let k = 0; k < src.length; k++) {
      const s = src[k];
      if (share[s] > 0 && (seed[s] || !stop[s])) inflow[dst[k]] += value[k] * share[s];
    }
    for (let i = 0; i < n; i++) next[i] = seed[i] ? 1 : received[i] > 0 ? Math.min(1, inflow[i] / received[i]) : 0;
    [share, next] = [next, share];
  }
  return share;
}
