import { CtraceError } from '../errors.js';

/** The parameters that encode addresses and frame blocks on a Bitcoin-family network. */
export interface UtxoNetwork {
  /** Human-readable part of bech32/bech32m addresses, or null where the chain has none. */
  bech32: string | null;
  pubKeyHash: number;
  scriptHash: number;
  /** Extra script-hash prefixes that are also accepted (Litecoin's legacy 0x05). */
  legacyScriptHash?: number[];
  /** The 4 bytes of blk*.dat framing, as hex in wire order. */
  magic: string;
  genesisHash: string;
  /** The proof-of-work hash of block headers: double SHA-256 (default) or scrypt (Litecoin, Dogecoin). */
  pow?: 'sha256d' | 'scrypt';
}

export type ChainKind = 'utxo' | 'account';

/** A chain that cryptotrace knows: its name is the one used on the command line and in the store. */
export interface Chain {
  name: string;
  kind: ChainKind;
  symbol: string;
  decimals: number;
  /** EVM chain id. */
  chainId?: number;
  /** Bitcoin-family network parameters. */
  network?: UtxoNetwork;
}

const btc = (name: string, symbol: string, network: UtxoNetwork): Chain => ({ name, kind: 'utxo', symbol, decimals: 8, network });
const evm = (name: string, symbol: string, chainId: number): Chain => ({ name, kind: 'account', symbol, decimals: 18, chainId });

/** The chains known by name. Any other EVM chain is `evm-<chainId>`. */
export const CHAINS: readonly Chain[] = [
  btc('bitcoin', 'BTC', { bech32: 'bc', pubKeyHash: 0x00, scriptHash: 0x05, magic: 'f9beb4d9', genesisHash: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f' }),
  btc('bitcoin-testnet', 'tBTC', { bech32: 'tb', pubKeyHash: 0x6f, scriptHash: 0xc4, magic: '0b110907', genesisHash: '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943' }),
  btc('bitcoin-regtest', 'rBTC', { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, magic: 'fabfb5da', genesisHash: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206' }),
  btc('litecoin', 'LTC', { bech32: 'ltc', pubKeyHash: 0x30, scriptHash: 0x32, legacyScriptHash: [0x05], magic: 'fbc0b6db', genesisHash: '12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2', pow: 'scrypt' }),
  btc('litecoin-testnet', 'tLTC', { bech32: 'tltc', pubKeyHash: 0x6f, scriptHash: 0x3a, legacyScriptHash: [0xc4], magic: 'fdd2c8f1', genesisHash: '4966625a4b2851d9fdee139e56211a0d88575f59ed816ff5e6a63deb4e3e29a0', pow: 'scrypt' }),
  btc('litecoin-regtest', 'rLTC', { bech32: 'rltc', pubKeyHash: 0x6f, scriptHash: 0x3a, legacyScriptHash: [0xc4], magic: 'fabfb5da', genesisHash: '530827f38f93b43ed12af0b3ad25a288dc02ed74d6d7857862df51fc56c416f9', pow: 'scrypt' }),
  btc('dogecoin', 'DOGE', { bech32: null, pubKeyHash: 0x1e, scriptHash: 0x16, magic: 'c0c0c0c0', genesisHash: '1a91e3dace36e2be3bf030a65679fe821aa1d6ef92e7c9902eb318182c355691', pow: 'scrypt' }),
  evm('ethereum', 'ETH', 1),
  evm('sepolia', 'ETH', 11155111),
  evm('polygon', 'POL', 137),
  evm('bsc', 'BNB', 56),
  evm('arbitrum', 'ETH', 42161),
  evm('optimism', 'ETH', 10),
  evm('base', 'ETH', 8453),
  evm('avalanche', 'AVAX', 43114),
  evm('anvil', 'ETH', 31337),
];

/** The chain a command uses when none is named. */
export const DEFAULT_CHAIN = 'bitcoin';

/**
 * Look a chain up by name (`bitcoin`, `litecoin`, `ethereum`, `polygon`, ...) or as `evm-<chainId>`.
 * @throws CtraceError CHAIN_UNKNOWN
 * @example getChain('ethereum').chainId // 1
 */
export function getChain(name: string): Chain {
  const known = CHAINS.find((c) => c.name === name);
  if (known) return known;
  const m = /^evm-(\d{1,12})$/.exec(name);
  if (m) {
    const chainId = Number(m[1]);
    return CHAINS.find((c) => c.chainId === chainId) ?? evm(name, 'ETH', chainId);
  }
  throw new CtraceError('CHAIN_UNKNOWN', `unknown chain "${name}": use one of ${CHAINS.map((c) => c.name).join(', ')}, or evm-<chainId>`);
}

/** The Bitcoin-family chain whose blk*.dat magic is `magicHex`; regtest magic is shared, so the caller's hint wins. */
export function chainByMagic(magicHex: string, hint?: string): Chain | undefined {
  const matches = CHAINS.filter((c) => c.network?.magic === magicHex);
  return matches.find((c) => c.name === hint) ?? matches[0];
}

/** The Bitcoin-family network of a chain. @throws CtraceError CHAIN_UNKNOWN when the chain is an account chain. */
export function utxoNetwork(chain: Chain): UtxoNetwork {
  if (!chain.network) throw new CtraceError('CHAIN_UNKNOWN', `chain "${chain.name}" is not a Bitcoin-family chain`);
  return chain.network;
}
