import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A web page to capture, served on 127.0.0.1 by the test. */
export interface FixturePages {
  /** The advert page (Arabic and Persian text, right to left). */
  readonly listingUrl: string;
  /** An address on the same server that answers 404, as a removed post does. */
  readonly removedUrl: string;
  /** A page whose server answers only after 2.5 seconds. */
  readonly slowUrl: string;
  close(): Promise<void>;
}

/** Serves the UI fixtures on a free port of 127.0.0.1. */
export async function serveFixturePages(): Promise<FixturePages> {
  const listing = fs.readFileSync(path.join(FIXTURES, 'listing.html'));
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://fixture').pathname;
    if (pathname === '/slow') {
      // A server that takes its time, so that a cancel arrives while the page loads.
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>Slow ad</title><h1>Slow ad</h1>');
      }, 2500);
    } else if (pathname === '/listing') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': listing.byteLength,
      });
      res.end(listing);
    } else {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Not found</title><h1>This post was removed</h1>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    listingUrl: `${origin}/listing`,
    removedUrl: `${origin}/removed-post`,
    slowUrl: `${origin}/slow`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
