/**
 * The annotator in real Chromium with the built extension: every fixture page against
 * its expected JSON, the banner, the hover card (mouse and keyboard), saving a favorite,
 * the toolbar badge, the per-site switch, client-side navigation, late content, real
 * saved pages that must stay untouched, and hostile pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { FIXTURE_DIR, ROOT, SAVED_PAGES, SHARED_PAGES, launchExtension, siteUrl, type ExtensionSession } from './harness';
import { AXE_SOURCE, FIXTURES, appendToReadme, axeViolations, countMarks, distinctEntries, expectAtMentionEnds, HOSTILE_DEEP_SCRIPT, hostileBigText, hostileManyElements, hostileRepeats, hostileShell, paletteColours, pillColours, placedBadges, savedLabelShare, savedStar, softMove, softVisitCblue, sum, type Marks } from './fixtures';
import type { SiteKey } from '../../utils/favorites/types';
import { DRAW_PER_FRAME, MAX_BLOCK_MENTIONS, MAX_MENTIONS } from '../../utils/annotator/annotator';

interface PassDetail {
  pass: number;
  kind: string;
  mentions: number;
  entries: string[];
  page: string | null;
  scanned: number;
  slices: number;
  maxSliceMs: number;
  error?: string;
}

/** Latest pass after `after` (the annotator publishes each pass as a User Timing measure). */
async function waitPass(page: Page, after = 0, timeout = 20_000): Promise<PassDetail> {
  const handle = await page.waitForFunction(
    (after) => {
      if (document.documentElement.getAttribute('data-cmed-annotator') !== 'idle') return null;
      const list = performance.getEntriesByName('cmed:annotate') as PerformanceMeasure[];
      const last = list[list.length - 1];
      const d = last?.detail as { pass: number } | undefined;
      return d && d.pass > after ? d : null;
    },
    after,
    { timeout, polling: 50 },
  );
  return (await handle.jsonValue()) as PassDetail;
}

async function lastPass(page: Page): Promise<PassDetail | null> {
  return page.evaluate(() => {
    const list = performance.getEntriesByName('cmed:annotate') as PerformanceMeasure[];
    return (list[list.length - 1]?.detail as PassDetail | undefined) ?? null;
  });
}

/** Waits until no new pass has been published for `quietMs`. */
async function settle(page: Page, quietMs = 400): Promise<PassDetail | null> {
  let last = await lastPass(page);
  for (;;) {
    await page.waitForTimeout(quietMs);
    const now = await lastPass(page);
    if (now?.pass === last?.pass && (await page.evaluate(() => document.documentElement.getAttribute('data-cmed-annotator'))) !== 'busy') return now;
    last = now;
  }
}

/**
 * Waits until placement has moved every badge's visual to its mention: a visual is drawn
 * hidden, and placement, a frame later, gives it its style (a transform, or display:none).
 */
async function waitPlaced(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const all = Array.from(document.querySelectorAll('cmed-badge'));
      return all.length > 0 && all.every((b) => b.shadowRoot?.querySelector('.b[style]'));
    },
    null,
    { timeout: 10_000, polling: 50 },
  );
}

async function marks(page: Page): Promise<Marks> {
  return page.evaluate(countMarks);
}


/** axe-core's violations (any impact) in the elements of ours that `selectors` name (see fixtures.ts). */
async function axeOurs(page: Page, selectors: string[]): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(axeViolations, selectors);
}

async function send(s: ExtensionSession, type: string, data?: unknown): Promise<unknown> {
  const page = s.context.pages().find((p) => p.url().startsWith(s.extensionUrl(''))) ?? (await s.openPopup());
  const reply = (await page.evaluate(
    (msg) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage(msg),
    { __cmed: 1, type, data },
  )) as { ok: boolean; value?: unknown; error?: string };
  if (!reply?.ok) throw new Error(`${type}: ${reply?.error}`);
  return reply.value;
}

/**
 * Runs `read` with one site switched off (once the page shows it is off), then switches the
 * site back on, whatever `read` did.
 */
async function whileOff<T>(s: ExtensionSession, page: Page, site: SiteKey, read: () => Promise<T>): Promise<T> {
  try {
    await send(s, 'settings:set', { sites: { arxiv: true, acl: true, github: true, [site]: false } });
    await page.waitForFunction(() => document.documentElement.getAttribute('data-cmed-annotator') === 'off', null, { timeout: 5_000 });
    return await read();
  } finally {
    await send(s, 'settings:set', { sites: { arxiv: true, acl: true, github: true } });
  }
}

async function toolbarBadge(s: ExtensionSession, url: string): Promise<string> {
  return s.worker.evaluate(async (url) => {
    const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number; url?: string }[]> }; action: { getBadgeText(d: object): Promise<string> } } }).chrome;
    const tabs = await c.tabs.query({});
    const tab = tabs.find((t) => t.url === url);
    if (!tab) return `no tab for ${url}`;
    return c.action.getBadgeText({ tabId: tab.id });
  }, url);
}

async function tabIdOf(s: ExtensionSession, url: string): Promise<number> {
  return s.worker.evaluate(async (url) => {
    const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number; url?: string }[]> } } }).chrome;
    return (await c.tabs.query({})).find((t) => t.url === url)?.id ?? -1;
  }, url);
}

/** Text of the page without our UI must equal the text of the same HTML parsed fresh. */
async function textUntouched(page: Page, html: string): Promise<boolean> {
  return page.evaluate((html) => {
    const fresh = new DOMParser().parseFromString(html, 'text/html');
    const strip = (root: Element) => {
      const c = root.cloneNode(true) as Element;
      c.querySelectorAll('[data-cmed-ui], script, style').forEach((e) => e.remove());
      return (c.textContent ?? '').replace(/\s+/g, ' ').trim();
    };
    return strip(document.body) === strip(fresh.body);
  }, html);
}

describe('annotator in real Chromium', () => {
  let s: ExtensionSession;
  beforeAll(async () => {
    s = await launchExtension();
  });
  afterAll(async () => {
    await s?.close();
  });

  describe('fixtures match their expected JSON exactly', () => {
    for (const { file, expected } of FIXTURES) {
      it(file, async () => {
        const page = await s.context.newPage();
        await page.goto(expected.url);
        const first = await waitPass(page);
        expect(first.error).toBeUndefined();
        await settle(page);
        const got = await marks(page);
        expect(got.entries).toEqual(expected.entries);
        expect(got.page).toBe(expected.page);
        // One highlight range per badge: every mention is both highlighted and badged.
        expect(got.highlights).toBe(sum(expected.entries));
        // Badges are ours, inline, and page text is never split or changed.
        const html = fs.readFileSync(path.join(FIXTURE_DIR, file.replace(/\.expected\.json$/, '.html')), 'utf8');
        expect(await textUntouched(page, html)).toBe(true);
        const shapes = await page.evaluate(() =>
          Array.from(document.querySelectorAll('[data-catalog-entry]')).map((b) => ({
            tag: b.localName,
            shadow: !!b.shadowRoot,
            tab: b.getAttribute('tabindex'),
            label: b.getAttribute('aria-label') ?? '',
            w: Math.round(b.getBoundingClientRect().width),
            // A focusable badge inside a link would be interactive content nested in another.
            inLink: !!b.parentElement?.closest('a, button'),
          })),
        );
        for (const b of shapes) {
          expect(b).toMatchObject({ tag: 'cmed-badge', shadow: true, tab: '0', inLink: false });
          expect(b.label).toMatch(/MedNLP Lens/);
          expect(b.w).toBe(0); // the host takes no room in the text; its visual is positioned
        }
        // Re-running on the same DOM changes nothing and scans nothing.
        const before = (await lastPass(page))?.pass ?? 0;
        await page.evaluate(() => document.dispatchEvent(new Event('turbo:render', { bubbles: true })));
        const again = await waitPass(page, before);
        expect(again.scanned).toBe(0);
        expect((await marks(page)).entries).toEqual(expected.entries);
        // The toolbar badge counts distinct entries (the page's own included).
        const distinct = distinctEntries(expected);
        await expect.poll(() => toolbarBadge(s, page.url()), { timeout: 5_000 }).toBe(distinct ? String(distinct) : '');
        await page.close();
      });
    }
  });

  it('shows the banner right above the page title on an entry page', async () => {
    const page = await s.context.newPage();
    await page.goto(siteUrl('arxiv.org', '/abs/1909.06146'));
    await waitPass(page);
    const where = await page.evaluate(() => {
      const b = document.querySelector('[data-catalog-page]');
      return { next: b?.nextElementSibling?.matches('h1.title') ?? false, text: b?.shadowRoot?.textContent ?? '' };
    });
    expect(where.next).toBe(true);
    expect(where.text).toContain('PubMedQA');
    expect(await axeOurs(page, ['cmed-banner', 'cmed-badge'])).toEqual([]);
    await page.close();
  });

  it("leaves the names a screen reader gives the page's buttons, links and labelled controls as they were: no badge inside them", async () => {
    // In Chromium's own accessibility tree, a button or link takes its name from its content, a badge's
    // label included had the badge been placed inside it ("Run BioBERT MedNLP Lens: BioBERT … Show details"),
    // and a checkbox the name of its label. (A heading keeps its badge inside: see the layout test below.)
    const names = async (page: Page) => {
      const cdp = await s.context.newCDPSession(page);
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; name?: { value: string }; ignored?: boolean }[] };
      await cdp.detach();
      return nodes.filter((n) => !n.ignored && ['heading', 'button', 'link', 'checkbox'].includes(n.role?.value ?? '')).map((n) => `${n.role!.value}: ${n.name?.value ?? ''}`);
    };
    s.server.route('github.com', '/medlens-fixtures/button-and-label', hostileShell('<h2>Tests on <a href="#q">PubMedQA</a> data</h2><p><button type="button">Run BioBERT</button> <label><input type="checkbox"> Use <a href="#k">CMeKG</a> graph</label></p>'));
    for (const [host, pathname, site, headed] of [
      ['arxiv.org', '/abs/1909.06146', 'arxiv', 'heading: PubMedQA: A Dataset'],
      ['arxiv.org', '/html/2402.10987v1', 'arxiv', null],
      ['aclanthology.org', '/2020.emnlp-main.253/', 'acl', 'heading: COMETA'],
      ['github.com', '/CBLUEbenchmark/CBLUE', 'github', 'heading: CBLUE'],
      ['github.com', '/medlens-fixtures/button-and-label', 'github', 'heading: Tests on'],
    ] as const) {
      const page = await s.context.newPage();
      await page.goto(siteUrl(host, pathname));
      await waitPass(page);
      await settle(page);
      await waitPlaced(page);
      const on = await names(page);
      const banner = await page.evaluate(() => Array.from(document.querySelector('[data-catalog-page]')?.shadowRoot?.querySelectorAll('button') ?? [], (b) => `button: ${(b.getAttribute('aria-label') ?? b.textContent ?? '').trim()}`));
      const off = await whileOff(s, page, site, () => names(page));
      expect(off.length, pathname).toBeGreaterThan(0);
      if (headed) expect(off.some((n) => n.startsWith(headed)), `${pathname} has its title heading: ${off.filter((n) => n.startsWith("heading")).join(" | ")}`).toBe(true);
      // Ours are buttons of their own, after the page's (each badge, and the banner's on an entry's
      // page): the page's own keep their names, and nothing else is named with ours.
      const badges = on.filter((n) => n.startsWith('button: MedNLP Lens: '));
      expect(badges.length, pathname).toBeGreaterThanOrEqual(1);
      const controls = (names: string[]) => names.filter((n) => !n.startsWith('heading: '));
      const theirs = controls(on).filter((n) => !badges.includes(n) && !banner.includes(n));
      expect(theirs.filter((n) => n.includes('MedNLP Lens')), pathname).toEqual([]);
      expect(theirs, pathname).toEqual(controls(off));
      await page.close();
    }
  });

  it("moves nothing of a page's layout where a heading's badge would be a block's sibling: flex rows, grids, sibling and last-child rules", async () => {
    // A badge after a heading would sit between blocks: an item of a flex row (its gap counted) or a
    // grid (a cell taken), the heading no longer matching `h2 + p` or `:last-child`. It stays inside.
    const cases = [
      '<style>h2 + p{margin-top:0;color:rgb(200,0,0)} p{margin-top:20px}</style><h2 id="t1">Results on PubMedQA</h2><p id="t2">After the heading.</p>',
      '<div style="display:flex;gap:40px"><h3 id="t3">PubMedQA</h3><span id="t4">#12</span></div>',
      '<div style="display:grid;grid-template-columns:200px 200px"><h3 id="t5">PubMedQA</h3><p id="t6">a</p><h3 id="t7">Other</h3><p id="t8">b</p></div>',
      '<style>.card{border:1px solid} .card>:last-child{margin-bottom:0} h4{margin:0 0 30px}</style><div class="card" id="t9"><p>x</p><h4 id="t10">CMeKG</h4></div><p id="t11">below</p>',
    ];
    s.server.route('github.com', '/medlens-fixtures/heading-layouts', hostileShell(cases.join('')));
    const page = await s.context.newPage();
    await page.goto(siteUrl('github.com', '/medlens-fixtures/heading-layouts'));
    await waitPass(page);
    await settle(page);
    await waitPlaced(page);
    const layout = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('[id^=t]'), (e) => {
          const r = e.getBoundingClientRect();
          return `${e.id} ${r.left},${r.top} ${r.width}x${r.height} ${getComputedStyle(e).color}`;
        }),
      );
    const on = await layout();
    expect((await marks(page)).entries).toEqual({ pubmedqa: 3, cmekg: 1 });
    const off = await whileOff(s, page, 'github', layout);
    expect(on).toEqual(off);
    await page.close();
  });

  it("lets a frame go by between loading its matcher and its first pass (Chrome's own text read takes that frame)", async () => {
    const page = await s.context.newPage();
    // The page's world notes the time of each frame from its start.
    await page.addInitScript(() => {
      const frames: number[] = ((window as unknown as { __frames: number[] }).__frames = []);
      const tick = () => {
        frames.push(performance.now());
        if (frames.length < 2000) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.goto(siteUrl('arxiv.org', '/abs/1909.06146'));
    await waitPass(page);
    const got = await page.evaluate(() => {
      const compile = performance.getEntriesByName('cmed:compile')[0];
      const pass = performance.getEntriesByName('cmed:annotate')[0];
      const frames = (window as unknown as { __frames: number[] }).__frames;
      return { loaded: compile.startTime + compile.duration, pass: pass.startTime, between: frames.filter((t) => t > compile.startTime + compile.duration && t < pass.startTime).length };
    });
    expect(got.pass).toBeGreaterThan(got.loaded);
    expect(got.between).toBeGreaterThanOrEqual(1);
    await page.close();
  });

  it('draws each badge right after its mention, and badges never move page text', async () => {
    const page = await s.context.newPage();
    await page.goto(siteUrl('aclanthology.org', '/2020.emnlp-main.253/'));
    await waitPass(page);
    /** The abstract paragraph and the word "MedMentions" in it, found in the page's own text. */
    const layout = () =>
      page.evaluate(() => {
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
          const i = n.data.indexOf('Compared with MedMentions');
          if (i < 0) continue;
          const range = document.createRange();
          range.setStart(n, i + 14);
          range.setEnd(n, i + 25);
          const p = n.parentElement!.getBoundingClientRect();
          const w = range.getBoundingClientRect();
          return { width: p.width, height: p.height, wordLeft: w.left - p.left, wordTop: w.top - p.top };
        }
        return null;
      });
    const off = await whileOff(s, page, 'acl', layout);
    await page.waitForFunction(() => document.documentElement.getAttribute('data-cmed-annotator') === 'idle', null, { timeout: 5_000 });
    await settle(page);
    expect(off).not.toBeNull();
    expect(await layout()).toEqual(off);

    // Each visual sits just after the last character of one highlighted mention, on its line,
    // and shows once placed (drawn hidden, it is measured a frame later).
    await waitPlaced(page);
    const placed = await page.evaluate(placedBadges);
    expectAtMentionEnds(placed, { medmentions: 'MedMentions', biobert: 'BioBERT' });
    await page.close();
  });

  it('draws the kind letter as generated content: a badge holds no text for a copy or find-in-page to meet', async () => {
    const page = await s.context.newPage();
    await page.goto(siteUrl('arxiv.org', '/html/2402.10987v1'));
    await waitPass(page);
    await waitPlaced(page);
    const badges = await page.evaluate(() =>
      Array.from(document.querySelectorAll('cmed-badge[data-catalog-entry]')).map((b) => {
        const k = b.shadowRoot!.querySelector('.k') as HTMLElement;
        const texts: string[] = [];
        const walker = document.createTreeWalker(b.shadowRoot!, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push((n as Text).data);
        return { id: b.getAttribute('data-catalog-entry'), texts, letter: k.dataset.k, before: getComputedStyle(k, '::before').content, width: k.getBoundingClientRect().width };
      }),
    );
    expect(badges.length).toBeGreaterThan(5);
    for (const b of badges) {
      expect(b.texts, `${b.id} holds no text`).toEqual([]);
      expect(b.before).toMatch(/^(attr\(data-k\)|"[A-Z]{1,2}")$/);
    }
    // The letter still shows, beside the brand mark.
    const pill = (id: string) => badges.find((b) => b.id === id)!;
    expect(pill('cometa-paper').letter).toBe('P');
    expect(pill('pubmedqa').letter).toBe('D');
    expect(pill('pubmedqa').width).toBeGreaterThan(16);
    await page.close();
  });

  it('lifts badges into the room between lines where the page leaves it, places them under CSS zoom and a page\'s scale() too, and moves no page text', async () => {
    // The arXiv HTML fixture sets no line height ("normal": tight lines); the airy copy sets 1.5, as GitHub
    // and the Anthology do. Where there is room, a badge sits above the cap line of the text it follows
    // (it covers no letter of the next word); on tight lines it straddles the text's top edge.
    const html = fs.readFileSync(path.join(FIXTURE_DIR, 'arxiv.org', 'html', '2402.10987v1.html'), 'utf8');
    s.server.route('arxiv.org', '/html/2402.10987v2', html.replace('</head>', '<style>body{line-height:1.5}</style></head>'));
    // And a copy under CSS zoom (rects in zoomed pixels, the badge zoomed with the text).
    s.server.route('arxiv.org', '/html/2402.10987v3', html.replace('</head>', '<style>body{zoom:1.5}</style></head>'));
    // And under a page's own scale() on an ancestor, which scales rects and our transform's lengths as a zoom does.
    s.server.route('arxiv.org', '/html/2402.10987v5', html.replace('</head>', '<style>article{transform:scale(.8);transform-origin:0 0}</style></head>'));
    /** Every page text node's first line box, and each badge's pill against its mention's last character. */
    const look = (page: Page) =>
      page.evaluate(() => {
        const text: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(n);
          const r = range.getClientRects()[0];
          if (r && !n.parentElement?.closest('cmed-badge')) text.push(`${Math.round(r.left * 10)},${Math.round(r.top * 10)}`);
        }
        const ranges = [...((CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('cmed-mention') ?? [])];
        const pills = Array.from(document.querySelectorAll('cmed-badge')).map((b) => {
          const k = b.shadowRoot?.querySelector('.k')?.getBoundingClientRect();
          let best: { gap: number; top: number; height: number; right: number } | null = null;
          for (const range of ranges) {
            const rects = Array.from(range.getClientRects()).filter((x) => x.width > 0);
            const e = rects[rects.length - 1];
            if (!k || !e || k.left < e.right - 1 || k.left > e.right + 4 || k.bottom < e.top - 2 || k.top > e.bottom) continue;
            const gap = k.left - e.right;
            if (!best || gap < best.gap) best = { gap, top: e.top, height: e.height, right: e.right };
          }
          return { id: b.getAttribute('data-catalog-entry'), top: k?.top ?? NaN, bottom: k?.bottom ?? NaN, at: best };
        });
        return { text, pills };
      });
    for (const [pathname, airy, zoom] of [['/html/2402.10987v2', true, 1], ['/html/2402.10987v1', false, 1], ['/html/2402.10987v3', false, 1.5], ['/html/2402.10987v5', false, 0.8]] as const) {
      const page = await s.context.newPage();
      await page.goto(siteUrl('arxiv.org', pathname));
      await waitPass(page);
      await settle(page);
      await waitPlaced(page);
      const on = await look(page);
      expect(on.pills.length).toBeGreaterThanOrEqual(5);
      for (const p of on.pills) {
        expect(p.at, `${p.id} beside the end of its mention (${pathname})`).not.toBeNull();
        const { top, height } = p.at!;
        if (airy) {
          // Above the cap line (the text's top plus about a fifth of its height), within the room above the line.
          expect(p.bottom, `${p.id} clears the letters after it`).toBeLessThanOrEqual(top + height * 0.25);
          expect(p.top).toBeGreaterThanOrEqual(top - 10);
        } else {
          // Its middle on the text's top edge, as before the room was looked at (6px, zoomed with the page).
          expect(Math.abs(p.top - (top - 6 * zoom)), `${p.id} straddles the top of the text`).toBeLessThanOrEqual(zoom);
          expect(p.bottom - p.top).toBeCloseTo(12 * zoom, 0);
        }
      }
      const off = await whileOff(s, page, 'arxiv', () => look(page));
      expect(off.pills).toEqual([]);
      expect(on.text, `page text in place with badges (${pathname})`).toEqual(off.text);
      await page.close();
    }
  });

  /**
   * The open card and the badge it was opened from: the pill, the badge's line of text (its host,
   * an empty inline element, has the box of the text at the mention's end), and the card's gap to
   * the two together (negative where it covers them).
   */
  const cardBeside = (page: Page, badge: string) =>
    page.evaluate((sel) => {
      const host = document.querySelector(sel)!;
      const box = (r: DOMRect) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
      const k = box(host.shadowRoot!.querySelector('.k')!.getBoundingClientRect());
      const line = box(host.getBoundingClientRect());
      const c = box(document.querySelector('cmed-card')!.shadowRoot!.querySelector('.c')!.getBoundingClientRect());
      const top = Math.min(k.top, line.top);
      const bottom = Math.max(k.bottom, line.bottom);
      return { k, line, c, gap: c.top >= top ? c.top - bottom : top - c.bottom };
    }, badge);

  it('opens the card clear of the line it was opened from, and in a short window caps it to the side with more room', async () => {
    const page = await s.context.newPage();
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.goto(siteUrl('github.com', '/medlens-fixtures/zh-medical-notes'));
    await waitPass(page);
    await waitPlaced(page);
    const sel = 'cmed-badge[data-cmed-ui]';
    const card = page.locator('cmed-card');
    const open = async () => {
      await page.mouse.move(0, 0);
      await expect.poll(() => card.isVisible(), { timeout: 5_000 }).toBe(false);
      await page.locator(sel).first().locator('.k').hover();
      await expect.poll(() => card.isVisible(), { timeout: 5_000 }).toBe(true);
      await page.waitForTimeout(200);
      return cardBeside(page, sel);
    };
    // The mention near the window's top: room below for the whole card.
    await page.evaluate((sel) => scrollBy(0, document.querySelector(sel)!.getBoundingClientRect().top - 100), sel);
    const tall = await open();
    // The text of the mention's line is a line box of its own, taller than the pill and below its top.
    expect(tall.line.bottom).toBeGreaterThan(tall.k.bottom);
    // Below the pill and the text of its line, not over them.
    expect(tall.c.top).toBeGreaterThanOrEqual(tall.line.bottom);
    expect(tall.gap).toBeLessThanOrEqual(12);
    const full = tall.c.bottom - tall.c.top;
    // A window shorter than the card on either side of the mention: the card takes the side with
    // more room, capped to it (it scrolls inside), and still covers neither the pill nor the line.
    const height = Math.round(full + 80);
    await page.setViewportSize({ width: 1000, height });
    await page.evaluate((sel) => {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      scrollBy(0, r.top - innerHeight * 0.4);
    }, sel);
    const short = await open();
    expect(short.gap).toBeGreaterThanOrEqual(0);
    expect(short.gap).toBeLessThanOrEqual(12);
    expect(short.c.top).toBeGreaterThanOrEqual(0);
    expect(short.c.bottom).toBeLessThanOrEqual(height);
    expect(short.c.bottom - short.c.top).toBeLessThan(full);
    // The room below (60 % of the window) is the larger side: the card went there.
    expect(short.c.top).toBeGreaterThan(short.line.top);
    const scrolls = await page.evaluate(() => {
      const c = document.querySelector('cmed-card')!.shadowRoot!.querySelector('.c')!;
      return c.scrollHeight > c.clientHeight;
    });
    expect(scrolls).toBe(true);
    // Read down to its Save row, then the page scrolls a little (the card is placed again): it stays where it was read.
    const inner = () => page.evaluate(() => document.querySelector('cmed-card')!.shadowRoot!.querySelector('.c')!.scrollTop);
    await page.evaluate(() => {
      const c = document.querySelector('cmed-card')!.shadowRoot!.querySelector('.c')!;
      c.scrollTop = c.scrollHeight;
    });
    const read = await inner();
    expect(read).toBeGreaterThan(0);
    await page.evaluate(() => scrollBy(0, 4));
    await page.waitForTimeout(300);
    expect(await card.isVisible()).toBe(true);
    // (4px more room below as the mention went up: its bottom is 4px further down, still in view.)
    expect(await inner()).toBeGreaterThanOrEqual(read - 4);
    await page.close();
  });

  it('opens the card beside its badge on a page zoomed with CSS, and on one whose root element holds fixed elements (a transform)', async () => {
    // The card hangs off the root element: a zoom there zooms its size, top and left. A transform,
    // `will-change: transform` or `contain: paint` there makes the root the box the card is fixed
    // against, which scrolls with the page.
    const html = fs.readFileSync(path.join(FIXTURE_DIR, 'arxiv.org', 'html', '2402.10987v1.html'), 'utf8');
    const styles = ['html{zoom:1.5}', 'html{transform:translateZ(0)}', 'html{will-change:transform}', 'html{contain:paint;zoom:1.25}'];
    for (const [i, style] of styles.entries()) {
      s.server.route('arxiv.org', `/html/2402.10987v${10 + i}`, html.replace('</head>', `<style>${style}</style></head>`));
      const page = await s.context.newPage();
      await page.setViewportSize({ width: 1000, height: 700 });
      await page.goto(siteUrl('arxiv.org', `/html/2402.10987v${10 + i}`));
      await waitPass(page);
      // The last BioBERT of the paper, far down: the page scrolled to it.
      const badge = page.locator('cmed-badge[data-catalog-entry="biobert"]').last();
      await expect.poll(() => badge.locator('.k').count(), { timeout: 5_000 }).toBe(1);
      await badge.scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => scrollY), style).toBeGreaterThan(300);
      await page.waitForTimeout(300);
      await badge.locator('.k').hover();
      const card = page.locator('cmed-card');
      await expect.poll(() => card.isVisible(), { timeout: 5_000 }).toBe(true);
      await page.waitForTimeout(200);
      const g = await page.evaluate(() => {
        const k = [...document.querySelectorAll('cmed-badge[data-catalog-entry="biobert"]')].pop()!.shadowRoot!.querySelector('.k')!.getBoundingClientRect();
        const c = document.querySelector('cmed-card')!.shadowRoot!.querySelector('.c')!.getBoundingClientRect();
        return { k: { left: k.left, top: k.top, bottom: k.bottom }, c: { left: c.left, top: c.top, bottom: c.bottom, right: c.right } };
      });
      // Its left at the badge's, or moved left as far as the viewport's edge asks; just below the
      // badge, or just above it when there is no room below; inside the viewport.
      expect(g.c.left - 2, style).toBeLessThanOrEqual(g.k.left);
      expect(g.c.right, style).toBeGreaterThan(g.k.left);
      const gap = g.c.top >= g.k.bottom ? g.c.top - g.k.bottom : g.k.top - g.c.bottom;
      expect(gap, style).toBeGreaterThanOrEqual(0);
      expect(gap, style).toBeLessThanOrEqual(40);
      expect(g.c.top, style).toBeGreaterThanOrEqual(0);
      expect(g.c.bottom, style).toBeLessThanOrEqual(700);
      expect(g.c.right, style).toBeLessThanOrEqual(1000);
      // It follows its badge as the page scrolls a little.
      await page.mouse.wheel(0, 60);
      await page.waitForTimeout(300);
      if (await card.isVisible()) {
        const again = await page.evaluate(() => {
          const k = [...document.querySelectorAll('cmed-badge[data-catalog-entry="biobert"]')].pop()!.shadowRoot!.querySelector('.k')!.getBoundingClientRect();
          const c = document.querySelector('cmed-card')!.shadowRoot!.querySelector('.c')!.getBoundingClientRect();
          return { k: k.left, c: [c.left, c.right] };
        });
        expect(again.c[0] - 2, style).toBeLessThanOrEqual(again.k);
        expect(again.c[1], style).toBeGreaterThan(again.k);
      }
      await page.close();
    }
  });

  it('marks the abstract a search result shows, and the full one once "More" opens it', async () => {
    const page = await s.context.newPage();
    await page.goto(siteUrl('arxiv.org', '/search/?query=medical+entity+linking&searchtype=all'));
    await waitPass(page);
    await waitPlaced(page);
    const shown = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('cmed-badge[data-catalog-entry="medmentions"]')]
          .filter((b) => b.closest('.abstract-short, .abstract-full'))
          .map((b) => ({ in: b.closest('.abstract-short') ? 'short' : 'full', visible: b.shadowRoot!.querySelector('.k')!.getBoundingClientRect().width > 0 })),
      );
    expect(await shown()).toEqual([
      { in: 'short', visible: true },
      { in: 'full', visible: false },
    ]);
    // "More": arXiv's own script shows the full abstract in place of the short one.
    await page.evaluate(() => {
      const result = document.querySelector('.abstract-short .search-hit')!.closest('.arxiv-result')!;
      result.querySelector<HTMLElement>('.abstract-short')!.style.display = 'none';
      result.querySelector<HTMLElement>('.abstract-full')!.style.display = 'inline';
    });
    await expect.poll(shown, { timeout: 3_000 }).toEqual([
      { in: 'short', visible: false },
      { in: 'full', visible: true },
    ]);
    await page.close();
  });

  it('keeps the card beside its badge when the page above it grows without a scroll (an image loading)', async () => {
    const page = await s.context.newPage();
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.goto(siteUrl('github.com', '/medlens-fixtures/zh-medical-notes'));
    await waitPass(page);
    await waitPlaced(page);
    const badge = page.locator('cmed-badge[data-cmed-ui]').first();
    await badge.focus();
    const card = page.locator('cmed-card');
    await expect.poll(() => card.isVisible(), { timeout: 5_000 }).toBe(true);
    await page.waitForTimeout(200);
    // Just below the badge and its line, or just above them when there is no room below.
    const where = async () => {
      const g = await cardBeside(page, 'cmed-badge[data-cmed-ui]');
      return { badge: g.k.top, gap: g.gap, scrollY: await page.evaluate(() => scrollY) };
    };
    const before = await where();
    expect(before.scrollY).toBe(0);
    expect(before.gap).toBeGreaterThanOrEqual(0);
    expect(before.gap).toBeLessThanOrEqual(12);
    // 80 px more above the first mention, outside the regions we read (no pass), at scroll 0 (no scroll anchoring).
    await page.evaluate(() => {
      const img = document.createElement('div');
      img.style.height = '80px';
      document.body.prepend(img);
    });
    await page.waitForTimeout(400);
    const after = await where();
    expect(after.scrollY).toBe(0);
    expect(after.badge - before.badge).toBeCloseTo(80, 0);
    expect(after.gap).toBeGreaterThanOrEqual(0);
    expect(after.gap).toBeLessThanOrEqual(12);
    expect(await card.isVisible()).toBe(true);
    await page.close();
  });

  it('lets the keyboard leave the card where it entered: Tab goes on after the badge, Shift+Tab back to it', async () => {
    s.server.route(
      'github.com',
      '/medlens-fixtures/tabbing',
      '<!doctype html><html><head><title>tabbing</title></head><body><div id="readme"><article class="markdown-body">' +
        '<p><a id="before" href="#a">Before</a> We use CMeKG here. <a id="after" href="#b">After</a></p>' +
        `${'<p>Filler.</p>'.repeat(80)}<footer><a id="footer" href="#f">Footer</a></footer></article></div></body></html>`,
    );
    const page = await s.context.newPage();
    await page.goto(siteUrl('github.com', '/medlens-fixtures/tabbing'));
    await waitPass(page);
    await settle(page);
    const card = page.locator('cmed-card');
    const inCard = () => page.evaluate(() => document.activeElement?.localName === 'cmed-card');
    const active = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('data-catalog-entry') || document.activeElement?.localName);
    const enter = async () => {
      await page.locator('#before').focus();
      await page.keyboard.press('Tab');
      expect(await active()).toBe('cmekg');
      await expect.poll(() => card.isVisible(), { timeout: 5_000 }).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(inCard).toBe(true);
    };
    // Forward through every control of the card, then out: the link after the badge, the card closed.
    await enter();
    // The controls in tab order, and where Enter put the focus among them.
    const where = () =>
      card.evaluate((el) => {
        const list = [...el.shadowRoot!.querySelectorAll('a[href], button:not([disabled])')];
        return { count: list.length, at: list.indexOf(el.shadowRoot!.activeElement as Element) };
      });
    // Enter focuses the card itself (a dialog named by its title): Tab goes through every control from the first.
    const { count, at } = await where();
    expect(count).toBeGreaterThan(2);
    expect(at).toBe(-1);
    expect(await card.evaluate((el) => el.shadowRoot!.activeElement?.getAttribute('role'))).toBe('dialog');
    for (let i = -1; i < count - 1; i++) {
      await page.keyboard.press('Tab');
      expect((await where()).at).toBe(i + 1);
    }
    await page.keyboard.press('Tab');
    expect(await active()).toBe('after');
    await expect.poll(() => card.isVisible()).toBe(false);
    // Backward from the card itself, and from its first control: the badge again, not the footer.
    for (const into of [0, 1, count]) {
      await enter();
      for (let i = 0; i < into; i++) await page.keyboard.press('Tab');
      expect((await where()).at).toBe(into - 1);
      for (let i = into - 2; i >= 0; i--) {
        await page.keyboard.press('Shift+Tab');
        expect((await where()).at).toBe(i);
      }
      await page.keyboard.press('Shift+Tab');
      expect(await active()).toBe('cmekg');
      await expect.poll(() => card.isVisible()).toBe(false);
    }
    expect(await page.evaluate(() => scrollY)).toBeLessThan(200);
    await page.close();
  });

  it('opens the card on hover and on keyboard focus, closes on Esc, and saves a favorite', async () => {
    const page = await s.context.newPage();
    await page.goto(siteUrl('aclanthology.org', '/2020.emnlp-main.253/'));
    await waitPass(page);
    const badge = page.locator('cmed-badge[data-catalog-entry="medmentions"]');
    // The host is zero-size: the pointer meets its visual, at the end of the mention.
    await badge.locator('.k').hover();
    const card = page.locator('cmed-card');
    await expect.poll(() => card.locator('h2').textContent(), { timeout: 5_000 }).toContain('MedMentions');
    await expect.poll(() => card.isVisible()).toBe(true);
    expect(await badge.getAttribute('aria-expanded')).toBe('true');
    // Leaving with the mouse closes it.
    await page.mouse.move(5, 5);
    await expect.poll(() => card.isVisible(), { timeout: 3_000 }).toBe(false);

    // Keyboard: focus opens, Enter moves into the card, Esc closes and returns focus.
    const kb = page.locator('cmed-badge[data-catalog-entry="biobert"]');
    await kb.focus();
    await expect.poll(() => card.locator('h2').textContent(), { timeout: 5_000 }).toContain('BioBERT');
    await expect.poll(() => card.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    const star = card.locator('button.star');
    const focused = (sel: string) => card.locator(sel).evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement);
    await expect.poll(() => focused('[role=dialog]')).toBe(true);
    expect(await star.getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('Escape');
    await expect.poll(() => card.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-catalog-entry'))).toBe('biobert');

    // Save through the background: the star shows it, and a second click keeps it saved.
    await kb.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => star.isVisible()).toBe(true);
    await star.click();
    await expect.poll(() => star.getAttribute('aria-pressed')).toBe('true');
    await star.click();
    await page.waitForTimeout(300);
    expect(await star.getAttribute('aria-pressed')).toBe('true');
    const snap = (await send(s, 'favorites:get')) as { favorites: { entryId: string }[] };
    expect(snap.favorites.filter((f) => f.entryId === 'biobert')).toHaveLength(1);
    const cardData = (await send(s, 'catalog:card', { id: 'biobert' })) as { favorite: boolean; title: string };
    expect(cardData.favorite).toBe(true);
    // Its badge now carries the saved star, the others do not; and so after a reload, once the card module is in.
    const starOf = (id: string) => page.evaluate(savedStar, id);
    // The star is drawn, not read: every badge of a saved entry says so in its accessible name.
    const savedLabels = (id: string) => page.evaluate(savedLabelShare, id);
    await expect.poll(() => starOf('biobert')).toBe('"★"');
    expect(await starOf('medmentions')).toBe('none');
    await expect.poll(() => savedLabels('biobert')).toBe(1);
    expect(await savedLabels('medmentions')).toBe(0);
    expect(await page.getByRole('button', { name: /^MedNLP Lens: BioBERT.*saved to favorites/ }).count()).toBeGreaterThan(0);
    await page.reload();
    await waitPass(page);
    await expect.poll(() => starOf('biobert'), { timeout: 8_000 }).toBe('"★"');
    expect(await starOf('medmentions')).toBe('none');
    await expect.poll(() => savedLabels('biobert')).toBe(1);
    expect(await savedLabels('medmentions')).toBe(0);
    // Removed and saved again elsewhere (here, through the background as the popup does): the star and the labels follow, no card opened.
    await send(s, 'favorites:remove', { entryIds: ['biobert'] });
    await expect.poll(() => starOf('biobert'), { timeout: 5_000 }).toBe('none');
    await expect.poll(() => savedLabels('biobert')).toBe(0);
    await send(s, 'favorites:save', { entryId: 'biobert' });
    await expect.poll(() => starOf('biobert'), { timeout: 5_000 }).toBe('"★"');
    await expect.poll(() => savedLabels('biobert')).toBe(1);
    // A mention that arrives later is labelled saved once its pass ends.
    const marks = page.locator('cmed-badge[data-cmed-ui][data-catalog-entry="biobert"]');
    const before = await marks.count();
    await page.evaluate(() => document.querySelector('cmed-badge[data-catalog-entry="medmentions"]')!.parentElement!.append(' Later we also tried BioBERT.'));
    await expect.poll(() => marks.count(), { timeout: 5_000 }).toBe(before + 1);
    await expect.poll(() => savedLabels('biobert')).toBe(1);

    // The banner's star saves the page's own entry.
    const bannerStar = page.locator('cmed-banner button.star');
    await bannerStar.click();
    await expect.poll(() => bannerStar.getAttribute('aria-pressed')).toBe('true');
    const after = (await send(s, 'favorites:get')) as { favorites: { entryId: string }[] };
    expect(after.favorites.map((f) => f.entryId)).toContain('cometa-paper');
    await page.close();
  });

  it("leaves Esc to a modal dialog the page opens over a card opened by hovering: one Esc closes both", async () => {
    const page = await s.context.newPage();
    await page.goto(siteUrl('aclanthology.org', '/2020.emnlp-main.253/'));
    await waitPass(page);
    await page.locator('cmed-badge[data-catalog-entry="medmentions"] .b').hover();
    await expect.poll(() => page.locator('cmed-card').isVisible(), { timeout: 5_000 }).toBe(true);
    // The page's own dialog (a keyboard-shortcuts sheet), modal: it sits above our card.
    await page.evaluate(() => {
      const d = document.createElement('dialog');
      d.id = 'shortcuts';
      d.innerHTML = '<p>Shortcuts</p><button>OK</button>';
      document.body.append(d);
      d.showModal();
    });
    expect(await page.evaluate(() => (document.getElementById('shortcuts') as HTMLDialogElement).open)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => (document.getElementById('shortcuts') as HTMLDialogElement).open), { timeout: 3_000 }).toBe(false);
    await expect.poll(() => page.locator('cmed-card').isVisible(), { timeout: 3_000 }).toBe(false);
    await page.close();
  });

  it('opens a card above a modal dialog the badge is in, usable there; Esc closes the card, the next one the dialog', async () => {
    // The page's modal dialog is in the top layer, the rest of the page inert under its backdrop:
    // a card hung off the root element would be drawn under it and take no pointer or focus.
    s.server.route('github.com', '/medlens-fixtures/modal', hostileShell('<p>Nothing here.</p><dialog id="d"><p>Results on PubMedQA and CMeKG.</p><button id="ok">OK</button></dialog><p>BioBERT outside.</p>'));
    const page = await s.context.newPage();
    await page.goto(siteUrl('github.com', '/medlens-fixtures/modal'));
    await waitPass(page);
    await settle(page);
    await page.evaluate(() => (document.getElementById('d') as HTMLDialogElement).showModal());
    const badge = page.locator('#d cmed-badge[data-catalog-entry="pubmedqa"]');
    await expect.poll(() => badge.locator('.k').isVisible(), { timeout: 5_000 }).toBe(true);
    await badge.locator('.k').hover();
    const card = page.locator('cmed-card');
    await expect.poll(() => card.isVisible(), { timeout: 5_000 }).toBe(true);
    // What the pointer meets at the card's star is the card, and the star takes a click.
    const hit = await page.evaluate(() => {
      const star = document.querySelector('cmed-card')!.shadowRoot!.querySelector('button.star')!.getBoundingClientRect();
      return document.elementFromPoint(star.left + star.width / 2, star.top + star.height / 2)?.localName;
    });
    expect(hit).toBe('cmed-card');
    await card.locator('button.star').click();
    await expect.poll(() => card.locator('button.star').getAttribute('aria-pressed')).toBe('true');
    // From the keyboard too: focus on the badge, Enter into the card, Tab through it.
    await page.mouse.move(5, 5);
    await expect.poll(() => card.isVisible()).toBe(false);
    await page.locator('#d cmed-badge[data-catalog-entry="cmekg"]').focus();
    await expect.poll(() => card.isVisible(), { timeout: 5_000 }).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => card.locator('[role=dialog]').evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await page.keyboard.press('Tab');
    expect(await card.evaluate((el) => el.shadowRoot!.activeElement?.getAttribute('data-k'))).toBe('close');
    // Esc closes the card alone; the next one is the dialog's.
    await page.keyboard.press('Escape');
    await expect.poll(() => card.isVisible()).toBe(false);
    expect(await page.evaluate(() => (document.getElementById('d') as HTMLDialogElement).open)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => (document.getElementById('d') as HTMLDialogElement).open)).toBe(false);
    // Outside the dialog, once it is closed, the card opens as before.
    await page.locator('cmed-badge[data-catalog-entry="biobert"] .k').hover();
    await expect.poll(() => card.isVisible(), { timeout: 5_000 }).toBe(true);
    expect(await page.evaluate(() => document.querySelector('cmed-card')!.parentElement === document.documentElement)).toBe(true);
    await send(s, 'favorites:remove', { entryIds: ['pubmedqa'] });
    await page.close();
  });

  it("gives the card and the banner the page's tone, not the system's", async () => {
    // The same paper page, and a copy in a dark theme (as GitHub's or arXiv's HTML view can be).
    const html = fs.readFileSync(path.join(FIXTURE_DIR, 'aclanthology.org', '2020.emnlp-main.253.html'), 'utf8');
    s.server.route('aclanthology.org', '/2020.emnlp-main.253v9/', html.replace('</head>', '<style>html,body{background:#0d1117;color:#e6edf3}</style></head>'));
    const look = async (page: Page) => {
      await waitPass(page);
      await page.locator('cmed-badge[data-catalog-entry="medmentions"] .b').hover();
      await expect.poll(() => page.locator('cmed-card').isVisible(), { timeout: 5_000 }).toBe(true);
      return page.evaluate(() => {
        // With the brand mark: its disc in the brand's colour, its plus in the surface's.
        const bg = (host: string, box: string) => {
          const el = document.querySelector(host);
          const fill = (sel: string) => getComputedStyle(el!.shadowRoot!.querySelector(sel)!).fill;
          return { tone: el?.getAttribute('data-tone'), bg: getComputedStyle(el!.shadowRoot!.querySelector(box)!).backgroundColor, disc: fill('svg circle'), plus: fill('svg path') };
        };
        const saved = document.querySelector('cmed-banner')!.shadowRoot!.querySelector('button[aria-pressed=true]');
        return { card: bg('cmed-card', '.c'), banner: bg('cmed-banner', '.r'), saved: saved ? getComputedStyle(saved).backgroundColor : 'not saved' };
      });
    };
    // A light page on a dark system: light card and banner.
    const light = await s.context.newPage();
    await light.emulateMedia({ colorScheme: 'dark' });
    await light.goto(siteUrl('aclanthology.org', '/2020.emnlp-main.253/'));
    // The banner's plus is white on its pale tint: the disc around it keeps it apart.
    expect(await look(light)).toMatchObject({
      card: { tone: 'light', bg: 'rgb(255, 255, 255)', disc: 'rgb(11, 110, 102)', plus: 'rgb(255, 255, 255)' },
      banner: { tone: 'light', bg: 'rgb(241, 248, 247)', disc: 'rgb(11, 110, 102)', plus: 'rgb(255, 255, 255)' },
    });
    await light.close();
    // A dark page on a light system: dark card and banner; a saved entry's star keeps the brand's fill.
    await send(s, 'favorites:save', { entryId: 'cometa-paper' });
    const dark = await s.context.newPage();
    await dark.goto(siteUrl('aclanthology.org', '/2020.emnlp-main.253v9/'));
    expect(await look(dark)).toEqual({
      card: { tone: 'dark', bg: 'rgb(21, 33, 32)', disc: 'rgb(79, 193, 181)', plus: 'rgb(21, 33, 32)' },
      banner: { tone: 'dark', bg: 'rgb(16, 41, 42)', disc: 'rgb(79, 193, 181)', plus: 'rgb(16, 41, 42)' },
      saved: 'rgb(11, 110, 102)',
    });
    await dark.screenshot({ path: path.join(ROOT, 'tests', 'e2e', 'out', 'annotator-dark-page-card.png') });
    await dark.close();
  });

  it('gives the banner and an open card the new tone of a page that follows the system from light to dark', async () => {
    const html = fs.readFileSync(path.join(FIXTURE_DIR, 'aclanthology.org', '2020.emnlp-main.253.html'), 'utf8');
    // Its colours fade over 0.2 s, as some sites' themes do: what the page shows when the switch is announced is still the old one.
    s.server.route(
      'aclanthology.org',
      '/2020.emnlp-main.253v8/',
      html.replace('</head>', '<style>html,body{transition:background-color .2s,color .2s}@media (prefers-color-scheme: dark){html,body{background:#0d1117;color:#e6edf3}}</style></head>'),
    );
    const page = await s.context.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(siteUrl('aclanthology.org', '/2020.emnlp-main.253v8/'));
    await waitPass(page);
    await page.locator('cmed-badge[data-catalog-entry="medmentions"] .b').hover();
    await expect.poll(() => page.locator('cmed-card').isVisible(), { timeout: 5_000 }).toBe(true);
    const tones = () => page.evaluate(() => ['cmed-banner', 'cmed-card'].map((t) => document.querySelector(t)?.getAttribute('data-tone')));
    expect(await tones()).toEqual(['light', 'light']);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(tones, { timeout: 5_000 }).toEqual(['dark', 'dark']);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(tones, { timeout: 5_000 }).toEqual(['light', 'light']);
    await page.close();
  });

  it("draws badges and highlights for the page's declared color scheme", async () => {
    // GitHub's pages carry <meta name="color-scheme" content="light dark">: the system's preference
    // decides. A page may also declare `color-scheme: dark` itself; one that declares nothing is light.
    const html = fs.readFileSync(path.join(FIXTURE_DIR, 'github.com', 'medlens-fixtures', 'zh-medical-notes.html'), 'utf8');
    s.server.route('github.com', '/medlens-fixtures/zh-medical-notes-meta', html.replace('</head>', '<meta name="color-scheme" content="light dark"></head>'));
    s.server.route('github.com', '/medlens-fixtures/zh-medical-notes-dark', html.replace('</head>', '<style>:root{color-scheme:dark}html,body{background:#0d1117;color:#e6edf3}</style></head>'));
    const look = async (pathname: string, system: 'light' | 'dark') => {
      const page = await s.context.newPage();
      await page.emulateMedia({ colorScheme: system });
      await page.goto(siteUrl('github.com', pathname));
      await waitPass(page);
      // The badge's visual is drawn when the annotator places it, after the frame that follows the pass.
      await page.waitForFunction(() => document.querySelector('cmed-badge[data-catalog-entry="cblue"]')?.shadowRoot?.querySelector('.b'), null, { timeout: 5_000 });
      const seen = await page.evaluate(() => {
        const host = document.querySelector('cmed-badge[data-catalog-entry="cblue"]')!;
        const mark = getComputedStyle(host.parentElement!, '::highlight(cmed-mention)');
        return { ring: getComputedStyle(host.shadowRoot!.querySelector('.k')!).boxShadow, tint: mark.backgroundColor, line: mark.textDecorationColor };
      });
      await page.close();
      return seen;
    };
    const light = { ring: 'rgba(255, 255, 255, 0.85) 0px 0px 0px 1px', tint: 'rgba(11, 110, 102, 0.13)', line: 'rgba(11, 110, 102, 0.85)' };
    const dark = { ring: 'rgba(13, 17, 23, 0.85) 0px 0px 0px 1px', tint: 'rgba(79, 193, 181, 0.2)', line: 'rgba(79, 193, 181, 0.9)' };
    expect(await look('/medlens-fixtures/zh-medical-notes', 'dark')).toEqual(light);
    expect(await look('/medlens-fixtures/zh-medical-notes-meta', 'light')).toEqual(light);
    expect(await look('/medlens-fixtures/zh-medical-notes-meta', 'dark')).toEqual(dark);
    expect(await look('/medlens-fixtures/zh-medical-notes-dark', 'light')).toEqual(dark);
  });

  it("keeps badges and pressed stars visible in forced colours (Windows High Contrast): in the palette's link and highlight colours", async () => {
    const look = async (scheme: 'light' | 'dark') => {
      const page = await s.context.newPage();
      await page.emulateMedia({ forcedColors: 'active', colorScheme: scheme });
      await page.goto(siteUrl('github.com', '/medlens-fixtures/zh-medical-notes'));
      await waitPass(page);
      await page.waitForFunction(() => document.querySelector('cmed-badge[data-catalog-entry="cblue"]')?.shadowRoot?.querySelector('.b[style]'), null, { timeout: 5_000 });
      const pill = page.locator('cmed-badge[data-catalog-entry="cblue"] .k').first();
      const colours = () => pill.evaluate(pillColours);
      const palette = await page.evaluate(paletteColours);
      const rest = await colours();
      await pill.hover();
      const hovered = await colours();
      await page.close();
      return { palette, rest, hovered };
    };
    for (const scheme of ['light', 'dark'] as const) {
      const { palette, rest, hovered } = await look(scheme);
      expect(palette.link).not.toBe(palette.canvas);
      // Without rules of its own the pill took the page's Canvas and vanished into it, its plus with it.
      expect(rest).toEqual({ pill: palette.link, text: palette.canvas, disc: palette.canvas, plus: palette.link });
      expect(hovered).toEqual({ pill: palette.highlight, text: palette.highlightText, disc: palette.highlightText, plus: palette.highlight });
    }
    // The pressed star of a saved entry keeps its fill, in the highlight colours: on the banner and in the card.
    await send(s, 'favorites:save', { entryId: 'cometa-paper' });
    await send(s, 'favorites:save', { entryId: 'biobert' });
    const page = await s.context.newPage();
    await page.emulateMedia({ forcedColors: 'active' });
    await page.goto(siteUrl('aclanthology.org', '/2020.emnlp-main.253/'));
    await waitPass(page);
    await page.locator('cmed-badge[data-catalog-entry="biobert"]').focus();
    const pressed = (host: string) =>
      page.evaluate((host) => {
        const b = document.querySelector(host)?.shadowRoot?.querySelector('button[aria-pressed=true]');
        return b ? { bg: getComputedStyle(b).backgroundColor, fg: getComputedStyle(b).color } : null;
      }, host);
    const p = await page.evaluate(paletteColours);
    const system = { bg: p.highlight, fg: p.highlightText };
    await expect.poll(() => pressed('cmed-banner'), { timeout: 5_000 }).toEqual(system);
    await expect.poll(() => pressed('cmed-card'), { timeout: 5_000 }).toEqual(system);
    await page.close();
  });

  it("leaves a page's own look-alike of a badge alone: its sheet is not restyled, it is not counted or gone to", async () => {
    // The page makes a <cmed-badge data-catalog-entry="biobert"> of its own, with an open shadow root and an adopted sheet.
    const html = fs.readFileSync(path.join(FIXTURE_DIR, 'aclanthology.org', '2020.emnlp-main.253.html'), 'utf8');
    const script = `<script>
      const fake = document.createElement('cmed-badge');
      fake.setAttribute('data-catalog-entry', 'biobert');
      const sheet = new CSSStyleSheet();
      sheet.replaceSync('.own { color: rgb(1, 2, 3); }');
      const root = fake.attachShadow({ mode: 'open' });
      root.adoptedStyleSheets = [sheet];
      root.innerHTML = '<span class="own">page-made</span>';
      document.body.prepend(fake);
    </script>`;
    // A second mention of BioBERT in the abstract, so that the card has steps to count.
    const page2 = html.replace('<i>BioBERT</i>-style encoders', '<i>BioBERT</i>-style encoders (BioBERT and others)');
    expect(page2).not.toBe(html);
    s.server.route('aclanthology.org', '/2020.emnlp-main.253v8/', page2.replace('</body>', `${script}</body>`));
    await send(s, 'favorites:save', { entryId: 'biobert' });
    const page = await s.context.newPage();
    await page.goto(siteUrl('aclanthology.org', '/2020.emnlp-main.253v8/'));
    await waitPass(page);
    const ours = page.locator('cmed-badge[data-cmed-ui][data-catalog-entry="biobert"]');
    // The card module is in once our badges carry the saved star.
    await expect
      .poll(() => ours.first().evaluate((b) => getComputedStyle(b.shadowRoot!.querySelector('.k')!, '::after').content), { timeout: 8_000 })
      .toBe('"★"');
    const fake = await page.evaluate(() => {
      const f = document.querySelector('cmed-badge:not([data-cmed-ui])')!;
      const own = f.shadowRoot!.querySelector('.own')!;
      return { rules: Array.from(f.shadowRoot!.adoptedStyleSheets[0].cssRules, (r) => r.cssText), colour: getComputedStyle(own).color, label: f.getAttribute('aria-label') };
    });
    expect(fake).toEqual({ rules: ['.own { color: rgb(1, 2, 3); }'], colour: 'rgb(1, 2, 3)', label: null });
    expect(await ours.count()).toBe(2);
    await ours.first().focus();
    const steps = () => page.locator('cmed-card').evaluate((c) => c.shadowRoot!.querySelector('.n')?.textContent ?? null);
    await expect.poll(steps, { timeout: 5_000 }).toBe('‹1 of 2›');
    // Round the ends through our two marks only, never to the page's element.
    for (const at of ['‹2 of 2›', '‹1 of 2›']) {
      await page.locator('cmed-card').evaluate((c) => (c.shadowRoot!.querySelector('[data-k="next"]') as HTMLElement).click());
      await expect.poll(steps).toBe(at);
      expect(await page.evaluate(() => document.querySelector('cmed-badge:not([data-cmed-ui])')!.getAttribute('aria-expanded'))).toBeNull();
    }
    await page.close();
  });

  it('prints the page alone: no badge, banner, card or highlight under print media', async () => {
    const page = await s.context.newPage();
    await page.goto(siteUrl('aclanthology.org', '/2020.emnlp-main.253/'));
    await waitPass(page);
    await page.waitForFunction(() => document.querySelector('cmed-badge[data-catalog-entry="medmentions"]')?.shadowRoot?.querySelector('.b[style]'), null, { timeout: 5_000 });
    await page.locator('cmed-badge[data-catalog-entry="medmentions"]').focus();
    await expect.poll(() => page.locator('cmed-card').isVisible(), { timeout: 5_000 }).toBe(true);
    const seen = () =>
      page.evaluate(() => {
        const shown = (el: Element | null | undefined) => !!el && getComputedStyle(el).display !== 'none';
        const visuals = Array.from(document.querySelectorAll('cmed-badge[data-cmed-ui]'), (b) => b.shadowRoot?.querySelector('.b'));
        const mark = getComputedStyle(document.querySelector('cmed-badge[data-catalog-entry="medmentions"]')!.parentElement!, '::highlight(cmed-mention)');
        return {
          badges: visuals.filter(shown).length,
          of: visuals.length,
          banner: shown(document.querySelector('cmed-banner')),
          card: shown(document.querySelector('cmed-card')),
          tint: mark.backgroundColor,
          line: mark.textDecorationLine,
        };
      });
    const screen = await seen();
    expect(screen).toMatchObject({ badges: screen.of, banner: true, card: true, tint: 'rgba(11, 110, 102, 0.13)', line: 'underline' });
    expect(screen.of).toBeGreaterThan(2);
    // A media change reaches the badges' shadow trees with the next style update, which a
    // busy machine may deliver a frame later: polled.
    await page.emulateMedia({ media: 'print' });
    await expect.poll(seen, { timeout: 2_000 }).toEqual({ badges: 0, of: screen.of, banner: false, card: false, tint: 'rgba(0, 0, 0, 0)', line: 'none' });
    await page.emulateMedia({ media: 'screen' });
    await expect.poll(seen, { timeout: 2_000 }).toEqual(screen);
    await page.close();
  });

  it('keeps a card opened from the keyboard open when its fresh data re-renders it', async () => {
    const page = await s.context.newPage();
    await page.goto(siteUrl('aclanthology.org', '/2020.emnlp-main.253/'));
    await waitPass(page);
    // Focus and Enter at once, on a page that has not loaded the card module yet: the card opens
    // with focus inside, then re-renders when its data arrives from the background.
    await page.locator('cmed-badge[data-catalog-entry="biobert"]').focus();
    await page.keyboard.press('Enter');
    const card = page.locator('cmed-card');
    await expect.poll(() => card.locator('h2').textContent(), { timeout: 5_000 }).toContain('BioBERT');
    // Longer than the close delays (150 and 250 ms): nothing may close it behind the reader's back.
    await page.waitForTimeout(600);
    expect(await card.isVisible()).toBe(true);
    expect(await card.locator('[role=dialog]').evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await page.close();
  });

  it("goes from mention to mention of an entry with the card's arrows, scrolling each into view", async () => {
    const page = await s.context.newPage();
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.goto(siteUrl('arxiv.org', '/html/2402.10987v1'));
    await waitPass(page);
    // An entry named twice on the page, its two marks more than a screen apart.
    const id = 'pubmedqa';
    const marks = page.locator(`cmed-badge[data-catalog-entry="${id}"]`);
    expect(await marks.count()).toBe(2);
    const tops = await marks.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    expect(tops[1] - tops[0]).toBeGreaterThan(700);
    await marks.nth(0).focus();
    await page.keyboard.press('Enter');
    const card = page.locator('cmed-card');
    const nav = card.locator('.n');
    await expect.poll(() => nav.textContent(), { timeout: 5_000 }).toBe('‹1 of 2›');
    const next = card.locator('[data-k="next"]');
    expect(await next.getAttribute('aria-label')).toBe('Next mention on the page');
    await next.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => marks.nth(1).getAttribute('aria-expanded')).toBe('true');
    expect(await marks.nth(0).getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => nav.textContent()).toBe('‹2 of 2›');
    // The second mark is in view and the card stands beside it, with the keyboard still on the arrow.
    await page.waitForTimeout(300);
    const g = await page.evaluate(() => {
      const badge = document.querySelectorAll('cmed-badge[data-catalog-entry="pubmedqa"]')[1];
      const visual = badge.shadowRoot!.querySelector('.b')!.getBoundingClientRect();
      const box = document.querySelector('cmed-card')!.shadowRoot!.querySelector('.c')!.getBoundingClientRect();
      const active = document.querySelector('cmed-card')!.shadowRoot!.activeElement?.getAttribute('data-k');
      return { badge: visual.top, card: { top: box.top, bottom: box.bottom }, active, height: innerHeight };
    });
    expect(g.badge).toBeGreaterThan(0);
    expect(g.badge).toBeLessThan(g.height);
    expect(Math.min(Math.abs(g.card.top - g.badge), Math.abs(g.card.bottom - g.badge))).toBeLessThan(60);
    expect(g.active).toBe('next');
    await page.screenshot({ path: path.join(ROOT, 'tests', 'e2e', 'out', 'annotator-card-mentions.png') });
    // What we add to the page passes axe-core: the badges, and the open card with its arrows.
    expect(await axeOurs(page, ['cmed-card', 'cmed-badge'])).toEqual([]);
    // Round the end, back to the first.
    await page.keyboard.press('Enter');
    await expect.poll(() => marks.nth(0).getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => nav.textContent()).toBe('‹1 of 2›');
    await page.close();
  });

  it("keeps the card open when its arrows are clicked with the mouse, under the pointer beside the next mention", async () => {
    const page = await s.context.newPage();
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.goto(siteUrl('arxiv.org', '/html/2402.10987v1'));
    await waitPass(page);
    await waitPlaced(page);
    const marks = page.locator('cmed-badge[data-catalog-entry="pubmedqa"]');
    await marks.nth(0).scrollIntoViewIfNeeded();
    await marks.nth(0).locator('.k').hover();
    const card = page.locator('cmed-card');
    const nav = card.locator('.n');
    await expect.poll(() => nav.textContent(), { timeout: 5_000 }).toBe('‹1 of 2›');
    // A real click: the pointer moves onto the arrow, presses, and stays where it is.
    await card.locator('[data-k="next"]').click();
    await expect.poll(() => nav.textContent()).toBe('‹2 of 2›');
    await page.waitForTimeout(700);
    expect(await card.locator('.c').isVisible()).toBe(true);
    expect(await marks.nth(1).getAttribute('aria-expanded')).toBe('true');
    // And once more, round to the first mention.
    await card.locator('[data-k="next"]').click();
    await expect.poll(() => nav.textContent()).toBe('‹1 of 2›');
    await page.waitForTimeout(700);
    expect(await card.locator('.c').isVisible()).toBe(true);
    await page.close();
  });

  it('follows the per-site switch at once: off removes every mark, on brings them back', async () => {
    const exp = FIXTURES.find((f) => f.file === 'arxiv.org/list/cs.CL/new.expected.json')!.expected;
    const page = await s.context.newPage();
    await page.goto(exp.url);
    await waitPass(page);
    await settle(page);
    expect((await marks(page)).entries).toEqual(exp.entries);
    await whileOff(s, page, 'arxiv', async () => {
      const off = await marks(page);
      expect(off.ui).toBe(0);
      expect(off.highlights).toBe(0);
      await expect.poll(() => toolbarBadge(s, page.url()), { timeout: 5_000 }).toBe('');
    });
    await page.waitForFunction(() => document.documentElement.getAttribute('data-cmed-annotator') === 'idle', null, { timeout: 5_000 });
    await settle(page);
    expect((await marks(page)).entries).toEqual(exp.entries);
    await page.close();
  });

  it('annotates each client-side view on GitHub and never duplicates badges after back/forward', async () => {
    const notes = FIXTURES.find((f) => f.file.includes('zh-medical-notes'))!.expected;
    const cblue = FIXTURES.find((f) => f.file.includes('CBLUEbenchmark'))!.expected;
    const cbluePage = fs.readFileSync(path.join(FIXTURE_DIR, 'github.com', 'CBLUEbenchmark', 'CBLUE.html'), 'utf8');
    const page = await s.context.newPage();
    await page.goto(notes.url);
    await waitPass(page);
    await settle(page);
    expect((await marks(page)).entries).toEqual(notes.entries);

    // Soft navigation the way Turbo does it (see softVisitCblue).
    const before = (await lastPass(page))!.pass;
    await page.evaluate(softVisitCblue, cbluePage);
    await waitPass(page, before);
    await settle(page);
    let got = await marks(page);
    expect(got.entries).toEqual(cblue.entries);
    expect(got.page).toBe(cblue.page);
    await expect.poll(() => toolbarBadge(s, page.url()), { timeout: 5_000 }).toBe('3');

    // A move back or forward, the page restoring that view from its cache with copies of our
    // badges: still exactly one badge and one highlight per mention.
    const move = async (forward: boolean, view: typeof notes) => {
      const p0 = (await lastPass(page))!.pass;
      await page.evaluate(softMove, forward);
      await waitPass(page, p0);
      await settle(page);
      got = await marks(page);
      expect(got.entries).toEqual(view.entries);
      expect(got.page).toBe(view.page);
      expect(got.highlights).toBe(sum(view.entries));
    };
    // Back: the page restores its cached snapshot, stale badge copies included.
    await move(false, notes);

    // Forward and back twice; the toolbar counts the view shown.
    for (let i = 0; i < 2; i++) {
      for (const [forward, view] of [[true, cblue], [false, notes]] as const) {
        await move(forward, view);
        await expect.poll(() => toolbarBadge(s, page.url()), { timeout: 5_000 }).toBe(String(distinctEntries(view)));
      }
    }
    await page.close();
  });

  it("takes no repository from a head a soft navigation left behind: no banner of the page before, no count of it", async () => {
    const cblue = FIXTURES.find((f) => f.file.includes('CBLUEbenchmark'))!.expected;
    const page = await s.context.newPage();
    await page.goto(cblue.url);
    await waitPass(page);
    await settle(page);
    expect((await marks(page)).page).toBe('cblue');
    // A React soft navigation to another repository's front page, one outside the catalog whose
    // README names PubMedQA: the view changes, the head (og:title, canonical link) stays CBLUE's.
    const before = (await lastPass(page))!.pass;
    await page.evaluate(() => {
      history.pushState({}, '', '/medlens-fixtures/qa-notes');
      document.querySelector('main')!.innerHTML = '<div id="readme"><article class="markdown-body"><p>We evaluate on PubMedQA.</p></article></div>';
      document.dispatchEvent(new Event('soft-nav:react-done', { bubbles: true }));
    });
    expect(await page.evaluate(() => [document.querySelector('meta[property="og:title"]')!.getAttribute('content'), document.querySelector('link[rel=canonical]')!.getAttribute('href')])).toEqual([
      expect.stringMatching(/^CBLUEbenchmark\/CBLUE:/),
      'https://github.com/CBLUEbenchmark/CBLUE',
    ]);
    await waitPass(page, before);
    await settle(page);
    const got = await marks(page);
    expect(got.entries).toEqual({ pubmedqa: 1 });
    expect(got.page).toBeNull();
    await expect.poll(() => toolbarBadge(s, page.url()), { timeout: 5_000 }).toBe('1');
    const listed = (await send(s, 'page:get', { tabId: await tabIdOf(s, page.url()) })) as { entryIds: string[] } | null;
    expect(listed?.entryIds).toEqual(['pubmedqa']);
    // A page loaded with such a head is another matter: the head is its own (a repository
    // renamed, the canonical link naming the new name), and it still counts.
    s.server.route(
      'github.com',
      '/medlens-fixtures/cblue-old-name',
      '<!doctype html><html><head><link rel="canonical" href="https://github.com/CBLUEbenchmark/CBLUE"></head><body><main><div id="readme"><article class="markdown-body"><p>We evaluate on PubMedQA.</p></article></div></main></body></html>',
    );
    await page.goto(siteUrl('github.com', '/medlens-fixtures/cblue-old-name'));
    await waitPass(page);
    await settle(page);
    expect(await marks(page)).toMatchObject({ entries: { pubmedqa: 1 }, page: 'cblue' });
    await expect.poll(() => toolbarBadge(s, page.url()), { timeout: 5_000 }).toBe('2');
    await page.close();
  });

  it('catches content that arrives later and forgets content that leaves', async () => {
    const notes = FIXTURES.find((f) => f.file.includes('zh-medical-notes'))!.expected;
    const page = await s.context.newPage();
    await page.goto(notes.url);
    await waitPass(page);
    await settle(page);
    const p0 = (await lastPass(page))!.pass;
    await page.evaluate(appendToReadme, ['late', 'Later we added <em>Pub</em>MedQA and <code>MedMentions</code>.'] as [string, string]);
    const d = await waitPass(page, p0);
    expect(d.kind).toBe('incremental');
    await settle(page);
    expect((await marks(page)).entries).toEqual({ ...notes.entries, pubmedqa: 1 });
    // Editing the text of an annotated node re-reads just that block.
    const p1 = (await lastPass(page))!.pass;
    await page.evaluate(() => {
      const em = document.querySelector('#late em')!;
      (em.firstChild as Text).data = 'Pap';
    });
    await waitPass(page, p1);
    await settle(page);
    expect((await marks(page)).entries).toEqual(notes.entries);
    // A block with a mention that then leaves: its badge, its highlight and its count on the toolbar go.
    const p2 = (await lastPass(page))!.pass;
    await page.evaluate(appendToReadme, ['gone', 'Compare PubMedQA.'] as [string, string]);
    await waitPass(page, p2);
    await settle(page);
    let got = await marks(page);
    expect(got.entries).toEqual({ ...notes.entries, pubmedqa: 1 });
    expect(got.highlights).toBe(sum(notes.entries) + 1);
    await expect.poll(() => toolbarBadge(s, page.url()), { timeout: 5_000 }).toBe(String(distinctEntries(notes) + 1));
    // Text rewritten in place, the name at the same offsets (as a framework sets a text node's
    // value): the browser collapses our range in it, and the next pass makes it anew.
    const highlightedIn = (id: string) =>
      page.evaluate((id) => {
        const ranges = [...((CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('cmed-mention') ?? [])];
        return ranges.filter((r) => document.getElementById(id)!.contains(r.startContainer)).map((r) => r.toString());
      }, id);
    expect(await highlightedIn('gone')).toEqual(['PubMedQA']);
    const p3 = (await lastPass(page))!.pass;
    await page.evaluate(() => void ((document.getElementById('gone')!.firstChild as Text).data = 'Compare PubMedQA, again.'));
    await waitPass(page, p3);
    await settle(page);
    expect(await highlightedIn('gone')).toEqual(['PubMedQA']);
    expect((await marks(page)).entries).toEqual({ ...notes.entries, pubmedqa: 1 });
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('#gone cmed-badge')!.shadowRoot!.querySelector('.b')!).display)).not.toBe('none');
    await page.evaluate(() => document.getElementById('gone')!.remove());
    await expect.poll(async () => (await marks(page)).highlights, { timeout: 5_000 }).toBe(sum(notes.entries));
    got = await marks(page);
    expect(got.entries).toEqual(notes.entries);
    await expect.poll(() => toolbarBadge(s, page.url()), { timeout: 5_000 }).toBe(String(distinctEntries(notes)));
    await page.close();
  });

  describe('real saved pages stay untouched', () => {
    for (const { host, path: p, file } of SAVED_PAGES) {
      it(`${host}${p}`, async () => {
        const html = fs.readFileSync(path.join(SHARED_PAGES, file));
        s.server.route(host, p, html);
        const page = await s.context.newPage();
        await page.goto(siteUrl(host, p));
        const d = await waitPass(page);
        expect(d.error).toBeUndefined();
        expect(d.kind).toBe('full');
        await settle(page);
        const got = await marks(page);
        expect(got.entries).toEqual({});
        expect(got.page).toBeNull();
        expect(got.ui).toBe(0);
        await page.close();
      });
    }
  });

  it('takes a move to an anchor of the same page, and back, for no new page', async () => {
    const notes = FIXTURES.find((f) => f.file.includes('zh-medical-notes'))!.expected;
    const count = String(distinctEntries(notes));
    const page = await s.context.newPage();
    await page.goto(siteUrl('github.com', '/medlens-fixtures/zh-medical-notes'));
    await waitPass(page);
    const before = await settle(page);
    await expect.poll(() => toolbarBadge(s, page.url()), { timeout: 5_000 }).toBe(count);
    // A table-of-contents click, then the back button: popstate and the Navigation API both see them.
    await page.evaluate(() => {
      location.hash = '#data';
    });
    await page.waitForTimeout(300);
    // Still the same page: the toolbar keeps its count, and the popup its list.
    expect(await toolbarBadge(s, page.url())).toBe(count);
    await page.goBack();
    expect(page.url()).not.toContain('#');
    const after = await settle(page, 600);
    expect(after?.pass).toBe(before?.pass);
    expect(await toolbarBadge(s, page.url())).toBe(count);
    // Chrome reports a commit that keeps the URL (the same anchor clicked again, a
    // replaceState) as a tab "loading" with no URL, as it does a reload: still the same page.
    await page.evaluate(() => {
      location.hash = '#data';
    });
    await page.evaluate(() => {
      location.hash = '#data';
      history.replaceState(history.state, '');
    });
    await page.waitForTimeout(300);
    expect(await toolbarBadge(s, page.url())).toBe(count);
    // A reload is a new page: its own pass reports again, the same count.
    await page.reload();
    await waitPass(page);
    await expect.poll(() => toolbarBadge(s, page.url()), { timeout: 5_000 }).toBe(count);
    await page.close();
  });

  it('counts the page again after a quick move away and back by history.pushState alone, its popup list too', async () => {
    const notes = FIXTURES.find((f) => f.file.includes('zh-medical-notes'))!.expected;
    const count = String(distinctEntries(notes));
    const url = siteUrl('github.com', '/medlens-fixtures/zh-medical-notes');
    const page = await s.context.newPage();
    await page.goto(url);
    await waitPass(page);
    await settle(page);
    await expect.poll(() => toolbarBadge(s, url), { timeout: 5_000 }).toBe(count);
    const tabId = await tabIdOf(s, url);
    // Away and back within one task, with no Turbo or React event: the content script's pass
    // finds what it reported before, and the background saw the tab leave the page.
    const p0 = (await lastPass(page))!.pass;
    await page.evaluate(() => {
      history.pushState({}, '', '/medlens-fixtures/zh-medical-notes/pulls');
      history.pushState({}, '', '/medlens-fixtures/zh-medical-notes');
    });
    await waitPass(page, p0);
    await settle(page);
    await expect.poll(() => toolbarBadge(s, url), { timeout: 5_000 }).toBe(count);
    const listed = (await send(s, 'page:get', { tabId })) as { entryIds: string[]; url: string } | null;
    expect(listed?.url).toBe(url);
    expect([...(listed?.entryIds ?? [])].sort()).toEqual(Object.keys(notes.entries).sort());
    await page.close();
  });

  it("forgets the page's count and list when a reload ends on the browser's error page", async () => {
    const notes = FIXTURES.find((f) => f.file.includes('zh-medical-notes'))!.expected;
    const page = await s.context.newPage();
    const url = siteUrl('github.com', '/medlens-fixtures/zh-medical-notes');
    await page.goto(url);
    await waitPass(page);
    await expect.poll(() => toolbarBadge(s, url), { timeout: 5_000 }).toBe(String(distinctEntries(notes)));
    // Offline: the reload fails and Chrome shows its error page under the same URL.
    await page.route('**/*', (r) => r.abort('internetdisconnected'));
    await page.reload().catch(() => undefined);
    await expect.poll(() => page.evaluate(() => location.protocol).catch(() => 'none'), { timeout: 5_000 }).toBe('chrome-error:');
    await expect.poll(() => toolbarBadge(s, url), { timeout: 5_000 }).toBe('');
    const tabId = await s.worker.evaluate(async (url) => {
      const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number; url?: string }[]> } } }).chrome;
      return (await c.tabs.query({})).find((t) => t.url === url)?.id ?? -1;
    }, url);
    expect(tabId).toBeGreaterThan(0);
    // The background finds out when the error page has finished loading.
    await expect.poll(() => send(s, 'page:get', { tabId }), { timeout: 5_000 }).toBeNull();
    // Back online, a reload annotates and counts again.
    await page.unroute('**/*');
    await page.reload();
    await waitPass(page);
    await expect.poll(() => toolbarBadge(s, url), { timeout: 5_000 }).toBe(String(distinctEntries(notes)));
    await page.close();
  });

  it('costs nothing on a page of its sites it does not read, until a soft navigation leads to one', async () => {
    // GitHub's view of a Python file: catalog names in code, on a page type no adapter reads.
    const code = Array.from({ length: 400 }, (_, i) => `<tr><td class="blob-num">${i + 1}</td><td class="blob-code">ds = load("PubMedQA")  # PubMedQA: A Dataset for Biomedical Research Question Answering, CMeKG, 瑞金医院糖尿病数据集</td></tr>`).join('');
    s.server.route('github.com', '/medlens-fixtures/zh-medical-notes/blob/main/train.py', `<!doctype html><html><head><title>train.py</title></head><body><main><table>${code}</table></main></body></html>`);
    const page = await s.context.newPage();
    await page.goto(siteUrl('github.com', '/medlens-fixtures/zh-medical-notes/blob/main/train.py'));
    await page.waitForTimeout(1500);
    const quiet = () =>
      page.evaluate(() => ({
        state: document.documentElement.getAttribute('data-cmed-annotator'),
        compiled: performance.getEntriesByName('cmed:compile').length,
        passes: performance.getEntriesByName('cmed:annotate').length,
      }));
    // The script ran (its marker) but asked for nothing: no matcher loaded, no pass, no marks.
    expect(await quiet()).toEqual({ state: 'ready', compiled: 0, passes: 0 });
    expect((await marks(page)).entries).toEqual({});
    // A client-side navigation to the repository's README page starts the annotator there.
    const readme = fs.readFileSync(path.join(FIXTURE_DIR, 'github.com', 'medlens-fixtures', 'zh-medical-notes.html'), 'utf8');
    const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(readme)![1];
    await page.evaluate((html) => {
      document.body.innerHTML = html;
      history.pushState({}, '', '/medlens-fixtures/zh-medical-notes');
    }, body);
    await waitPass(page);
    expect((await marks(page)).entries).toMatchObject({ cblue: 2, 'yidu-s4k': 1 });
    await page.close();
  });

  describe('hostile pages', () => {
    const shell = hostileShell;

    async function visit(name: string, html: string): Promise<{ page: Page; detail: PassDetail }> {
      s.server.route('github.com', `/hostile/${name}`, html);
      const page = await s.context.newPage();
      await page.goto(siteUrl('github.com', `/hostile/${name}`), { timeout: 60_000 });
      const detail = await waitPass(page, 0, 60_000);
      return { page, detail };
    }

    /**
     * The pass ended without an error, and no slice of its work held the main thread long
     * enough for a reader to notice (100 ms). The 50 ms task budget is a speed figure, measured
     * by `npm run bench` (13 ms here at most) rather than asserted here, where a loaded CI
     * machine would make it flaky.
     */
    function responsive(detail: PassDetail) {
      expect(detail.error).toBeUndefined();
      expect(detail.maxSliceMs).toBeGreaterThan(0);
      expect(detail.maxSliceMs).toBeLessThan(100);
    }

    /**
     * Visits a hostile page and checks {@link responsive}. Loading such a page makes the page's
     * own garbage collections long (a CPU profile of loads of the 10 MB page: 200–766 ms of
     * collection, against at most 28 ms for any function of ours), and one that lands in a
     * slice stretches it (364.8 ms once in a full run, and 454.7 ms in one of three visits with
     * the build before the thirty-sixth session; 118 ms twice in a row on a machine busy with five
     * other builds and test runs). Such a reading is taken again, on a fresh visit, up to three
     * visits: a pass that no longer yields goes past the bound on every visit.
     */
    async function visitResponsive(name: string, html: string): Promise<{ page: Page; detail: PassDetail }> {
      let v = await visit(name, html);
      for (let again = 2; again > 0 && v.detail.maxSliceMs >= 100; again--) {
        console.warn(`${name}: longest slice ${v.detail.maxSliceMs} ms; visiting once more`);
        await v.page.close();
        v = await visit(name, html);
      }
      responsive(v.detail);
      return v;
    }

    it('a 10 MB text node (scanned in windows, the name at its end still found)', async () => {
      const { page, detail } = await visitResponsive('big-text', shell(hostileBigText()));
      // Far more work than one slice: it was split, and the page ran between the slices.
      expect(detail.slices).toBeGreaterThan(2);
      expect((await marks(page)).entries).toEqual({ pubmedqa: 1 });
      await page.close();
    }, 120_000);

    it(`names repeated thousands of times: at most ${MAX_BLOCK_MENTIONS} marks a block and ${MAX_MENTIONS} a page, in slices`, async () => {
      const pages = hostileRepeats(MAX_BLOCK_MENTIONS, MAX_MENTIONS);
      for (const [name, body, marked] of pages) {
        const { page, detail } = await visitResponsive(name, shell(body));
        expect(detail.mentions, name).toBe(marked);
        expect((await marks(page)).entries, name).toEqual({ pubmedqa: marked });
        // Asked again over the same page, the annotator changes nothing.
        const before = (await lastPass(page))!.pass;
        await page.evaluate(() => document.dispatchEvent(new Event('turbo:render', { bubbles: true })));
        const again = await waitPass(page, before, 60_000);
        expect(again.mentions, name).toBe(marked);
        expect((await marks(page)).entries, name).toEqual({ pubmedqa: marked });
        await page.close();
      }
    }, 180_000);

    it('100,000 elements', async () => {
      const { page, detail } = await visitResponsive('many-elements', shell(hostileManyElements()));
      // Far more work than one slice: it was split, and the page ran between the slices.
      expect(detail.slices).toBeGreaterThan(2);
      expect((await marks(page)).entries).toEqual({ cmekg: 1 });
      await page.close();
    }, 120_000);

    it(`a README naming 120 catalog items: their badges are drawn at most ${DRAW_PER_FRAME} a frame, and every one is placed`, async () => {
      const names = ['PubMedQA', 'CMeKG', 'Yidu-S4K', 'BioBERT'];
      const body = Array.from({ length: 120 }, (_, i) => `<p>Row ${i}: results on ${names[i % 4]} are reported here.</p>`).join('');
      // The page's own world counts the drawn visuals once a frame, from its start.
      const script = `
        const drawn = (window.__drawn = []);
        const tick = () => {
          let n = 0;
          for (const b of document.querySelectorAll('cmed-badge')) if (b.shadowRoot && b.shadowRoot.querySelector('.b')) n++;
          drawn.push(n);
          if (drawn.length < 5000) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);`;
      const { page, detail } = await visit('many-mentions', shell(body, script));
      responsive(detail);
      expect((await marks(page)).entries).toEqual({ pubmedqa: 30, cmekg: 30, 'yidu-s4k': 30, biobert: 30 });
      await waitPlaced(page);
      const drawn = await page.evaluate(() => (window as unknown as { __drawn: number[] }).__drawn);
      const steps = drawn.slice(1).map((n, i) => n - drawn[i]).filter((d) => d > 0);
      expect(drawn[drawn.length - 1]).toBe(120);
      expect(Math.max(...steps)).toBeLessThanOrEqual(DRAW_PER_FRAME);
      expect(steps.length).toBeGreaterThanOrEqual(Math.ceil(120 / DRAW_PER_FRAME));
      await page.close();
    }, 120_000);

    it('a page at war with foreign nodes (it removes each badge we add, or rewrites the text beside it) keeps running, and the removals stop', async () => {
      const body = '<p>Results on <a href="#">PubMedQA</a> and on <b>CMeKG</b>, then <i>Yidu-S4K</i> here.</p><p id="rw">We also ran <b>BioBERT</b> again.</p>';
      // The page's own world: every badge added is taken away, or (in #rw) its paragraph's text is
      // written anew; a 10 ms timer counts its ticks, which stop if the main thread is never given back.
      const script = `
        window.__removed = 0; window.__rewritten = 0; window.__ticks = 0;
        setInterval(() => window.__ticks++, 10);
        new MutationObserver((recs) => {
          for (const r of recs) for (const n of r.addedNodes) {
            if (n.nodeName !== 'CMED-BADGE') continue;
            const rw = n.parentElement && n.parentElement.closest('#rw');
            if (rw) { rw.innerHTML = 'We also ran <b>BioBERT</b> again.'; window.__rewritten++; } else { n.remove(); window.__removed++; }
          }
        }).observe(document.documentElement, { childList: true, subtree: true });`;
      s.server.route('github.com', '/hostile/at-war', shell(body, script));
      const page = await s.context.newPage();
      await page.goto(siteUrl('github.com', '/hostile/at-war'), { waitUntil: 'commit' });
      type War = { __ticks: number; __removed: number; __rewritten: number };
      const read = () =>
        page.evaluate(() => {
          const w = window as unknown as War;
          return { ticks: w.__ticks, removed: w.__removed, rewritten: w.__rewritten };
        });
      await expect.poll(async () => (await read()).removed, { timeout: 10_000 }).toBeGreaterThan(2);
      // The page's timer runs: about 100 ticks a second when nothing holds the thread; a frozen page gives none.
      const a = await read();
      await page.waitForTimeout(1000);
      const b = await read();
      expect(b.ticks - a.ticks).toBeGreaterThan(30);
      // A badge the page removes comes back at most three times (three mentions: 9 removals); a
      // paragraph the page writes anew as each badge lands (new elements each time) gets its badge
      // at most three times too: the fight is counted on the block, which the rewrite keeps.
      expect(b.removed).toBeLessThanOrEqual(9);
      expect(b.rewritten).toBeLessThanOrEqual(3);
      await page.waitForTimeout(1000);
      const c = await read();
      expect(c.removed).toBe(b.removed);
      expect(c.rewritten).toBe(b.rewritten);
      expect(c.ticks - b.ticks).toBeGreaterThan(30);
      await page.close();
    }, 60_000);

    it('a page that keeps changing costs no placement where nothing moved: an inner scroller, a clock in the README', async () => {
      const body =
        '<p>PubMedQA and CMeKG are named here.</p><p>The clock: <span id="clock">0</span> ticks.</p>' +
        '<div id="scroller" style="height:60px;overflow:auto"><p>Yidu-S4K first.</p><p style="margin-top:80px">BioBERT below.</p></div>';
      const { page } = await visit('living', shell(body));
      await waitPlaced(page);
      await settle(page);
      // Every write to a visual's style from now on, by entry.
      await page.evaluate(() => {
        const w = window as unknown as { __writes: Record<string, number> };
        w.__writes = {};
        for (const b of document.querySelectorAll('cmed-badge')) {
          const id = b.getAttribute('data-catalog-entry')!;
          w.__writes[id] = 0;
          new MutationObserver((recs) => (w.__writes[id] += recs.length)).observe(b.shadowRoot!, { attributes: true, subtree: true, attributeFilter: ['style'] });
        }
      });
      const writes = () => page.evaluate(() => ({ ...(window as unknown as { __writes: Record<string, number> }).__writes }));
      // The clock ticks in a paragraph of the README without a mention: passes read it, and place nothing.
      await page.evaluate(() => {
        let n = 0;
        const tick = () => {
          document.getElementById('clock')!.textContent = String(++n);
          if (n < 60) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      await page.waitForTimeout(1500);
      expect(await writes()).toEqual({ pubmedqa: 0, cmekg: 0, 'yidu-s4k': 0, biobert: 0 });
      // The inner scroller scrolls: its two badges follow, the others are not touched.
      await page.evaluate(() => document.getElementById('scroller')!.scrollBy(0, 40));
      await expect.poll(async () => (await writes()).biobert, { timeout: 5_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(300);
      const after = await writes();
      expect([after.pubmedqa, after.cmekg]).toEqual([0, 0]);
      expect(after['yidu-s4k']).toBeGreaterThan(0);
      // The page grows longer a line at a time (a log): no line rewraps, so nothing is placed again.
      await page.evaluate(() => {
        const w = window as unknown as { __place: number };
        w.__place = 0;
        new PerformanceObserver((list) => (w.__place += list.getEntriesByName('cmed:place').length)).observe({ type: 'measure' });
        let n = 0;
        const grow = () => {
          document.body.insertAdjacentHTML('beforeend', `<div style="height:40px">line ${n}</div>`);
          if (++n < 30) setTimeout(grow, 20);
        };
        grow();
      });
      await page.waitForTimeout(1500);
      expect(await page.evaluate(() => (window as unknown as { __place: number }).__place)).toBe(0);
      await page.close();
    }, 60_000);

    it('a page that swaps its root element or clears the highlight registry is still read and highlighted', async () => {
      const { page } = await visit('swap-root', shell('<p>PubMedQA first.</p>'));
      await expect.poll(async () => (await marks(page)).entries).toEqual({ pubmedqa: 1 });
      const before = (await lastPass(page))!.pass;
      await page.evaluate(() => {
        const html = document.createElement('html');
        html.innerHTML = '<head><title>new</title></head><body><main><div id="readme"><article class="markdown-body"><p>CMeKG now.</p></article></div></main></body>';
        document.replaceChild(html, document.documentElement);
      });
      await waitPass(page, before, 20_000);
      await expect.poll(async () => (await marks(page)).entries, { timeout: 10_000 }).toEqual({ cmekg: 1 });
      expect(await page.evaluate(() => document.documentElement.getAttribute('data-cmed-annotator'))).toBe('idle');
      // The page empties the highlight registry; the next content it adds brings our highlight back.
      const size = () => page.evaluate(() => (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('cmed-mention')?.size ?? -1);
      expect(await size()).toBe(1);
      await page.evaluate(() => (CSS as unknown as { highlights: Map<string, unknown> }).highlights.clear());
      expect(await size()).toBe(-1);
      await page.evaluate(() => document.querySelector('article')!.insertAdjacentHTML('beforeend', '<p>Yidu-S4K later.</p>'));
      await expect.poll(size, { timeout: 10_000 }).toBe(2);
      await page.close();
    }, 60_000);

    it('a page that writes itself anew (document.open, write, close) is read again, and its badges still open the card', async () => {
      // document.open() empties the document and erases the event listeners of the document and
      // the window (ours among them, in the content script's world): the badges made for the new
      // content must still open the card on hover and on focus, and Esc still close it.
      const { page } = await visit('rewrite', shell('<p>PubMedQA first, and CMeKG.</p>'));
      await expect.poll(async () => (await marks(page)).entries).toEqual({ pubmedqa: 1, cmekg: 1 });
      const card = page.locator('cmed-card');
      const title = () => card.locator('h2').textContent();
      // The card module is in and a card was shown before the page writes itself anew.
      await page.locator('cmed-badge[data-catalog-entry="pubmedqa"] .k').hover();
      await expect.poll(title).toContain('PubMedQA');
      await page.mouse.move(5, 5);
      await expect.poll(() => card.isVisible()).toBe(false);

      const rewrite = async (html: string | null) => {
        const before = (await lastPass(page))!.pass;
        await page.evaluate((html) => {
          document.open();
          if (html !== null) document.write(html);
          document.close();
        }, html);
        await waitPass(page, before);
      };
      /** The marks are exactly `entries`, each highlighted once, and nothing else of ours is on the page but one card; the toolbar counts them. */
      const exactly = async (entries: Record<string, number>) => {
        const cards = () => page.locator('cmed-card').count();
        await expect.poll(async () => {
          const m = await marks(page);
          return { ...m, ui: m.ui - (await cards()) };
        }).toEqual({ entries, page: null, ui: sum(entries), highlights: sum(entries) });
        expect(await cards()).toBeLessThanOrEqual(1);
        await expect.poll(() => toolbarBadge(s, page.url())).toBe(Object.keys(entries).length ? String(Object.keys(entries).length) : '');
      };
      /** Hovering `hover`'s badge opens its card, and Esc closes it; focusing `focus`'s badge opens its card. */
      const cardWorks = async (hover: [string, string], focus: [string, string]) => {
        await page.locator(`cmed-badge[data-catalog-entry="${hover[0]}"] .k`).first().hover();
        await expect.poll(() => card.isVisible()).toBe(true);
        await expect.poll(title).toContain(hover[1]);
        await page.keyboard.press('Escape');
        await expect.poll(() => card.isVisible()).toBe(false);
        await page.mouse.move(5, 5);
        await page.locator(`cmed-badge[data-catalog-entry="${focus[0]}"]`).first().focus();
        await expect.poll(() => card.isVisible()).toBe(true);
        await expect.poll(title).toContain(focus[1]);
        expect(await page.locator(`cmed-badge[data-catalog-entry="${focus[0]}"]`).first().getAttribute('aria-expanded')).toBe('true');
        await page.keyboard.press('Escape');
        await expect.poll(() => card.isVisible()).toBe(false);
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      };

      /**
       * A badge the browser focuses again as the page gets focus back (the window's focus first, then
       * the element's, in one task: a tab switched back to) does not open its card; one the reader
       * focuses does. The window's focus listener that tells them apart was erased by document.open() too.
       */
      const guardWorks = async (id: string) => {
        const badge = `cmed-badge[data-catalog-entry="${id}"]`;
        await page.evaluate((badge) => {
          window.dispatchEvent(new FocusEvent('focus'));
          document.querySelector<HTMLElement>(badge)!.focus();
        }, badge);
        await page.waitForTimeout(400);
        expect(await card.isVisible()).toBe(false);
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.locator(badge).first().focus();
        await expect.poll(() => card.isVisible()).toBe(true);
        await page.keyboard.press('Escape');
        await expect.poll(() => card.isVisible()).toBe(false);
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      };

      await rewrite(shell('<p>Yidu-S4K and BioBERT here.</p><p>BioBERT again.</p>'));
      await exactly({ 'yidu-s4k': 1, biobert: 2 });
      await cardWorks(['yidu-s4k', 'Yidu-S4K'], ['biobert', 'BioBERT']);
      await guardWorks('yidu-s4k');
      // Content added later is still caught by the observer.
      await page.evaluate(() => document.querySelector('article')!.insertAdjacentHTML('beforeend', '<p>CMeKG later.</p>'));
      await exactly({ 'yidu-s4k': 1, biobert: 2, cmekg: 1 });

      // Opened and closed with nothing written: an empty page, nothing of ours left, no count.
      await rewrite(null);
      await exactly({});
      // Opened and left open: no root element at all for a while, then the page written in two parts.
      await rewrite(shell('<p>Yidu-S4K only.</p>'));
      await exactly({ 'yidu-s4k': 1 });
      await page.evaluate(() => document.open());
      await expect.poll(() => page.evaluate(() => document.documentElement === null)).toBe(true);
      await exactly({});
      const before = (await lastPass(page))!.pass;
      await page.evaluate((html) => document.write(html), shell('<p>BioBERT, written late.</p>'));
      await page.evaluate(() => document.close());
      await waitPass(page, before);
      await exactly({ biobert: 1 });
      await cardWorks(['biobert', 'BioBERT'], ['biobert', 'BioBERT']);
      // A second rewrite: read again, and the card still opens.
      await rewrite(shell('<p>PubMedQA once more, with CMeKG.</p>'));
      await exactly({ pubmedqa: 1, cmekg: 1 });
      await cardWorks(['cmekg', 'CMeKG'], ['pubmedqa', 'PubMedQA']);
      await page.evaluate(() => document.querySelector('article')!.insertAdjacentHTML('beforeend', '<p>Yidu-S4K at last.</p>'));
      await exactly({ pubmedqa: 1, cmekg: 1, 'yidu-s4k': 1 });
      // Written anew while the site was switched off, with nothing of ours watching: switched on again,
      // its badges open their card and a soft navigation's event reads the page again.
      const p0 = (await lastPass(page))!.pass;
      await whileOff(s, page, 'github', () =>
        page.evaluate((html) => {
          document.open();
          document.write(html);
          document.close();
        }, shell('<p>BioBERT, written while off.</p>')),
      );
      await waitPass(page, p0);
      await exactly({ biobert: 1 });
      await cardWorks(['biobert', 'BioBERT'], ['biobert', 'BioBERT']);
      const p1 = (await lastPass(page))!.pass;
      await page.evaluate(() => document.dispatchEvent(new Event('turbo:render', { bubbles: true })));
      await waitPass(page, p1);
      expect(s.errors.filter((e) => e.includes('/hostile/rewrite'))).toEqual([]);
      await page.close();
    }, 90_000);

    it('5,000-deep nesting built by script, shadow roots, frozen prototypes', async () => {
      const { page } = await visit('deep', shell('<p>Top.</p>', HOSTILE_DEEP_SCRIPT));
      await expect.poll(async () => (await marks(page)).entries, { timeout: 20_000 }).toEqual({ cmekg: 1, 'yidu-s4k': 1 });
      const d = await settle(page);
      responsive(d!);
      await page.close();
    }, 120_000);

    it('stays responsive while a big late insertion is annotated', async () => {
      /** Inserts 20,000 paragraphs and records the longest gap between 5 ms timer ticks until `done()` is true. */
      const insertAndProbe = (page: Page) =>
        page.evaluate(() => {
          const w = window as unknown as { __gap: number; __stop: boolean };
          w.__gap = 0;
          w.__stop = false;
          let last = performance.now();
          const tick = () => {
            const now = performance.now();
            w.__gap = Math.max(w.__gap, now - last);
            last = now;
            if (!w.__stop) setTimeout(tick, 5);
          };
          // Hidden: laying out 20,000 paragraphs is the page's own cost (over a second here,
          // with or without the extension); the annotator reads them all the same.
          const box = document.createElement('div');
          box.hidden = true;
          for (let i = 0; i < 20_000; i++) {
            const p = document.createElement('p');
            p.textContent = i % 5000 === 4999 ? `Row ${i} mentions BioBERT.` : `Row ${i} of plain filler text about patients and notes.`;
            box.appendChild(p);
          }
          document.querySelector('article')!.appendChild(box);
          last = performance.now();
          setTimeout(tick, 5);
        });
      const readGap = (page: Page) =>
        page.evaluate(() => {
          const w = window as unknown as { __gap: number; __stop: boolean };
          w.__stop = true;
          return w.__gap;
        });

      // Baseline: the same page and insertion where the content script does not run.
      s.server.route('example.org', '/hostile/late-big', shell('<p>Start.</p>'));
      const base = await s.context.newPage();
      await base.goto(siteUrl('example.org', '/hostile/late-big'));
      await insertAndProbe(base);
      await base.waitForTimeout(1_500);
      const baseline = await readGap(base);
      await base.close();

      const { page } = await visit('late-big', shell('<p>Start.</p>'));
      await settle(page);
      const p0 = (await lastPass(page))!.pass;
      await insertAndProbe(page);
      const d = await waitPass(page, p0, 60_000);
      await settle(page);
      const gap = await readGap(page);
      responsive(d);
      // No freeze: the page's timers keep running while 20,000 late paragraphs are read. The
      // longest gap is still 80–200 ms above the baseline here, outside any slice of ours (likely
      // garbage collection after the pass); that is an open item, so this is a freeze guard only.
      expect(gap).toBeLessThan(baseline + 1_000);
      expect((await marks(page)).entries).toEqual({ biobert: 4 });
      await page.close();
    }, 120_000);
  });

  it('produced no errors in pages, extension pages or the service worker', () => {
    // The real saved pages' own scripts fail without their assets (jQuery, MathJax, manifests);
    // those errors are theirs, not ours.
    const real = SAVED_PAGES.flatMap(({ host, path: p }) => [`pageerror ${siteUrl(host, p)}:`, `console ${siteUrl(host, p)}:`]);
    expect(s.errors.filter((e) => !real.some((prefix) => e.startsWith(prefix)))).toEqual([]);
  });
});

describe('annotator in a page that was open when the extension was installed or updated (Chrome)', () => {
  // Chrome keeps a page's old copy of the content script, cut off from the extension, after an
  // update (and runs none in open pages at install): the background then runs the declared
  // scripts in the open tabs of our sites (utils/annotator/reinject.ts), as done here from the
  // service worker with the manifest's own entries. (Reloading the extension here unloads it:
  // an extension loaded from the command line does not come back after runtime.reload.)
  it('a copy run into a marked page takes over: one set of marks, the count and the switch working', async () => {
    const s = await launchExtension();
    try {
      const notes = FIXTURES.find((f) => f.file.endsWith('zh-medical-notes.expected.json'))!.expected;
      const page = await s.context.newPage();
      await page.goto(siteUrl('github.com', '/medlens-fixtures/zh-medical-notes'));
      await waitPass(page);
      const before = await page.evaluate(() => document.querySelector('cmed-badge[data-cmed-ui]'));
      const injected = await s.worker.evaluate(async (url) => {
        interface Declared {
          js: string[];
          css: string[];
        }
        type Inject = (o: { target: { tabId: number }; files: string[] }) => Promise<unknown>;
        const c = (
          globalThis as unknown as {
            chrome: {
              tabs: { query(q: object): Promise<{ id: number; url?: string }[]> };
              runtime: { getManifest(): { content_scripts: Declared[] } };
              scripting: { insertCSS: Inject; executeScript: Inject };
            };
          }
        ).chrome;
        const tab = (await c.tabs.query({})).find((t) => t.url === url)!;
        const declared = c.runtime.getManifest().content_scripts.find((cs) => cs.js.some((f) => f.includes('github')))!;
        await c.scripting.insertCSS({ target: { tabId: tab.id }, files: declared.css });
        await c.scripting.executeScript({ target: { tabId: tab.id }, files: declared.js });
        return declared.js;
      }, page.url());
      expect(injected).toEqual(['content-scripts/github.js']);
      // The old copy's badges are gone and the new copy's stand in their place, once each.
      await page.waitForFunction((old) => !old?.isConnected && document.querySelectorAll('cmed-badge[data-cmed-ui]').length > 0, before, { timeout: 15_000 });
      await settle(page);
      expect((await marks(page)).entries).toEqual(notes.entries);
      await expect.poll(() => toolbarBadge(s, page.url()), { timeout: 5_000 }).toBe(String(distinctEntries(notes)));
      await whileOff(s, page, 'github', async () => {
        await page.waitForFunction(() => document.querySelectorAll('[data-cmed-ui]').length === 0, null, { timeout: 10_000 });
      });
      await page.waitForFunction(() => document.querySelectorAll('cmed-badge[data-cmed-ui]').length > 0, null, { timeout: 10_000 });
      expect((await marks(page)).entries).toEqual(notes.entries);
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  }, 90_000);
});
