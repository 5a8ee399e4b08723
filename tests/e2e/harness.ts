/**
 * End-to-end harness: real Chromium (Debian's package) with the built extension
 * loaded, and a local HTTPS server that answers for arxiv.org, aclanthology.org
 * and github.com through Chromium's host-resolver rules. github.com is HSTS-preloaded,
 * so everything is served over HTTPS with a throwaway self-signed certificate.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built extension; CMED_EXTENSION_DIR points at another build (parallel work builds into its own out dir). */
export const EXTENSION_DIR = process.env.CMED_EXTENSION_DIR ? path.resolve(ROOT, process.env.CMED_EXTENSION_DIR) : path.join(ROOT, '.output', 'chrome-mv3');
/** Fixture pages, laid out as tests/fixtures/pages/<host>/<path>[.html]. */
export const FIXTURE_DIR = path.join(ROOT, 'tests', 'fixtures', 'pages');
export const SHARED_PAGES = path.resolve(ROOT, '..', 'shared', 'corpora', 'pages');
/**
 * The real saved pages of SHARED_PAGES, each with the hostname and path it is served under:
 * none names a catalog item (the e2e tests check they stay untouched; bench-quiet.ts times them).
 */
export const SAVED_PAGES: ReadonlyArray<{ host: string; path: string; file: string }> = [
  { host: 'arxiv.org', path: '/abs/1706.03762', file: 'metascraper__arxiv.org-abs-1706.03762.html' },
  { host: 'aclanthology.org', path: '/2021.naacl-main.208/', file: 'papis__ACL_2021.naacl-main.208.html' },
  { host: 'aclanthology.org', path: '/N04-1001/', file: 'papis__ACL_N04-1001.html' },
  { host: 'github.com', path: '/steventroughtonsmith/marzipanify', file: 'postlight-parser__github.com.html' },
  { host: 'github.com', path: '/microlinkhq/mql', file: 'metascraper__github-mql-input.html' },
];
export const SITE_HOSTS = ['arxiv.org', 'aclanthology.org', 'github.com', 'www.aclweb.org', 'example.org'];

export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      'No Chromium found for the end-to-end tests. Install it with `apt-get install -y chromium` ' +
        '(or set CHROME_PATH to a Chromium/Chrome binary). The browser tests are never skipped.',
    );
  }
  return found;
}

function selfSignedCert(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmed-cert-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', `subjectAltName=${SITE_HOSTS.map((h) => `DNS:${h}`).join(',')}`,
    '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  const pair = { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
  fs.rmSync(dir, { recursive: true, force: true });
  return pair;
}

export type Route = (url: URL) => { status?: number; type?: string; body: string | Buffer } | undefined;

export interface FixtureServer {
  port: number;
  /** Serve a body for an exact host + path (overrides files). */
  route(host: string, pathname: string, body: string | Buffer, type?: string): void;
  /** Serve through a function (checked before files). */
  use(handler: Route): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** Files first under FIXTURE_DIR/<host>/<path>, then <path>.html, then <path>/index.html. */
function fileFor(host: string, pathname: string): string | undefined {
  const base = path.join(FIXTURE_DIR, host, decodeURIComponent(pathname));
  if (!base.startsWith(path.join(FIXTURE_DIR, host))) return undefined;
  const trimmed = base.replace(/\/+$/, '');
  for (const p of [base, `${trimmed}.html`, path.join(base, 'index.html')]) {
    if (fs.existsSync(p) && fs.statSync(p).isFile()) return p;
  }
  return undefined;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const exact = new Map<string, { body: string | Buffer; type: string }>();
  const handlers: Route[] = [];
  const server = https.createServer(selfSignedCert(), (req, res) => {
    const host = (req.headers.host ?? 'localhost').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `https://${host}`);
    const hit = exact.get(`${host}${url.pathname}`);
    if (hit) {
      res.writeHead(200, { 'content-type': hit.type });
      res.end(hit.body);
      return;
    }
    for (const h of handlers) {
      const r = h(url);
      if (r) {
        res.writeHead(r.status ?? 200, { 'content-type': r.type ?? 'text/html; charset=utf-8' });
        res.end(r.body);
        return;
      }
    }
    const file = fileFor(host, url.pathname);
    if (file) {
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'text/html; charset=utf-8' });
      res.end(fs.readFileSync(file));
      return;
    }
    // Anything else (favicons, site assets the saved pages reference) gets an empty 404,
    // so no request ever leaves the machine.
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    route(host, pathname, body, type = 'text/html; charset=utf-8') {
      exact.set(`${host}${pathname}`, { body, type });
    },
    use(handler) {
      handlers.push(handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ExtensionSession {
  context: BrowserContext;
  server: FixtureServer;
  extensionId: string;
  worker: Worker;
  /** Errors seen so far: page errors, console errors of extension pages and the service worker. */
  errors: string[];
  extensionUrl(file: string): string;
  openPopup(query?: string): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Chromium with the built extension and the fixture server mapped onto the real hostnames. */
export async function launchExtension(
  opts: { locale?: string; colorScheme?: 'light' | 'dark'; extensionDir?: string } = {},
): Promise<ExtensionSession> {
  const extDir = opts.extensionDir ?? EXTENSION_DIR;
  if (!fs.existsSync(path.join(extDir, 'manifest.json'))) {
    throw new Error(`No built extension at ${extDir}: run \`npm run build\` first.`);
  }
  const server = await startFixtureServer();
  const rules = SITE_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${server.port}`).join(', ');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmed-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    ignoreHTTPSErrors: true,
    locale: opts.locale ?? 'en-US',
    colorScheme: opts.colorScheme ?? 'light',
    viewport: { width: 1280, height: 900 },
    args: [
      `--disable-extensions-except=${extDir}`,
      `--load-extension=${extDir}`,
      `--host-resolver-rules=${rules}`,
      `--lang=${opts.locale ?? 'en-US'}`,
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // Extra switches for investigations, '|'-separated (one may hold spaces), e.g.
      // CMED_CHROME_ARGS='--js-flags=--log-deopt --logfile=/tmp/v8-%p.log' for V8's deopt log.
      ...(process.env.CMED_CHROME_ARGS ? process.env.CMED_CHROME_ARGS.split('|') : []),
    ],
  });
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (err) => errors.push(`pageerror ${page.url()}: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      // The saved real pages reference site assets that the fixture server answers with 404.
      if (/Failed to load resource/.test(text) && !page.url().startsWith('chrome-extension://')) return;
      errors.push(`console ${page.url()}: ${text}`);
    });
  };
  context.on('page', watch);
  context.pages().forEach(watch);
  let worker = context.serviceWorkers()[0];
  if (!worker) worker = await context.waitForEvent('serviceworker', { timeout: 30_000 });
  worker.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`service worker: ${msg.text()}`);
  });
  const extensionId = new URL(worker.url()).host;
  const extensionUrl = (file: string) => `chrome-extension://${extensionId}/${file}`;
  return {
    context,
    server,
    extensionId,
    worker,
    errors,
    extensionUrl,
    async openPopup(query) {
      const page = await context.newPage();
      await page.setViewportSize({ width: 420, height: 600 });
      await page.goto(extensionUrl(`popup.html${query ?? ''}`));
      return page;
    },
    async close() {
      await context.close();
      await server.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Site URL on the mapped hostnames (always https, default port, as a reader would see it). */
export function siteUrl(host: string, pathname: string): string {
  return `https://${host}${pathname}`;
}
