import { keccak_256 } from '@noble/hashes/sha3.js';
import { bech32, bech32m } from 'bech32';
import bs58check from 'bs58check';
import { type FoundEntity, found } from './found-entity.js';

/*
 * Wallet addresses are checked here by hand over three primitives (base58check, bech32/bech32m,
 * keccak-256) rather than with bitcoinjs-lib, ethers or TronWeb: each check is a few lines, and
 * those libraries bring whole wallet stacks (keys, transactions, network clients) into an offline
 * evidence tool that only needs to know whether a string is a well-formed address.
 */

const BASE58 = '[1-9A-HJ-NP-Za-km-z]';

/** base58check payload of an address, or undefined when the checksum fails. */
function base58Payload(address: string): Uint8Array | undefined {
  try {
    return bs58check.decode(address);
  } catch {
    return undefined;
  }
}

/** Bitcoin legacy (P2PKH, version 0x00) or script (P2SH, version 0x05) address with a valid checksum. */
export function isBitcoinBase58(address: string): boolean {
  const payload = base58Payload(address);
  return payload?.length === 21 && (payload[0] === 0x00 || payload[0] === 0x05);
}

/**
 * Bitcoin segwit address (BIP 173/350): `bc1…`, one case only; witness version 0 uses bech32
 * with a 20- or 32-byte program, versions 1–16 use bech32m with 2 to 40 bytes.
 */
export function isBitcoinSegwit(address: string): boolean {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) return false;
  const lower = address.toLowerCase();
  for (const [codec, isV0] of [
    [bech32, true],
    [bech32m, false],
  ] as const) {
    const decoded = codec.decodeUnsafe(lower, 90);
    if (decoded?.prefix !== 'bc' || decoded.words.length === 0) continue;
    const version = decoded.words[0] ?? -1;
    if (isV0 !== (version === 0) || version > 16) continue;
    const program = codec.fromWordsUnsafe(decoded.words.slice(1));
    if (!program) continue;
    if (
      version === 0
        ? program.length === 20 || program.length === 32
        : program.length >= 2 && program.length <= 40
    )
      return true;
  }
  return false;
}

/**
 * Ethereum address (also BSC, Polygon…): 0x and 40 hex digits. All-lower or all-upper case carries
 * no checksum and is accepted; mixed case is EIP-55 and must match: a hex letter is upper case
 * exactly when the matching nibble of keccak-256(lower-case address) is 8 or more.
 */
export function isEthereumAddress(address: string): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return false;
  const hex = address.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true;
  const hash = keccak_256(new TextEncoder().encode(hex.toLowerCase()));
  for (let i = 0; i < 40; i++) {
    const c = hex[i] ?? '';
    if (!/[a-fA-F]/.test(c)) continue;
    const nibble = ((hash[i >> 1] ?? 0) >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    if (nibble >= 8 !== (c === c.toUpperCase())) return false;
  }
  return true;
}

/** TRON address (where USDT-TRC20 is paid): base58check of 0x41 and a 20-byte account, starting with T. */
export function isTronAddress(address: string): boolean {
  const payload = base58Payload(address);
  return payload?.length === 21 && payload[0] === 0x41;
}

const PATTERNS: readonly {
  type: 'btc' | 'eth' | 'tron';
  pattern: RegExp;
  valid: (a: string) => boolean;
  value: (a: string) => string;
}[] = [
  {
    type: 'btc',
    pattern: new RegExp(`(?<![\\w])[13]${BASE58}{25,34}(?![\\w])`, 'g'),
    valid: isBitcoinBase58,
    value: (a) => a,
  },
  {
    type: 'btc',
    pattern: /(?<![\w])(?:bc1[02-9ac-hj-np-z]{8,87}|BC1[02-9AC-HJ-NP-Z]{8,87})(?![\w])/g,
    valid: isBitcoinSegwit,
    value: (a) => a.toLowerCase(),
  },
  {
    type: 'eth',
    pattern: /(?<![\w])0x[0-9a-fA-F]{40}(?![\w])/g,
    valid: isEthereumAddress,
    value: (a) => a.toLowerCase(),
  },
  {
    type: 'tron',
    pattern: new RegExp(`(?<![\\w])T${BASE58}{33}(?![\\w])`, 'g'),
    valid: isTronAddress,
    value: (a) => a,
  },
];

/** Bitcoin, Ethereum and TRON addresses whose checksum holds (base58 ones keep their case; others lower case). */
export function findWallets(text: string): FoundEntity[] {
  const entities: FoundEntity[] = [];
  for (const { type, pattern, valid, value } of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      if (valid(m[0])) entities.push(found(type, value(m[0]), text, m.index, m.index + m[0].length));
    }
  }
  return entities;
}
