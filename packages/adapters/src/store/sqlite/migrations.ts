/**
 * The case store's schema, as forward migrations. `PRAGMA user_version` holds the number of migrations applied;
 * `PRAGMA application_id` marks the file as a cryptotrace store. Never edit a migration that has shipped:
 * add the next one.
 */
export const APPLICATION_ID = 0x63747263; // 'ctrc'

export const MIGRATIONS: readonly string[] = [
  // 1: blocks, UTXO and account transactions, labels, provenance.
  `
  CREATE TABLE provenance (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    locator TEXT NOT NULL,
    format TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (source, locator, format, at)
  );
  -- Every holder of value: an address, or a script id (p2pk:..., script:...) for scripts without one.
  CREATE TABLE addresses (
    id INTEGER PRIMARY KEY,
    chain TEXT NOT NULL,
    address TEXT NOT NULL,
    UNIQUE (chain, address)
  );
  CREATE INDEX addresses_address ON addresses (address);
  CREATE TABLE blocks (
    chain TEXT NOT NULL,
    hash TEXT NOT NULL,
    height INTEGER,
    prev_hash TEXT NOT NULL,
    merkle_root TEXT NOT NULL,
    time INTEGER NOT NULL,
    version INTEGER NOT NULL,
    bits INTEGER NOT NULL,
    nonce INTEGER NOT NULL,
    tx_count INTEGER NOT NULL,
    provenance_id INTEGER NOT NULL REFERENCES provenance (id),
    PRIMARY KEY (chain, hash)
  ) WITHOUT ROWID;
  CREATE INDEX blocks_height ON blocks (chain, height);
  CREATE INDEX blocks_prev ON blocks (chain, prev_hash);
  CREATE TABLE txs (
    id INTEGER PRIMARY KEY,
    chain TEXT NOT NULL,
    txid TEXT NOT NULL,
    block_hash TEXT,
    block_height INTEGER,
    block_time INTEGER,
    position INTEGER,
    version INTEGER NOT NULL,
    locktime INTEGER NOT NULL,
    size INTEGER,
    vsize INTEGER,
    provenance_id INTEGER NOT NULL REFERENCES provenance (id),
    UNIQUE (chain, txid)
  );
  CREATE INDEX txs_txid ON txs (txid);
  CREATE INDEX txs_block ON txs (chain, block_height, position);
  CREATE TABLE outputs (
    tx_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    value INTEGER NOT NULL,
    script_type TEXT NOT NULL,
    address_id INTEGER,
    PRIMARY KEY (tx_id, n)
  ) WITHOUT ROWID;
  CREATE INDEX outputs_address ON outputs (address_id) WHERE address_id IS NOT NULL;
  CREATE TABLE inputs (
    tx_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    prev_txid TEXT NOT NULL,
    prev_vout INTEGER NOT NULL,
    sequence INTEGER NOT NULL,
    coinbase INTEGER NOT NULL,
    address_id INTEGER,
    value INTEGER,
    resolved INTEGER NOT NULL,
    PRIMARY KEY (tx_id, n)
  ) WITHOUT ROWID;
  CREATE INDEX inputs_prevout ON inputs (prev_txid, prev_vout);
  CREATE INDEX inputs_unresolved ON inputs (prev_txid, prev_vout) WHERE resolved = 0 AND coinbase = 0;
  CREATE INDEX inputs_address ON inputs (address_id) WHERE address_id IS NOT NULL;
  CREATE TABLE account_txs (
    id INTEGER PRIMARY KEY,
    chain TEXT NOT NULL,
    hash TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    block_hash TEXT NOT NULL,
    block_time INTEGER NOT NULL,
    position INTEGER NOT NULL,
    nonce INTEGER NOT NULL,
    from_id INTEGER NOT NULL,
    to_id INTEGER,
    value TEXT NOT NULL,
    fee TEXT NOT NULL,
    status TEXT NOT NULL,
    contract_id INTEGER,
    provenance_id INTEGER NOT NULL REFERENCES provenance (id),
    UNIQUE (chain, hash)
  );
  CREATE INDEX account_txs_from ON account_txs (from_id);
  CREATE INDEX account_txs_to ON account_txs (to_id);
  CREATE INDEX account_txs_block ON account_txs (chain, block_number, position);
  CREATE TABLE internal_transfers (
    tx_id INTEGER NOT NULL,
    trace_address TEXT NOT NULL,
    seq INTEGER NOT NULL,
    from_id INTEGER NOT NULL,
    to_id INTEGER NOT NULL,
    value TEXT NOT NULL,
    call_type TEXT NOT NULL,
    PRIMARY KEY (tx_id, trace_address)
  ) WITHOUT ROWID;
  CREATE INDEX internal_transfers_from ON internal_transfers (from_id);
  CREATE INDEX internal_transfers_to ON internal_transfers (to_id);
  CREATE TABLE token_transfers (
    tx_id INTEGER NOT NULL,
    log_index INTEGER NOT NULL,
    token_id INTEGER NOT NULL,
    from_id INTEGER NOT NULL,
    to_id INTEGER NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (tx_id, log_index)
  ) WITHOUT ROWID;
  CREATE INDEX token_transfers_from ON token_transfers (from_id);
  CREATE INDEX token_transfers_to ON token_transfers (to_id);
  CREATE TABLE tokens (
    chain TEXT NOT NULL,
    address TEXT NOT NULL,
    name TEXT,
    symbol TEXT,
    decimals INTEGER,
    PRIMARY KEY (chain, address)
  ) WITHOUT ROWID;
  CREATE TABLE labels (
    id INTEGER PRIMARY KEY,
    chain TEXT NOT NULL,
    address TEXT NOT NULL,
    category TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    confidence INTEGER NOT NULL,
    valid_from TEXT,
    imported_at TEXT NOT NULL,
    UNIQUE (chain, address, category, source, actor)
  );
  CREATE INDEX labels_address ON labels (chain, address);
  `,
  // 2: resumable fetches: each `ctrace fetch` plan and its breadth-first frontier, committed with the data it fetched.
  `
  CREATE TABLE fetch_jobs (
    id INTEGER PRIMARY KEY,
    chain TEXT NOT NULL,
    -- The plan as canonical JSON (target, hops, direction, budget): the same command finds its job again.
    spec TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('running', 'done')),
    -- Transactions admitted to the budget so far.
    admitted INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE TABLE fetch_frontier (
    job_id INTEGER NOT NULL REFERENCES fetch_jobs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('tx', 'address', 'block')),
    key TEXT NOT NULL,
    depth INTEGER NOT NULL,
    -- The next page of an address's history, while it is being paged.
    cursor TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'missing')),
    PRIMARY KEY (job_id, seq),
    UNIQUE (job_id, kind, key)
  );
  CREATE INDEX fetch_frontier_pending ON fetch_frontier (job_id, state, seq);
  `,
  // 3: clusters: per-chain run state with the rule set that made it, membership (non-singletons), the evidence of
  // every union, what the guards stopped, and transactions to retry once their inputs resolve.
  `
  CREATE TABLE cluster_runs (
    chain TEXT PRIMARY KEY,
    -- The rule set (rules, change combination, CoinJoin detectors, guards) as canonical JSON.
    rule_set TEXT NOT NULL,
    last_tx_id INTEGER NOT NULL DEFAULT 0,
    last_address_id INTEGER NOT NULL DEFAULT 0,
    last_account_tx_id INTEGER NOT NULL DEFAULT 0,
    built_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  -- Every address in a cluster of two or more; cluster_id is the cluster's root address id.
  CREATE TABLE cluster_members (
    address_id INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL
  );
  CREATE INDEX cluster_members_cluster ON cluster_members (cluster_id);
  CREATE TABLE cluster_links (
    id INTEGER PRIMARY KEY,
    chain TEXT NOT NULL,
    a_id INTEGER NOT NULL,
    b_id INTEGER NOT NULL,
    rule TEXT NOT NULL,
    version INTEGER NOT NULL,
    txid TEXT NOT NULL,
    output_index INTEGER,
    log_index INTEGER,
    block_height INTEGER,
    confidence REAL NOT NULL,
    params TEXT NOT NULL
  );
  CREATE INDEX cluster_links_a ON cluster_links (a_id);
  CREATE INDEX cluster_links_b ON cluster_links (b_id);
  CREATE INDEX cluster_links_chain ON cluster_links (chain);
  -- Guard reports: 'coinjoin' (no link drawn), 'refused-size' and 'refused-labels' (collapse guard).
  CREATE TABLE cluster_events (
    id INTEGER PRIMARY KEY,
    chain TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('coinjoin', 'refused-size', 'refused-labels')),
    txid TEXT NOT NULL,
    rule TEXT NOT NULL,
    a_id INTEGER,
    b_id INTEGER,
    detail TEXT NOT NULL
  );
  CREATE INDEX cluster_events_chain ON cluster_events (chain, kind);
  CREATE TABLE cluster_pending (
    tx_id INTEGER PRIMARY KEY
  );
  `,
  // 4: label names (untrusted free text from the label source), apart from the labels' identity. IF NOT EXISTS:
  // stores written before this migration may have made the table on their first label import.
  `
  CREATE TABLE IF NOT EXISTS label_names (
    label_id INTEGER PRIMARY KEY REFERENCES labels (id),
    name TEXT NOT NULL
  );
  `,
  // 5: a rebuild writes membership once, at its end: while a chain's rebuild is under way it has a row here (its
  // cluster_runs row's last_tx_id says how far it got); runs stored before this migration were complete.
  `
  CREATE TABLE IF NOT EXISTS cluster_rebuilds (
    chain TEXT PRIMARY KEY
  );
  `,
  // 6: OP_RETURN scripts kept (data-carrier protocols, the Whirlpool TX0's fee payload; stores ingested before
  // have none until their blocks are ingested again); the guard reports the ambiguous equal-output shape apart
  // from CoinJoins ('ambiguous'), and the detector once called `stonewall` is `ambiguous-equal-output`.
  `
  CREATE TABLE IF NOT EXISTS nulldata_scripts (
    tx_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    script BLOB NOT NULL,
    PRIMARY KEY (tx_id, n)
  ) WITHOUT ROWID;
  DROP TABLE IF EXISTS cluster_events_6;
  CREATE TABLE cluster_events_6 (
    id INTEGER PRIMARY KEY,
    chain TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('coinjoin', 'ambiguous', 'refused-size', 'refused-labels')),
    txid TEXT NOT NULL,
    rule TEXT NOT NULL,
    a_id INTEGER,
    b_id INTEGER,
    detail TEXT NOT NULL
  );
  INSERT INTO cluster_events_6 SELECT id, chain, kind, txid, rule, a_id, b_id, detail FROM cluster_events;
  DROP TABLE cluster_events;
  ALTER TABLE cluster_events_6 RENAME TO cluster_events;
  CREATE INDEX cluster_events_chain ON cluster_events (chain, kind);
  CREATE INDEX cluster_events_txid ON cluster_events (txid);
  UPDATE cluster_runs SET rule_set = replace(rule_set, '"stonewall"', '"ambiguous-equal-output"');
  `,
  // 7: an input whose value and holder a source claimed (Esplora's prevout) while its previous transaction was
  // not stored is listed in claimed_inputs until that transaction arrives and checks it; a claim the previous
  // transaction contradicts is corrected to it and kept in input_conflicts. Inputs stored before this
  // migration are not listed: their claims stay unchecked.
  `
  CREATE TABLE IF NOT EXISTS claimed_inputs (
    tx_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    prev_txid TEXT NOT NULL,
    prev_vout INTEGER NOT NULL,
    PRIMARY KEY (tx_id, n)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS claimed_inputs_prev ON claimed_inputs (prev_txid);
  CREATE TABLE IF NOT EXISTS input_conflicts (
    tx_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    claimed_value INTEGER,
    claimed_address_id INTEGER,
    actual_value INTEGER,
    actual_address_id INTEGER,
    provenance_id INTEGER NOT NULL,
    PRIMARY KEY (tx_id, n)
  ) WITHOUT ROWID;
  `,
  // 8: the watch loop: where each watch stands (its tip), the alert ledger (written in the transaction that
  // advances the tip, so that a restart neither loses nor repeats one), the known members of watched clusters, and
  // the taint each watched source has passed to outputs so far.
  `
  CREATE TABLE IF NOT EXISTS watch_state (
    chain TEXT PRIMARY KEY,
    height INTEGER NOT NULL,
    hash TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS watch_alerts (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    chain TEXT NOT NULL,
    height INTEGER NOT NULL,
    block_hash TEXT NOT NULL,
    body TEXT NOT NULL,
    retracted INTEGER NOT NULL DEFAULT 0,
    delivered_file INTEGER NOT NULL DEFAULT 0,
    delivered_webhook INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS watch_alerts_block ON watch_alerts (chain, height);
  CREATE TABLE IF NOT EXISTS watch_members (
    chain TEXT NOT NULL,
    entry TEXT NOT NULL,
    address TEXT NOT NULL,
    height INTEGER NOT NULL,
    PRIMARY KEY (chain, entry, address)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS watch_taint (
    chain TEXT NOT NULL,
    txid TEXT NOT NULL,
    vout INTEGER NOT NULL,
    entry TEXT NOT NULL,
    amount TEXT NOT NULL,
    hop INTEGER NOT NULL,
    height INTEGER NOT NULL,
    PRIMARY KEY (chain, txid, vout, entry)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS watch_taint_height ON watch_taint (chain, height);
  `,
  // 9: a bulk load (a whole chain at once) under way: the secondary indexes it dropped, to be built once at its end.
  // While the row is here the store is not queryable: commands other than the same ingest refuse it.
  `
  CREATE TABLE IF NOT EXISTS bulk_loads (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    started_at TEXT NOT NULL,
    -- The dropped indexes as JSON: [{"name", "sql"}], each sql as sqlite_schema held it.
    indexes TEXT NOT NULL
  );
  `,
  // 10: the watch on account chains: the holdings (fifo lots of tainted and clean units) per address and asset, one
  // row for each block that changed them, so that a reorg drops the rows above the fork and the holdings stand as
  // they were there. A holding with taint of a watch entry is that entry's row; one with none is the row of entry ''
  // (the clean balance, the same for every entry), which a later row of either kind supersedes.
  `
  CREATE TABLE IF NOT EXISTS watch_holdings (
    chain TEXT NOT NULL,
    address TEXT NOT NULL,
    asset TEXT NOT NULL,
    entry TEXT NOT NULL,
    height INTEGER NOT NULL,
    lots TEXT NOT NULL,
    PRIMARY KEY (chain, address, asset, entry, height)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS watch_holdings_height ON watch_holdings (chain, height);
  `,
  // 11: the uniqueness of a transaction (chain, txid) and of an address (chain, address) is kept by named unique
  // indexes instead of the tables' inline UNIQUE constraints (the same columns, rows and ids), so that a bulk load can
  // drop and rebuild them as it does the other secondary indexes (its writer keeps them unique meanwhile). The txid or
  // address leads, so that each one index also finds a txid or an address of any chain, which took a second index
  // before (txs_txid, addresses_address): a bulk load builds two indexes fewer. Each
  // table is copied into a fresh one; its other indexes go with the old table and are made again (a store whose bulk
  // load was under way has them back at once; finishing the load skips an index that exists).
  `
  ALTER TABLE addresses RENAME TO addresses_10;
  CREATE TABLE addresses (
    id INTEGER PRIMARY KEY,
    chain TEXT NOT NULL,
    address TEXT NOT NULL
  );
  INSERT INTO addresses (id, chain, address) SELECT id, chain, address FROM addresses_10;
  DROP TABLE addresses_10;
  CREATE UNIQUE INDEX addresses_address_chain ON addresses (address, chain);
  ALTER TABLE txs RENAME TO txs_10;
  CREATE TABLE txs (
    id INTEGER PRIMARY KEY,
    chain TEXT NOT NULL,
    txid TEXT NOT NULL,
    block_hash TEXT,
    block_height INTEGER,
    block_time INTEGER,
    position INTEGER,
    version INTEGER NOT NULL,
    locktime INTEGER NOT NULL,
    size INTEGER,
    vsize INTEGER,
    provenance_id INTEGER NOT NULL REFERENCES provenance (id)
  );
  INSERT INTO txs (id, chain, txid, block_hash, block_height, block_time, position, version, locktime, size, vsize, provenance_id)
    SELECT id, chain, txid, block_hash, block_height, block_time, position, version, locktime, size, vsize, provenance_id FROM txs_10;
  DROP TABLE txs_10;
  CREATE UNIQUE INDEX txs_txid_chain ON txs (txid, chain);
  CREATE INDEX txs_block ON txs (chain, block_height, position);
  `,
];
