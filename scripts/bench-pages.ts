/**
 * Pages and data for the annotator benchmark and its profiler: big generated pages built
 * from real Anthology titles (../shared/corpora), and a 10× inflated matcher; and what the
 * benchmark, A/B and profiling scripts share to drive them (the site switch, the median).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { ROOT, type ExtensionSession } from '../tests/e2e/harness';
import { BENCH_MATCHER_KEY } from '../utils/annotator/bench-key';
import { buildMatcherData } from '../utils/matcher/build';
import { packMatcher } from '../utils/matcher/pack';
import type { MatcherData } from '../utils/matcher/types';
import shippedMatcher from '../generated/matcher.json';
import type { Catalog, Entry } from '../utils/catalog/types';

export const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, 'data', 'catalog.json'), 'utf8')) as Catalog;
export const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpora', 'acl-anthology-titles.tsv.gz');
export const MARK_JS = path.join(ROOT, 'node_modules', 'mark.js', 'dist', 'mark.min.js');

export interface Row {
  id: string;
  title: string;
  volume: string;
}

export function loadCorpus(): Row[] {
  const text = zlib.gunzipSync(fs.readFileSync(CORPUS)).toString('utf8');
  return text
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => {
      const [id, title, , volume] = l.split('\t');
      return { id, title, volume };
    });
}

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A deterministic pseudo-random generator, so runs compare. */
export function rng(seed: number) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export interface BenchPage {
  name: string;
  host: string;
  path: string;
  html: string;
  /** The adapter's region selectors for this page type (mirrors utils/sites), for the floor and mark.js. */
  regions: string[];
}

export function anthologyEvent(rows: Row[]): BenchPage {
  const vols = ['2020.emnlp-main', '2020.findings-emnlp', '2020.acl-main', '2020.clinicalnlp-1', '2020.bionlp-1', '2020.louhi-1'];
  const byVol = new Map<string, Row[]>();
  for (const r of rows) {
    const v = r.id.includes('.') ? r.id.slice(0, r.id.lastIndexOf('.')) : '';
    if (vols.includes(v)) (byVol.get(v) ?? byVol.set(v, []).get(v)!).push(r);
  }
  let body = '<h2 id=title>Benchmark event (2020)</h2><hr>';
  let n = 0;
  for (const v of vols) {
    const list = byVol.get(v) ?? [];
    body += `<div id=${v}><h4 class="d-sm-flex pb-2 border-bottom"><a class=align-middle href=/volumes/${v}/>${esc(list[0]?.volume ?? v)}</a></h4>`;
    for (const r of list) {
      n++;
      body +=
        `<p class="d-sm-flex align-items-stretch"><span class="d-block mr-2 text-nowrap list-button-row"><a class="badge badge-primary align-middle mr-1" href=https://aclanthology.org/${r.id}.pdf>pdf</a>\n<a class="badge badge-secondary align-middle mr-1" href=https://aclanthology.org/${r.id}.bib>bib</a></span>` +
        `<span class=d-block><strong><a class=align-middle href=/${r.id}/>${esc(r.title)}</a></strong><br><a href=/people/a-author/>A. Author</a> | <a href=/people/b-author/>B. Author</a></span></p>\n`;
    }
    body += '</div>';
  }
  return {
    name: `Anthology event page (${n} real titles)`,
    host: 'aclanthology.org',
    path: '/events/bench-2020/',
    html: `<!doctype html><html><head><meta charset=utf-8><title>Bench event</title></head><body><div id=main-container class=container><section id=main>${body}</section></div></body></html>`,
    regions: ['section#main strong > a.align-middle'],
  };
}

export function arxivListing(rows: Row[], count: number, withCatalog: boolean, name: string, listPath: string): BenchPage {
  const rand = rng(11);
  const picked: { id: string; title: string }[] = [];
  const catalogPapers = catalog.filter((e) => e.ids.arxiv.length).map((e) => ({ id: e.ids.arxiv[0], title: e.title }));
  for (let i = 0; i < count; i++) {
    if (withCatalog && i % 50 === 25) picked.push(catalogPapers[(i / 50) % catalogPapers.length | 0]);
    else {
      const r = rows[(rand() * rows.length) | 0];
      picked.push({ id: `24${String(10 + (i % 2)).padStart(2, '0')}.${String(10000 + i)}`, title: r.title });
    }
  }
  const items = picked
    .map(
      (p, i) => `<dt><a name="item${i + 1}">[${i + 1}]</a> <a href="/abs/${p.id}" title="Abstract" id="${p.id}">arXiv:${p.id}</a> [<a href="/pdf/${p.id}" title="Download PDF">pdf</a>]</dt>
<dd><div class='meta'><div class='list-title mathjax'><span class='descriptor'>Title:</span> ${esc(p.title)}</div>
<div class='list-authors'><a href="/a/author_1">A. Author</a>, <a href="/a/author_2">B. Author</a></div>
<div class='list-comments mathjax'><span class='descriptor'>Comments:</span> 9 pages, 3 figures</div>
<div class='list-subjects'><span class='descriptor'>Subjects:</span> <span class="primary-subject">Computation and Language (cs.CL)</span></div>
<p class='mathjax'>We study ${esc(p.title.toLowerCase())} and report results on several benchmarks with careful ablations.</p></div></dd>`,
    )
    .join('\n');
  return {
    name,
    host: 'arxiv.org',
    path: listPath,
    html: `<!doctype html><html><head><meta charset=utf-8><title>Bench listing</title></head><body><div id='dlpage'><h1>Computation and Language</h1><dl id='articles'>${items}</dl></div></body></html>`,
    regions: ['#dlpage dl dd .mathjax'],
  };
}

export function arxivHtmlPaper(rows: Row[]): BenchPage {
  const rand = rng(23);
  const t = () => rows[(rand() * rows.length) | 0].title;
  let sections = '';
  for (let s = 1; s <= 30; s++) {
    let paras = '';
    for (let p = 0; p < 8; p++) {
      const cites = Array.from({ length: 3 }, () => (rand() * 300) | 0).map((k) => `<cite class="ltx_cite ltx_citemacro_citep">[<a href="#bib.bib${k + 1}" class="ltx_ref">${k + 1}</a>]</cite>`);
      paras += `<div class="ltx_para"><p class="ltx_p">Prior work on ${esc(t())} ${cites[0]} and on ${esc(t())} ${cites[1]} motivates our setup. ${s % 7 === 0 && p === 0 ? 'We evaluate on PubMedQA and MedMentions, and fine-tune BioBERT.' : 'We follow the usual protocol and report averages over five seeds.'} Compared with ${esc(t())} ${cites[2]}, our approach is simpler.</p></div>`;
    }
    const code = s % 10 === 0 ? '<div class="ltx_listing"><div class="ltx_listingline">train(model="BioBERT", data="PubMedQA")</div></div>' : '';
    sections += `<section class="ltx_section"><h2 class="ltx_title ltx_title_section">${s} Section</h2>${paras}${code}</section>`;
  }
  const catalogTitles = catalog.filter((e) => e.kind === 'paper' || e.kind === 'dataset').map((e) => e.title);
  let bib = '';
  for (let i = 1; i <= 300; i++) {
    const title = i % 20 === 0 ? catalogTitles[(i / 20) % catalogTitles.length] : t();
    bib += `<li id="bib.bib${i}" class="ltx_bibitem"><span class="ltx_tag ltx_tag_bibitem">[${i}]</span><span class="ltx_bibblock">A. Author, B. Author, and C. Author. 2020.</span><span class="ltx_bibblock">${esc(title)}.</span><span class="ltx_bibblock">In <em>Proceedings of the Conference</em>, pages ${i}–${i + 9}.</span></li>`;
  }
  return {
    name: 'arXiv HTML paper (30 sections, 300-item bibliography)',
    host: 'arxiv.org',
    path: '/html/2499.00001v1',
    html: `<!doctype html><html><head><meta charset=utf-8><title>Bench paper</title></head><body><article class="ltx_document"><h1 class="ltx_title ltx_title_document">A Long Benchmark Paper</h1><div class="ltx_abstract"><p class="ltx_p">Abstract text.</p></div>${sections}<section class="ltx_bibliography"><ul class="ltx_biblist">${bib}</ul></section></article></body></html>`,
    regions: ['article.ltx_document h1.ltx_title_document', 'article.ltx_document .ltx_abstract', 'article.ltx_document > .ltx_para', 'article.ltx_document section > *'],
  };
}

export function bigReadme(rows: Row[], bytes: number, withCatalog: boolean, name: string, repoPath: string): BenchPage {
  const rand = rng(31);
  const t = () => esc(rows[(rand() * rows.length) | 0].title);
  let md = '';
  let i = 0;
  while (md.length < bytes) {
    i++;
    if (i % 40 === 0) md += `<div class="highlight"><pre>pip install medical-toolkit==${i}  # not scanned</pre></div>`;
    else if (withCatalog && i % 61 === 1) md += '<p dir="auto">数据来自 Yidu-S4K 与 CMeKG，问答部分参考 cMedQA2。</p>';
    else if (i % 9 === 0) md += `<ul dir="auto"><li>${t()}</li><li>${t()}</li><li><a href="https://example.org/${i}">${t()}</a></li></ul>`;
    else if (i % 5 === 0) md += `<h3 dir="auto">${t()}</h3>`;
    else
      md += `<p dir="auto">Notes on ${t()}: the <code>config.yaml</code> sets <strong>batch size</strong> and <em>learning rate</em>; 中文病历文本的预处理步骤见下文。 See also ${t()}.</p>`;
  }
  return {
    name,
    host: 'github.com',
    path: repoPath,
    html: `<!doctype html><html><head><meta charset=utf-8><title>Bench README</title><meta property="og:title" content="bench/readme: bench"></head><body><main><div id="readme"><article class="markdown-body entry-content" itemprop="text">${md}</article></div></main></body></html>`,
    regions: ['#readme article.markdown-body'],
  };
}

/**
 * `base` inflated `factor`× with synthetic entries whose names are made of real title
 * words, as a larger catalog of papers and datasets would be: for each entry and each
 * k < factor, a title of 3–7 words drawn from the corpus's titles, a short name (a
 * word, "X" and a number), a five-character Chinese name, the entry's own names followed
 * by " k", and IDs of each kind. Text then walks far deeper into the automaton than with
 * names nobody writes, which is the expensive case. Deterministic (its own generator,
 * seeded the same every call), so runs and scripts compare: the linear congruential one
 * bench-matcher.ts has always drawn this catalog with, not {@link rng}, which would draw
 * another catalog and break the comparison with its earlier figures.
 */
export function realWordCatalog(base: Catalog, titles: ReadonlyArray<{ title: string }>, factor: number): Catalog {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const words = titles
    .slice(0, 60_000)
    .flatMap((r) => r.title.split(' '))
    .map((w) => w.replace(/[^\p{L}\p{N}-]/gu, ''))
    .filter((w) => w.length > 2);
  const cjk = '医疗数据集中文临床知识图谱问答对话模型评测糖尿病瑞金挑战赛结构化标准实体关系抽取';
  const out: Entry[] = [...base];
  for (let k = 1; k < factor; k++) {
    for (const e of base) {
      const n = 1 + Math.floor(rand() * 5);
      const title = Array.from({ length: n + 2 }, () => words[Math.floor(rand() * words.length)]).join(' ');
      const short = words[Math.floor(rand() * words.length)] + 'X' + Math.floor(rand() * 1000);
      const zh = Array.from({ length: 5 }, () => cjk[Math.floor(rand() * cjk.length)]).join('');
      out.push({
        ...e,
        id: `${e.id}-synthetic-${k}`,
        title,
        names: [short, zh, ...e.names.map((x) => `${x} ${k}`)],
        ids: {
          arxiv: [`${2100 + k}.${String(Math.floor(rand() * 99999)).padStart(5, '0')}`],
          acl: [`${2000 + k}.synthetic-main.${Math.floor(rand() * 900)}`],
          doi: [],
          github: [`synthetic${k}/${e.id}`],
        },
      });
    }
  }
  return out;
}

/** The matcher data of 10× the catalog ({@link realWordCatalog}), for the benchmarks' 10× names. */
export function inflatedMatcherData(rows: Row[]) {
  return buildMatcherData(realWordCatalog(catalog, rows, 10));
}

/**
 * Sets (or, with null, removes) the matcher data the background uses instead of the
 * catalog's: the test-only storage.local override (BENCH_MATCHER_KEY), for 10× names.
 */
export async function setOverride(s: ExtensionSession, data: MatcherData | null): Promise<void> {
  await s.worker.evaluate(
    async ([key, data]) => {
      const st = (globalThis as unknown as { chrome: { storage: { local: { set(o: object): Promise<void>; remove(k: string): Promise<void> } } } }).chrome.storage.local;
      if (data) await st.set({ [key]: data });
      else await st.remove(key);
    },
    [BENCH_MATCHER_KEY, data] as const,
  );
  // The background falls back to the catalog's names on an override it cannot read, which
  // would make a 10× figure measure 1× names: ask it for the matcher a page gets now, and
  // check it holds the entries and the number of names packed here from the same data. (Not
  // the same arrays: Chrome's storage hands objects back with their keys sorted, which
  // numbers the automaton's states in another order.)
  const pop = s.context.pages().find((pg) => pg.url().startsWith(s.extensionUrl(''))) ?? (await s.openPopup());
  const served = await pop.evaluate(async () => {
    const rt = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; value?: { data?: { matcher: { entries: unknown; lens: unknown[] } } }; error?: string }> } } }).chrome.runtime;
    // Any site that is switched on answers with the data.
    for (const site of ['arxiv', 'acl', 'github']) {
      const r = await rt.sendMessage({ __cmed: 1, type: 'annotator:init', data: { site, wantData: true } });
      if (!r.ok) return `error: ${r.error}`;
      const m = r.value?.data?.matcher;
      if (m) return `${JSON.stringify(m.entries).length} characters of entries, ${m.lens.length} names`;
    }
    return 'error: every site is switched off';
  });
  const want = packMatcher(data ?? (shippedMatcher as MatcherData)) as unknown as { entries: unknown; lens: unknown[] };
  const expected = `${JSON.stringify(want.entries).length} characters of entries, ${want.lens.length} names`;
  if (served !== expected) throw new Error(`The background does not serve the ${data ? 'override' : "catalog's"} matcher: ${served}, not ${expected}`);
}

/** The benchmark's five pages, in the order every benchmark script prints them. */
/**
 * The floor: a TreeWalker over the regions reading every character once (in whatever world
 * it is evaluated in). Cold is the first run; warm the median of `n`; withQuery the median
 * of `n` runs that also find the regions.
 */
export const floorFn = (sel: string[], n: number) => {
  const read = (regions: Element[]) => {
    let sum = 0;
    for (const r of regions) {
      const w = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
      for (let t = w.nextNode(); t; t = w.nextNode()) {
        const d = (t as Text).data;
        for (let i = 0; i < d.length; i++) sum += d.charCodeAt(i);
      }
    }
    (window as unknown as { __sink: number }).__sink = sum;
  };
  const query = () => Array.from(document.querySelectorAll(sel.join(', ')));
  const regions = query();
  const time = (f: () => void) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  const cold = time(() => read(regions));
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const warm = mid(Array.from({ length: n }, () => time(() => read(regions))));
  const withQuery = mid(Array.from({ length: n }, () => time(() => read(query()))));
  return { cold, warm, withQuery };
};
export type Floor = ReturnType<typeof floorFn>;

export function benchPages(rows: Row[]): BenchPage[] {
  return [
    anthologyEvent(rows),
    arxivListing(rows, 1000, true, 'arXiv listing (1,000 entries)', '/list/cs.CL/bench'),
    arxivHtmlPaper(rows),
    bigReadme(rows, 500_000, true, 'README (500 KB)', '/bench/readme'),
    bigReadme(rows, 500_000, false, 'README (500 KB), nothing to find', '/bench/nothing'),
  ];
}

/** The pages whose indices `list` names ("0,4"), all of them without one. */
export function pickPages<T>(pages: T[], list: string | undefined): T[] {
  return list ? list.split(',').map((i) => pages[Number(i)]) : pages;
}

/** A figure for the printed tables: `d` decimals, a dash when there is none. */
export const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');

/**
 * Loads for each build, side by side: `rounds` rounds of one `load` per build, in an order
 * that reverses every other round (in an A/A run, whichever build went second was faster).
 * The first round is a warm-up and is not kept. Per build, its loads' results in order.
 */
export async function sideBySide<T>(sessions: ExtensionSession[], rounds: number, load: (s: ExtensionSession) => Promise<T>): Promise<T[][]> {
  const got = sessions.map(() => [] as T[]);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < sessions.length; i++) {
      const k = round % 2 ? sessions.length - 1 - i : i;
      const r = await load(sessions[k]);
      if (round > 0) got[k].push(r);
    }
  }
  return got;
}

/** Waits for the page's last pass's placement to finish (its last slice has nothing left). */
export function placed(page: Page): Promise<unknown> {
  return page.waitForFunction(
    () => {
      const passes = performance.getEntriesByName('cmed:annotate');
      const last = passes[passes.length - 1];
      const place = performance.getEntriesByName('cmed:place') as PerformanceMeasure[];
      const p = place[place.length - 1];
      return !!last && !!p && p.startTime >= last.startTime + last.duration && (p.detail as { left: number }).left === 0;
    },
    null,
    { timeout: 30_000, polling: 20 },
  );
}

/** The settings key of the site a benchmark page is served on. */
export const SITE_OF: Record<string, string> = { 'arxiv.org': 'arxiv', 'aclanthology.org': 'acl', 'github.com': 'github' };

/** Chrome allows 120 storage.sync writes a minute; the settings live there, so switches are paced. */
const WRITE_GAP_MS = 550;
let lastWrite = 0;

/** Switches the annotator on `site` on or off through the background, as the popup's switch does. */
export async function setSite(s: ExtensionSession, site: string, on: boolean): Promise<void> {
  const wait = lastWrite + WRITE_GAP_MS - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  lastWrite = Date.now();
  const pop = s.context.pages().find((pg) => pg.url().startsWith(s.extensionUrl(''))) ?? (await s.openPopup());
  await pop.evaluate(
    (data) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ __cmed: 1, type: 'settings:set', data }),
    { sites: { arxiv: true, acl: true, github: true, [site]: on } },
  );
}

/**
 * Switches the annotator on `site` off, waits until `page` has followed (sending the switch
 * again if it did not in time), then on again: the page's next full pass starts.
 */
export async function restartSite(s: ExtensionSession, page: Page, site: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    await setSite(s, site, false);
    const off = await page
      .waitForFunction(() => document.documentElement.getAttribute('data-cmed-annotator') === 'off', null, { timeout: 5_000 })
      .then(() => true, () => false);
    if (off) break;
    if (tries === 3) throw new Error(`${site}: the site switch was not followed`);
    await setSite(s, site, true);
  }
  await setSite(s, site, true);
}

/** How many full passes the page has published. */
const fullPasses = (page: Page) =>
  page.evaluate(() => performance.getEntriesByName('cmed:annotate').filter((e) => ((e as PerformanceMeasure).detail as { kind: string }).kind === 'full').length);

/**
 * Waits for the page's first full pass, then runs `n` warm full passes, each started by
 * switching `site` off and on (a quarter second after the one before) and waited for;
 * `after` runs after the first pass and after each warm one (e.g. waiting for placement).
 */
export async function warmPasses(s: ExtensionSession, page: Page, site: string, n: number, after: () => Promise<unknown> = async () => undefined): Promise<void> {
  while ((await fullPasses(page)) < 1) await page.waitForTimeout(50);
  await after();
  for (let i = 0; i < n; i++) {
    const before = await fullPasses(page);
    await page.waitForTimeout(250);
    await restartSite(s, page, site);
    while ((await fullPasses(page)) <= before) await page.waitForTimeout(30);
    await after();
  }
}

/** Median of the finite values (NaN if none). */
export const median = (xs: number[]) => {
  const a = xs.filter(Number.isFinite).sort((x, y) => x - y);
  return a.length ? (a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2) : NaN;
};

/** The one with the largest `ms` (a NaN one only if all are), or undefined for none. */
export const highest = <T extends { ms: number }>(xs: T[]): T | undefined => xs.reduce<T | undefined>((a, b) => (a === undefined || b.ms > a.ms || !(a.ms >= 0) ? b : a), undefined);

/** A page load's own measures of the annotator: the matcher's load and the first pass (NaN when absent: a page we do not read). */
export interface FirstLoad {
  compileMs: number;
  passMs: number;
  sliceMs: number;
}

/** Reads {@link FirstLoad} off `page` (call it once the first pass is done). */
export function firstLoad(page: Page): Promise<FirstLoad> {
  return page.evaluate(() => {
    const pass = performance.getEntriesByName('cmed:annotate')[0] as PerformanceMeasure | undefined;
    const detail = pass?.detail as { busyMs: number; maxSliceMs: number } | undefined;
    const compile = performance.getEntriesByName('cmed:compile')[0];
    return { compileMs: compile ? compile.duration : NaN, passMs: detail ? detail.busyMs : NaN, sliceMs: detail ? detail.maxSliceMs : NaN };
  });
}
