import { bech32, bech32m } from 'bech32';
import bs58check from 'bs58check';
import { describe, expect, it } from 'vitest';
import {
  findWallets,
  isBitcoinBase58,
  isBitcoinSegwit,
  isEthereumAddress,
  isTronAddress,
} from '../../../electron/core/entities/crypto-wallets.js';

/** Flips the case of the first hex letter (a checksum error a copy by hand makes). */
function flipCase(address: string): string {
  const index = address.slice(2).search(/[a-fA-F]/) + 2;
  const c = address[index] ?? '';
  const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
  return address.slice(0, index) + flipped + address.slice(index + 1);
}

const TWENTY_BYTES = Uint8Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 0xff);

describe('crypto wallet addresses are accepted only with a valid checksum', () => {
  it('Bitcoin base58check: the published P2PKH and P2SH examples; one changed character fails', () => {
    // The genesis block's address, and the P2SH example of the Bitcoin wiki.
    expect(isBitcoinBase58('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toBe(true);
    expect(isBitcoinBase58('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')).toBe(true);
    expect(isBitcoinBase58('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb')).toBe(false);
    // A valid base58check string with another version byte (0x41: TRON) is not a Bitcoin address.
    expect(isBitcoinBase58(bs58check.encode(Uint8Array.of(0x41, ...TWENTY_BYTES)))).toBe(false);
    expect(isBitcoinBase58(bs58check.encode(Uint8Array.of(0x00, ...TWENTY_BYTES)))).toBe(true);
  });

  it('Bitcoin segwit: BIP 173 (bech32, v0) and BIP 350 (bech32m, v1) examples; a wrong checksum or mixed case fails', () => {
    expect(isBitcoinSegwit('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toBe(true);
    expect(isBitcoinSegwit('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4')).toBe(true);
    expect(isBitcoinSegwit('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0')).toBe(true);
    expect(isBitcoinSegwit('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5')).toBe(false);
    expect(isBitcoinSegwit('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7KV8F3T4')).toBe(false);
    // A v1 program encoded with bech32 (not bech32m) is invalid under BIP 350.
    const v1WithWrongCodec = bech32.encode('bc', [1, ...bech32.toWords(new Uint8Array(32).fill(7))]);
    expect(isBitcoinSegwit(v1WithWrongCodec)).toBe(false);
    expect(isBitcoinSegwit(bech32m.encode('bc', [1, ...bech32m.toWords(new Uint8Array(32).fill(7))]))).toBe(
      true,
    );
    // Testnet addresses are not mainnet Bitcoin.
    expect(isBitcoinSegwit('tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx')).toBe(false);
  });

  it('Ethereum: the EIP-55 examples pass; one letter of wrong case fails; one-case addresses carry no checksum and pass', () => {
    for (const address of [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
      '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
    ]) {
      expect(isEthereumAddress(address)).toBe(true);
      expect(isEthereumAddress(flipCase(address))).toBe(false);
    }
    expect(isEthereumAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')).toBe(true);
    expect(isEthereumAddress('0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED')).toBe(true);
    expect(isEthereumAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe')).toBe(false);
  });

  it('TRON: the USDT-TRC20 contract address and a constructed 0x41 address pass; a changed character fails', () => {
    expect(isTronAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t')).toBe(true);
    expect(isTronAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T')).toBe(false);
    const constructed = bs58check.encode(Uint8Array.of(0x41, ...TWENTY_BYTES));
    expect(constructed.startsWith('T')).toBe(true);
    expect(isTronAddress(constructed)).toBe(true);
  });

  it('finds addresses in text with their type; the segwit and Ethereum values are lower case, base58 ones as written', () => {
    const text =
      'BTC 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy or BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4, ETH 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, USDT TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
    expect(findWallets(text).map((w) => `${w.type} ${w.value}`)).toEqual([
      'btc 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
      'btc bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
      'eth 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
      'tron TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    ]);
  });
});
