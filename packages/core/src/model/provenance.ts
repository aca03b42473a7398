/** Where a batch of records came from: kept beside them in the store. */
export interface Provenance {
  /** The kind of source: `file`, `bitcoin-core-rpc`, `esplora`, `evm-rpc`, `explorer-api`, `generator`. */
  source: string;
  /** A file path or a URL with any secret removed. */
  locator: string;
  /** The format the data was read as (`blk`, `esplora-json`, ...). */
  format: string;
  /** ISO-8601 time of the read. */
  at: string;
}
