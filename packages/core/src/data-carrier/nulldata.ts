/**
 * What an OP_RETURN output carries: its script's data pushes after OP_RETURN, as Bitcoin Core's standardness rule
 * reads them (push opcodes and OP_1..OP_16 only). Data-carrier protocols and the Whirlpool TX0 detector read it.
 */

const OP_RETURN = 0x6a;
const OP_PUSHDATA1 = 0x4c;
const OP_PUSHDATA2 = 0x4d;
const OP_PUSHDATA4 = 0x4e;
const OP_1NEGATE = 0x4f;
const OP_1 = 0x51;
const OP_16 = 0x60;

/** What follows OP_RETURN: its pushes (the marker is the opcode right after OP_RETURN: OP_13 for Runes). */
export interface NulldataPayload extends ScriptPushes {
  /** The pushes' bytes joined: what a protocol's prefix is looked for in. */
  payload: Uint8Array;
}

/** A script read as data pushes: each push's bytes, and where reading stopped. */
export interface ScriptPushes {
  /** Every data push in order (OP_0, OP_1NEGATE and OP_1..OP_16 give no bytes but count as an element). */
  pushes: Uint8Array[];
  /** The first opcode when it is a small-integer or non-push opcode, else null. */
  marker: number | null;
  /** False when a non-push opcode or a push cut short came before the end. */
  standard: boolean;
}

/**
 * Read a script from `start` as data pushes only (a scriptSig, or what follows OP_RETURN); reading stops at the
 * first opcode that is not a push.
 * @example scriptPushes(scriptSig).pushes.length // 2 for a P2PKH spend
 */
export function scriptPushes(script: Uint8Array, start = 0): ScriptPushes {
  const pushes: Uint8Array[] = [];
  let marker: number | null = null;
  let standard = true;
  let p = start;
  while (p < script.length) {
    const first = p === start;
    const op = script[p++];
    let len: number;
    if (op <= 0x4b) len = op;
    else if (op === OP_PUSHDATA1 && p + 1 <= script.length) len = script[p++];
    else if (op === OP_PUSHDATA2 && p + 2 <= script.length) {
      len = script[p] | (script[p + 1] << 8);
      p += 2;
    } else if (op === OP_PUSHDATA4 && p + 4 <= script.length) {
      len = (script[p] | (script[p + 1] << 8) | (script[p + 2] << 16)) + script[p + 3] * 2 ** 24;
      p += 4;
    } else if (op === OP_1NEGATE || (op >= OP_1 && op <= OP_16)) {
      if (first) marker = op;
      pushes.push(new Uint8Array(0));
      continue;
    } else {
      if (first) marker = op;
      standard = false;
      break;
    }
    if (p + len > script.length) {
      standard = false;
      break;
    }
    pushes.push(script.subarray(p, p + len));
    p += len;
  }
  return { pushes, marker, standard };
}

/**
 * The pushes of an OP_RETURN script; null when the script does not start with OP_RETURN.
 * @example nulldataPayload(Uint8Array.from([0x6a, 0x02, 0x58, 0x32]))?.payload // Uint8Array [0x58, 0x32]
 */
export function nulldataPayload(script: Uint8Array): NulldataPayload | null {
  if (script.length === 0 || script[0] !== OP_RETURN) return null;
  const { pushes, marker, standard } = scriptPushes(script, 1);
  const size = pushes.reduce((n, x) => n + x.length, 0);
  const payload = new Uint8Array(size);
  let at = 0;
  for (const x of pushes) {
    payload.set(x, at);
    at += x.length;
  }
  return { pushes, payload, marker, standard };
}
