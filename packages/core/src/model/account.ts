/** A value moved by a contract call inside a transaction (from a trace). */
export interface InternalTransfer {
  /** Position in the call tree, as trace_* names it: "" for the top call, "0", "0.1", ... */
  traceAddress: string;
  from: string;
  to: string;
  /** Base units (wei). */
  value: bigint;
  callType: string;
}

/** An ERC-20 Transfer event. */
export interface TokenTransfer {
  token: string;
  from: string;
  to: string;
  /** Token base units. */
  value: bigint;
  logIndex: number;
}

/** A token contract's metadata, as its contract reports it: untrusted text. */
export interface TokenInfo {
  chain: string;
  address: string;
  name: string | null;
  symbol: string | null;
  decimals: number | null;
}

export interface AccountTransaction {
  chain: string;
  hash: string;
  blockNumber: number;
  blockHash: string;
  /** Unix seconds. */
  blockTime: number;
  /** Position in its block. */
  position: number;
  nonce: number;
  from: string;
  /** Null for contract creation. */
  to: string | null;
  /** Native value in base units (wei). */
  value: bigint;
  /** Gas used times effective gas price, in wei. */
  fee: bigint;
  status: 'success' | 'reverted';
  /** The contract a creation made. */
  contractAddress: string | null;
  internalTransfers: InternalTransfer[];
  tokenTransfers: TokenTransfer[];
}
