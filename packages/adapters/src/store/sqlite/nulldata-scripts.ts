/**
 * OP_RETURN scripts, kept apart from the outputs table (most outputs have none): the SQL that reads an output's
 * script beside its row, for an `outputs o` row, null for every other output.
 */
export const NULLDATA_SCRIPT = `CASE WHEN o.script_type = 'nulldata' THEN (SELECT d.script FROM nulldata_scripts d WHERE d.tx_id = o.tx_id AND d.n = o.n) END`;
