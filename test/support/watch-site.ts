import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the watched page shows. */
export type WatchSiteMode =
  | 'live'
  | 'live-later'
  | 'changed'
  | 'not-found'
  | 'removal-notice'
  | 'login-wall'
  | 'download';

/** A site on 127.0.0.1 whose one post switches between the states a platform puts it in. */
export interface WatchSite {
  /** The watched post's address. */
  readonly postUrl: string;
  mode: WatchSiteMode;
  /** How many requests for the post reached the server. */
  readonly postRequests: number;
  /** Closes the port (the site is unreachable: connection refused). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

const POST_TEXT =
  'Crossing to Lampedusa this Friday from Sabratha. Places left: 12. Price 2500 euro per adult, ' +
  'children half. Life jackets included. Contact on WhatsApp +218 91 000 1234. رحلة إلى إيطاليا يوم الجمعة';

function postPage(posted: string, text: string, colour: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sea Travel Agency - post</title></head>
<body style="font-family: sans-serif; margin: 20px">
<header><b>Sea Travel Agency</b> · ${posted}</header>
<article><p>${text}</p><div style="width: 600px; height: 300px; background: ${colour}"></div>
<p>Comments: Ahmed: how many boats? · Samir: is there room for two?</p></article>
<footer>Like · Comment · Share</footer></body></html>`;
}

const PAGES: Record<Exclude<WatchSiteMode, 'login-wall' | 'download'>, { status: number; body: string }> = {
  live: { status: 200, body: postPage('3 h', POST_TEXT, '#1b5e20') },
  // The same post an hour later: only the relative time moved.
  'live-later': { status: 200, body: postPage('4 h', POST_TEXT, '#1b5e20') },
  changed: {
    status: 200,
    body: postPage(
      '5 h',
      'SOLD OUT for Friday. Next departure announced soon, follow the page. New price list in private messages only.',
      '#b71c1c',
    ),
  },
  'not-found': {
    status: 404,
    body: '<!DOCTYPE html><title>Page not found</title><h1>404</h1><p>The page you requested was not found.</p>',
  },
  // As Facebook does: a 200 page that says the content is gone.
  'removal-notice': {
    status: 200,
    body: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Facebook</title></head><body>
<header>facebook · Log in · Create new account</header>
<h2>This content isn’t available right now</h2>
<p>When this happens, it's usually because the owner only shared it with a small group of people, changed who can see it or it's been deleted.</p>
<p>Go to News Feed · Go back · Visit Help Centre</p></body></html>`,
  },
};

/** Starts the site on a free port of 127.0.0.1, showing the live post. */
export async function startWatchSite(): Promise<WatchSite> {
  let mode: WatchSiteMode = 'live';
  let postRequests = 0;
  let port = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: string, headers: http.OutgoingHttpHeaders = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
      res.end(body);
    };
    if (url.pathname === '/login') {
      return send(
        200,
        '<!DOCTYPE html><title>Log in</title><h1>Log in to Sea Social</h1><form><input name="user"><input type="password" name="pass"><button>Log in</button></form>',
      );
    }
    if (url.pathname !== '/groups/crossings/posts/8812') return send(404, 'not found');
    postRequests++;
    if (mode === 'login-wall')
      return send(302, 'Found', { Location: `/login?next=${encodeURIComponent(url.pathname)}` });
    if (mode === 'download') {
      res.writeHead(200, {
        'Content-Type': 'application/vnd.ms-excel',
        'Content-Disposition': 'attachment; filename="list.xls"',
      });
      return res.end('not a page');
    }
    const page = PAGES[mode];
    return send(page.status, page.body);
  });
  const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen();
  port = (server.address() as AddressInfo).port;
  return {
    postUrl: `http://127.0.0.1:${port}/groups/crossings/posts/8812`,
    get mode() {
      return mode;
    },
    set mode(value) {
      mode = value;
    },
    get postRequests() {
      return postRequests;
    },
    stop: async () => {
      if (!server.listening) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    start: listen,
  };
}
