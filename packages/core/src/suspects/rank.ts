import type { LabelIndex } from '../labels/label-index.js';
import type { TaintPath, TaintSummary } from '../heuristics/taint/summarize.js';
import type { TypologyHit } from '../typologies/flows.js';

/** A wallet ranked by its exposure to the sources, with the parts its score is made of. */
export interface Suspect {
  rank: number;
  /** An address, or `cluster:<id>` where clusters are known. */
  wallet: string;
  kind: 'address' | 'cluster';
  /** `native`, or the token contract whose flows this row measures (account chains rank each asset apart). */
  asset: string;
  /** The wallet's addresses that received taint. */
  addresses: string[];
  /** Percent of what the wallet received that is tainted under the policy, 2 decimals, rounded down. */
  score: string;
  parts: {
    policy: string;
    /** Tainted amount received, directly from a source (hop 1) and through unlabelled hops (hop ≥ 2). */
    tainted: bigint;
    direct: bigint;
    indirect: bigint;
    received: bigint;
    minHop: number;
    /** Categories of the sources the taint came from. */
    sourceLabels: string[];
    /** The wallet's own labels (none that stop a walk: those are services, listed apart). */
    labels: string[];
    typologies: string[];
  };
  evidence: { txids: string[]; readonly paths: TaintPath[]; typologies: TypologyHit[] };
}

export interface RankSuspectsParams {
  chain: string;
  labels: LabelIndex;
  /** Holders that are the sources (not ranked). */
  sources: ReadonlySet<string>;
  /** Categories the sources were chosen by (shown as parts of the score). */
  sourceLabels?: readonly string[];
  /**
   * The typology hits; or a function giving the hits that name any of the addresses it is given, asked once about the
   * addresses of the suspects returned (a large case's neighbourhood is then read for those only).
   */
  typologies?: readonly TypologyHit[] | ((addresses: readonly string[]) => readonly TypologyHit[]);
  /** Return the first `limit` suspects only (every wallet is ranked; the order does not depend on typologies). */
  limit?: number;
  /** ISO time of the analysis: labels in force then. */
  at?: string;
  /** Rank clusters (from the summary) where an address has one. Default true. */
  useClusters?: boolean;
}

export interface RankSuspectsResult {
  suspects: Suspect[];
  /** Labelled services the walk reached and stopped at: exposure, not suspects. */
  services: { wallet: string; labels: string[]; tainted: bigint }[];
}

/**
 * Rank wallets by exposure to the sources: the share of what each received that the walk (from the sources, stopping at
 * the first labelled entity) found tainted. Value-based, no hop-decay factor (heuristics.md section 4); every part
 * of the score is returned beside it. Ties: the nearer hop first, then the larger tainted amount, then the wallet id.
 * @param summary a forward taint walk from the sources, summarized
 * @param params labels, sources, typology hits and analysis time
 * @returns the suspects in rank order, and the services reached
 * @example rankSuspects(summarizeTaint(run), { chain: 'bitcoin', labels, sources: new Set(seeds) }).suspects[0]
 */
export function rankSuspects(summary: TaintSummary, p: RankSuspectsParams): RankSuspectsResult {
  const useClusters = p.useClusters ?? true;
  const walletOf = new Map<string, string>();
  if (useClusters) for (const a of summary.addresses) if (a.cluster) walletOf.set(a.holder, a.cluster);
  const split = new Map<string, { direct: bigint; indirect: bigint; txids: Set<string>; addresses: Set<string> }>();
  for (const o of summary.outputs) {
    if (o.hop === 0 || o.holder === null) continue;
    const w = `${o.asset ?? 'native'}\u0000${walletOf.get(o.holder) ?? o.holder}`;
    const s = split.get(w) ?? { direct: 0n, indirect: 0n, txids: new Set<string>(), addresses: new Set<string>() };
    if (o.hop === 1) s.direct += o.taint;
    else s.indirect += o.taint;
    s.txids.add(o.txid);
    s.addresses.add(o.holder);
    split.set(w, s);
  }
  const holders = [...summary.addresses.filter((a) => !useClusters || !a.cluster), ...(useClusters ? summary.clusters : [])];
  // Ranked on a few numbers each; the suspect rows (labels, evidence) are made only for those returned.
  const candidates: { h: (typeof holders)[number]; s: NonNullable<ReturnType<typeof split.get>>; addresses: string[]; bp: bigint }[] = [];
  const services: RankSuspectsResult['services'] = [];
  const labelsOf = (addresses: string[]) => [...new Set(addresses.flatMap((a) => p.labels.of(p.chain, a, p.at).map((l) => l.category)))].sort();
  for (const h of holders) {
    const s = split.get(`${h.asset}\u0000${h.holder}`);
    if (!s) continue;
    const addresses = [...s.addresses].sort();
    if (addresses.some((a) => p.sources.has(a))) continue;
    if (addresses.some((a) => p.labels.isService(p.chain, a, p.at))) {
      services.push({ wallet: h.holder, labels: labelsOf(addresses), tainted: h.taint });
      continue;
    }
    candidates.push({ h, s, addresses, bp: basisPoints(h.taint, h.received) });
  }
  // Equal scores: nearer the source first (fewer hops), then more tainted value, then the wallet id.
  candidates.sort((a, b) => cmpBig(b.bp, a.bp) || a.h.minHop - b.h.minHop || cmpBig(b.h.taint, a.h.taint) || (a.h.holder < b.h.holder ? -1 : a.h.holder > b.h.holder ? 1 : 0));
  const kept = p.limit === undefined ? candidates : candidates.slice(0, p.limit);
  const suspects: Suspect[] = kept.map(({ h, s, addresses }, k) => ({
    rank: k + 1,
    wallet: h.holder,
    kind: h.holder.startsWith('cluster:') ? 'cluster' : 'address',
    asset: h.asset,
    addresses,
    score: percent(h.taint, h.received),
    parts: {
      policy: summary.policy, tainted: h.taint, direct: s.direct, indirect: s.indirect, received: h.received, minHop: h.minHop,
      // Set below, once the suspects returned are known.
      sourceLabels: [...(p.sourceLabels ?? [])], labels: labelsOf(addresses), typologies: [],
    },
    evidence: {
      txids: [...s.txids].sort().slice(0, 10),
      // The holder's paths, made when read (only the suspects printed or exported are).
      get paths() {
        return h.paths;
      },
      typologies: [],
    },
  }));
  const typologies = typeof p.typologies === 'function' ? p.typologies([...new Set(suspects.flatMap((s) => s.addresses))].sort()) : p.typologies ?? [];
  // The hits naming each address (as centre or member), by their place in the list: looked up, not scanned per wallet.
  const hitsOf = new Map<string, number[]>();
  typologies.forEach((t, k) => {
    for (const a of new Set([t.holder, ...t.members])) {
      const l = hitsOf.get(a);
      if (l) l.push(k);
      else hitsOf.set(a, [k]);
    }
  });
  for (const s of suspects) {
    const hits = [...new Set(s.addresses.flatMap((a) => hitsOf.get(a) ?? []))].sort((x, y) => x - y).map((k) => typologies[k]);
    s.parts.typologies = [...new Set(hits.map((t) => t.typology))].sort();
    s.evidence.typologies = hits;
  }
  services.sort((a, b) => cmpBig(b.tainted, a.tainted) || (a.wallet < b.wallet ? -1 : 1));
  return { suspects, services };
}

/** part / whole in percent with 2 decimals, rounded down. */
export function percent(part: bigint, whole: bigint): string {
  const bp = basisPoints(part, whole);
  return `${bp / 100n}.${(bp % 100n).toString().padStart(2, '0')}`;
}

/** part / whole in basis points (hundredths of a percent), rounded down; 0 when whole is 0. */
function basisPoints(part: bigint, whole: bigint): bigint {
  return whole <= 0n ? 0n : (part * 10_000n) / whole;
}

const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
