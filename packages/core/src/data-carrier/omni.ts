/**
 * Omni Layer class C payloads (the Omni Layer spec: "omni", then version, type and the type's fields, big-endian);
 * USDT on Bitcoin is Omni property 31.
 */

/** The marker every class C payload starts with: "omni". */
export const OMNI_MARKER = Uint8Array.from([0x6f, 0x6d, 0x6e, 0x69]);

/** Transaction types by number, as the Omni Layer spec names them. */
export const OMNI_TYPES: Readonly<Record<number, string>> = {
  0: 'simple send', 3: 'send to owners', 4: 'send all', 5: 'send non-fungible', 7: 'send to many', 20: 'DEx sell offer', 22: 'DEx accept',
  25: 'MetaDEx trade', 26: 'MetaDEx cancel (price)', 27: 'MetaDEx cancel (pair)', 28: 'MetaDEx cancel (all)', 50: 'create property (fixed)',
  51: 'create property (crowdsale)', 53: 'close crowdsale', 54: 'create property (managed)', 55: 'grant tokens', 56: 'revoke tokens',
  70: 'change issuer', 71: 'enable freezing', 72: 'disable freezing', 185: 'freeze', 186: 'unfreeze', 65533: 'deactivation', 65534: 'activation',
  65535: 'alert',
};

/** Properties an investigator meets most, by id. */
export const OMNI_PROPERTIES: Readonly<Record<number, string>> = { 1: 'OMNI', 2: 'TOMNI', 3: 'MaidSafeCoin', 31: 'TetherUS (USDT)' };

export interface OmniPayload {
  version: number;
  type: number;
  /** The type's name, or `type <n>`. */
  typeName: string;
  /** For simple send and send to owners: the property id and its name where known; null for other types. */
  propertyId: number | null;
  propertyName: string | null;
  /** Base units of the property (8 decimals for divisible ones, as Omni counts them), decimal text. */
  amount: string | null;
}

function u16(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

function u32(b: Uint8Array, p: number): number {
  return b[p] * 2 ** 24 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
}

/** Whether a payload starts with the Omni class C marker. */
export function isOmniPayload(payload: Uint8Array): boolean {
  return payload.length >= 8 && OMNI_MARKER.every((x, i) => payload[i] === x);
}

/**
 * Decode a class C payload: version and type always; property and amount for simple send (type 0) and send to
 * owners (type 3).
 * @returns null when it is not an Omni payload or is cut short
 * @example decodeOmni(payload)?.amount
 */
export function decodeOmni(payload: Uint8Array): OmniPayload | null {
  if (!isOmniPayload(payload)) return null;
  const version = u16(payload, 4);
  const type = u16(payload, 6);
  const out: OmniPayload = { version, type, typeName: OMNI_TYPES[type] ?? `type ${type}`, propertyId: null, propertyName: null, amount: null };
  if ((type === 0 || type === 3) && payload.length >= 20) {
    const propertyId = u32(payload, 8);
    let amount = 0n;
    for (let i = 12; i < 20; i++) amount = (amount << 8n) | BigInt(payload[i]);
    out.propertyId = propertyId;
    out.propertyName = OMNI_PROPERTIES[propertyId] ?? null;
    out.amount = amount.toString();
  }
  return out;
}
