import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { BodySpool } from './body-spool.js';
import { warcRequestHeaders, warcResponseHeaders } from './http-headers.js';
import { loadLibrary } from './load-library.js';
import type { Exchange } from './network-recorder.js';

/** Who made the WARC and for what, written into its `warcinfo` record. */
export type WarcInfoFields = Readonly<Record<string, string>>;

/** Counts of what went into the WARC and what in it differs from the wire, for the capture record. */
export interface WarcSummary {
  readonly records: number;
  readonly responses: number;
  readonly requestsWithoutResponse: number;
  /** Responses whose Content-Encoding/Transfer-Encoding/Content-Length were renamed X-Custos-Orig-… */
  readonly decodedResponses: number;
  /** Bodies stored as the browser's decoded text (original charset bytes not available). */
  readonly bodiesFromDecodedText: number;
  /** Responses stored without (or with part of) their body, with the reason in WARC-Truncated. */
  readonly bodiesMissing: number;
  /** Request headers whose credential values were replaced by their SHA-256. */
  readonly credentialsWithheld: number;
}

const { WARCRecord, WARCSerializer } = loadLibrary<typeof import('warcio')>('warcio');
type WARCRecord = import('warcio').WARCRecord;

const SERIALIZE_OPTIONS = {
  gzip: true,
  digest: { algo: 'sha-256', prefix: 'sha256:', base32: false },
} as const;

/**
 * Writes the capture's network traffic as WARC/1.1, each record its own gzip member: `warcinfo`
 * first, then for every exchange its `response` (with WARC-IP-Address and payload digest) and the
 * `request` that asked for it (WARC-Concurrent-To links them). Bodies are read back from the spool
 * one at a time.
 */
export async function writeWarc(
  file: string,
  warcFilename: string,
  info: WarcInfoFields,
  exchanges: readonly Exchange[],
  spool: BodySpool,
): Promise<WarcSummary> {
  const out = await fs.open(file, 'wx', 0o600);
  const counts = {
    records: 0,
    responses: 0,
    requestsWithoutResponse: 0,
    decodedResponses: 0,
    bodiesFromDecodedText: 0,
    bodiesMissing: 0,
    credentialsWithheld: 0,
  };
  const write = async (record: WARCRecord) => {
    await out.write(await WARCSerializer.serialize(record, SERIALIZE_OPTIONS));
    counts.records++;
  };
  try {
    await write(WARCRecord.createWARCInfo({ filename: warcFilename, warcVersion: 'WARC/1.1' }, { ...info }));
    for (const exchange of exchanges) {
      let responseId: string | undefined;
      if (exchange.response) {
        responseId = `<urn:uuid:${randomUUID()}>`;
        const response = exchange.response;
        const body = exchange.body ? await spool.read(exchange.body) : Buffer.alloc(0);
        const { headers, renamed } = warcResponseHeaders(response.headers, body.byteLength);
        if (renamed.length > 0) counts.decodedResponses++;
        if (exchange.body?.source === 'decoded-text') counts.bodiesFromDecodedText++;
        const warcHeaders: Record<string, string> = { 'WARC-Record-ID': responseId };
        if (response.remoteIPAddress) warcHeaders['WARC-IP-Address'] = bareIp(response.remoteIPAddress);
        if (response.protocol) warcHeaders['WARC-Protocol'] = response.protocol.toLowerCase();
        const truncated = truncation(exchange);
        if (truncated) {
          warcHeaders['WARC-Truncated'] = truncated;
          counts.bodiesMissing++;
        }
        await write(
          WARCRecord.create(
            {
              url: exchange.url,
              date: response.receivedAt,
              type: 'response',
              warcVersion: 'WARC/1.1',
              warcHeaders,
              statusline: response.statusLine,
              httpHeaders: headers,
              keepHeadersCase: true,
            },
            [body],
          ),
        );
        counts.responses++;
      } else {
        counts.requestsWithoutResponse++;
      }
      const request = warcRequestHeaders(exchange.requestHeaders);
      counts.credentialsWithheld += request.redacted;
      const target = new URL(exchange.url);
      await write(
        WARCRecord.create(
          {
            url: exchange.url,
            date: exchange.startedAt,
            type: 'request',
            warcVersion: 'WARC/1.1',
            warcHeaders: {
              'WARC-Record-ID': `<urn:uuid:${randomUUID()}>`,
              ...(responseId ? { 'WARC-Concurrent-To': responseId } : {}),
            },
            statusline: `${exchange.method} ${target.pathname}${target.search} HTTP/1.1`,
            httpHeaders: request.headers,
            keepHeadersCase: true,
          },
          exchange.postData ? [exchange.postData] : [],
        ),
      );
    }
    await out.sync();
  } finally {
    await out.close();
  }
  return counts;
}

/** Why a response record lacks all or part of its body (a WARC-Truncated value), or null. */
function truncation(exchange: Exchange): string | null {
  if (exchange.body) return null;
  if (exchange.state === 'redirected' || exchange.bodyProblem?.startsWith('no body')) return null;
  if (exchange.state === 'pending') return 'time';
  if (exchange.bodyProblem?.includes('limit per resource')) return 'length';
  return 'unspecified';
}

/** DevTools writes IPv6 addresses in brackets; WARC-IP-Address wants the address alone. */
function bareIp(address: string): string {
  return address.replace(/^\[(.*)\]$/, '$1');
}
