/**
 * Real Firefox (Debian's firefox-esr) with the built Firefox extension (.output/firefox-mv2),
 * driven over WebDriver BiDi by puppeteer-core. Fixture pages are served under their real
 * hostnames as in harness.ts: Firefox sends every request through a local HTTP proxy whose
 * CONNECT tunnels all lead to the fixture server, and accepts its throwaway certificate.
 *
 * The add-on is installed as a temporary one with a fixed internal UUID, so its pages have a
 * known moz-extension:// address. Opening such a page needs the remote agent's system access:
 * without it, WebDriver BiDi refuses the navigation.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { ROOT, startFixtureServer, type FixtureServer } from './harness';

export const FIREFOX_EXTENSION_DIR = path.join(ROOT, '.output', 'firefox-mv2');

/** Matches `browser_specific_settings.gecko.id` in wxt.config.ts. */
const ADDON_ID = 'cmed-nlp-lens@example.org';
const ADDON_UUID = '3c5e2f0a-6b1d-4c8e-9a7f-2d4b6e8f0a1c';

export function firefoxPath(): string {
  const found = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p): p is string => !!p && fs.existsSync(p));
  if (!found) {
    throw new Error(
      'No Firefox for the Firefox end-to-end tests. Install Debian\'s package: apt-get install -y firefox-esr ' +
        '(or point FIREFOX_PATH at a Firefox binary). These tests are not optional.',
    );
  }
  return found;
}

export interface FirefoxSession {
  browser: Browser;
  server: FixtureServer;
  /** Where Firefox saves downloads (a fresh folder, removed on close). */
  downloads: string;
  /** Errors seen so far in the pages this session opened (page errors and console errors), by page. */
  errors: { page: Page; text: string }[];
  extensionUrl(file: string): string;
  newPage(): Promise<Page>;
  /** Opens one of the extension's pages in a new tab and waits until `ready` matches in it. */
  openExtensionPage(file: string, ready: string): Promise<Page>;
  close(): Promise<void>;
}

/** An HTTP proxy whose CONNECT tunnels all lead to `port` on this machine (the fixture server). */
async function tunnelTo(port: number): Promise<{ port: number; close(): void }> {
  const proxy = http.createServer((_req, res) => {
    // Plain-HTTP requests never reach the sites: they are all https.
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('');
  });
  proxy.on('connect', (_req, client, head) => {
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as net.AddressInfo).port,
    close: () => {
      proxy.closeAllConnections();
      proxy.close();
    },
  };
}

/** `prefs`: more Firefox preferences for this launch (e.g. colours forced by the browser). */
export async function launchFirefox(prefs: Record<string, string | number | boolean> = {}): Promise<FirefoxSession> {
  if (!fs.existsSync(path.join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No built Firefox extension at ${FIREFOX_EXTENSION_DIR}: run \`npm run build\` first.`);
  }
  const server = await startFixtureServer();
  const proxy = await tunnelTo(server.port);
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'cmed-ff-downloads-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    acceptInsecureCerts: true,
    args: ['-remote-allow-system-access'],
    extraPrefsFirefox: {
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxy.port,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxy.port,
      'network.proxy.no_proxies_on': '',
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: ADDON_UUID }),
      'intl.locale.requested': 'en-US',
      'intl.accept_languages': 'en-US, en',
      'ui.systemUsesDarkTheme': 0,
      // Timers at full precision (Firefox rounds performance.now() to 1 ms by default), for the
      // User Timing measures the tests and scripts/bench-firefox.ts read.
      'privacy.reduceTimerPrecision': false,
      // Downloads go straight to a folder of ours, without a dialog.
      'browser.download.folderList': 2,
      'browser.download.dir': downloads,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      ...prefs,
    },
  });
  const installed = await browser.installExtension(FIREFOX_EXTENSION_DIR);
  if (installed !== ADDON_ID) throw new Error(`Installed add-on ${installed}, expected ${ADDON_ID}`);
  const errors: FirefoxSession['errors'] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (err) => errors.push({ page, text: `pageerror: ${(err as Error).message ?? String(err)}` }));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push({ page, text: `console: ${msg.text()}` });
    });
  };
  const extensionUrl = (file: string) => `moz-extension://${ADDON_UUID}/${file}`;
  const newPage = async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    watch(page);
    return page;
  };
  return {
    browser,
    server,
    downloads,
    errors,
    extensionUrl,
    newPage,
    async openExtensionPage(file, ready) {
      const page = await newPage();
      // The page loads in the extension's process, whose load the BiDi navigation does not
      // report back: start it, then wait for the page's own content.
      await page.goto(extensionUrl(file), { timeout: 2_000 }).catch((err: Error) => {
        if (err.name !== 'TimeoutError') throw err;
      });
      await page.waitForSelector(ready, { timeout: 15_000 });
      return page;
    },
    async close() {
      await browser.close();
      proxy.close();
      await server.close();
      fs.rmSync(downloads, { recursive: true, force: true });
    },
  };
}
