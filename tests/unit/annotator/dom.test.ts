// @vitest-environment happy-dom
/**
 * DOM glue under happy-dom: block reading, the skip test, badge placement, idempotency,
 * reconciliation after edits, and clean removal. Highlights are a no-op here (no CSS
 * Custom Highlight API in happy-dom); the real browser is covered by the e2e tests.
 */
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { PENDING, createBlockReader, skipped } from '../../../utils/annotator/collect';
import { MAX_BLOCK_MENTIONS, MAX_MENTIONS, createAnnotator } from '../../../utils/annotator/annotator';
import { createMatcher } from '../../../utils/matcher';
import { buildMatcherData } from '../../../utils/matcher/build';
import { idKey } from '../../../utils/matcher/ids';
import { SKIP_SELECTOR, type SiteAdapter } from '../../../utils/sites/types';
import { github } from '../../../utils/sites/github';
import { aclAnthology } from '../../../utils/sites/acl-anthology';
import type { Catalog } from '../../../utils/catalog/types';

const catalog = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../data/catalog.json'), 'utf8')) as Catalog;
const matcher = createMatcher(buildMatcherData(catalog));
const meta = Object.fromEntries(catalog.map((e) => [e.id, [e.title, e.kind]])) as never;

function blocks(root: Element): string[] {
  const reader = createBlockReader((el) => el.hasAttribute('data-cmed-ui'), { nodesRead: 0, charsRead: 0 });
  reader.begin(root);
  const out: string[] = [];
  for (let b = reader.nextBlock(); b !== null; b = reader.nextBlock()) if (b !== PENDING) out.push(b.joined);
  return out;
}

const adapter: SiteAdapter = {
  key: 'github',
  hosts: ['github.com'],
  pageType: () => 'repo',
  regions: (doc) => Array.from(doc.querySelectorAll('article')),
  bannerAnchor: (doc) => doc.querySelector('h1'),
  pageIds: () => [],
  idKey,
};

/** Starts an annotator on the document as it is. */
async function startAnnotator() {
  const a = createAnnotator({ doc: document, adapter, matcher, meta, strings: {}, url: () => 'https://github.com/o/r' });
  await a.start();
  return a;
}
async function annotate(html: string) {
  document.body.innerHTML = html;
  return startAnnotator();
}
const marks = () => Array.from(document.querySelectorAll('[data-catalog-entry]')).map((e) => e.getAttribute('data-catalog-entry'));

/** The slicer's clock, moved by hand (`clock.t += ms`) for the rest of the test. */
function handClock(): { t: number } {
  const clock = { t: 0 };
  vi.spyOn(performance, 'now').mockImplementation(() => clock.t);
  onTestFinished(() => void vi.restoreAllMocks());
  return clock;
}

describe('createBlockReader', () => {
  it('joins text across inline elements and splits at blocks, breaks and skipped elements', () => {
    document.body.innerHTML = '<div id="r"><p>Use <em>Pub</em>MedQA<br>next</p><div>a<div>b</div>c</div><p>x <code>CMeKG</code> y</p></div>';
    expect(blocks(document.getElementById('r')!)).toEqual(['Use PubMedQA', 'next', 'a', 'b', 'c', 'x ', ' y']);
    // A place a long word may wrap (GitHub's Markdown keeps <wbr>) is no break in it.
    document.body.innerHTML = '<div id="r"><p>Use Pub<wbr>MedQA and Med<wbr>Mentions.</p></div>';
    expect(blocks(document.getElementById('r')!)).toEqual(['Use PubMedQA and MedMentions.']);
  });

  /** The blocks of #r in `html`, with `edit` run between the first block and the rest (two slices of a pass). */
  function blocksEditedAfterFirst(html: string, edit: () => void): string[] {
    document.body.innerHTML = html;
    const reader = createBlockReader(() => false, { nodesRead: 0, charsRead: 0 });
    reader.begin(document.getElementById('r')!);
    const out: string[] = [];
    let b = reader.nextBlock();
    for (; b === PENDING; b = reader.nextBlock());
    out.push(b!.joined);
    edit();
    for (b = reader.nextBlock(); b !== null; b = reader.nextBlock()) if (b !== PENDING) out.push(b.joined);
    return out;
  }

  it('stops at the edge of its root when the page moves the node it stands at elsewhere', () => {
    const html = '<div id="r"><p>One.</p><p id="m">Two.</p><p>Three.</p></div><footer id="f"><p>Four.</p></footer><p>Five.</p>';
    // The next paragraph goes to the footer.
    expect(blocksEditedAfterFirst(html, () => document.getElementById('f')!.append(document.getElementById('m')!))).toEqual(['One.']);
    // Or leaves the document: the walk ends there too.
    expect(blocksEditedAfterFirst(html, () => document.getElementById('m')!.remove())).toEqual(['One.']);
  });

  it('skips the node it stands at when the page moves it into code inside the root, and reads on after the code', () => {
    const html = '<div id="r"><p>One.</p><p id="m">Two.</p><div><pre id="pre"><span></span></pre><p>Three.</p></div></div>';
    expect(blocksEditedAfterFirst(html, () => document.querySelector('#pre > span')!.append(document.getElementById('m')!))).toEqual(['One.', 'Three.']);
  });

  it('treats our own UI as transparent', () => {
    document.body.innerHTML = '<div id="r"><p>Pub<cmed-badge data-cmed-ui></cmed-badge>MedQA</p></div>';
    expect(blocks(document.getElementById('r')!)).toEqual(['PubMedQA']);
  });
});

describe('skipped', () => {
  it('agrees with Element.matches on SKIP_SELECTOR', () => {
    document.body.innerHTML =
      '<div><code>a</code><pre>b</pre><input><textarea></textarea><span contenteditable="true">c</span><span contenteditable="false">d</span>' +
      '<div class="ltx_listing x">e</div><span class="ltx_verbatim">f</span><span data-cmed-ui>g</span><p class="plain">h</p><svg></svg><template></template>' +
      '<table><tr><td class="blob-num">1</td><td class="blob-code blob-code-inner">i</td><td class="blob-code-marker">j</td></tr></table></div>';
    for (const el of Array.from(document.body.querySelectorAll('*'))) expect([el.localName, skipped(el)]).toEqual([el.localName, el.matches(SKIP_SELECTOR)]);
  });
});

describe('Annotator (DOM glue)', () => {
  it('places one badge after each mention, outside the link, without touching page text', async () => {
    const a = await annotate('<h1>Repo</h1><article><p>See <a href="#">PubMedQA</a> and <strong>Yidu-S4K</strong> data. <code>CMeKG</code></p></article>');
    expect(marks()).toEqual(['pubmedqa', 'yidu-s4k']);
    const badge = document.querySelector('[data-catalog-entry="pubmedqa"]')!;
    expect(badge.previousSibling?.nodeName).toBe('A');
    expect(badge.getAttribute('tabindex')).toBe('0');
    expect(document.querySelector('article')!.textContent).toBe('See PubMedQA and Yidu-S4K data. CMeKG');
    a.stop();
  });

  it('places the badge outside a region that is itself a link (an Anthology listing reads each title link), never inside it', async () => {
    document.body.innerHTML =
      '<section id="main"><p><span class="d-block"><strong><a class="align-middle" href="/2020.emnlp-main.253/">COMETA: A Corpus for Medical Entity Linking in the Social Media</a></strong><br><a href="/people/x/">An Author</a></span></p></section>';
    const a = createAnnotator({ doc: document, adapter: aclAnthology, matcher, meta, strings: {}, url: () => 'https://aclanthology.org/events/emnlp-2020/' });
    await a.start();
    expect(marks()).toEqual(['cometa-paper']);
    const badge = document.querySelector('[data-catalog-entry="cometa-paper"]')!;
    expect(badge.closest('a')).toBeNull();
    expect(badge.previousSibling?.nodeName).toBe('STRONG');
    expect(document.querySelector('section')!.textContent).toBe('COMETA: A Corpus for Medical Entity Linking in the Social MediaAn Author');
    a.stop();
  });

  it('puts the badge after the link when the mention does not end it: Anthology titles with capitals in spans, a bold name in a README link', async () => {
    document.body.innerHTML =
      '<section id="main"><p><span class="d-block"><strong><a class="align-middle" href="/2020.x-main.1/">Evaluating <span class="acl-fixed-case">P</span>ub<span class="acl-fixed-case">M</span>ed<span class="acl-fixed-case">QA</span> answers with retrieval</a></strong><br><a href="/people/x/">An Author</a></span></p></section>';
    const acl = createAnnotator({ doc: document, adapter: aclAnthology, matcher, meta, strings: {}, url: () => 'https://aclanthology.org/events/emnlp-2020/' });
    await acl.start();
    expect(marks()).toEqual(['pubmedqa']);
    const title = document.querySelector('[data-catalog-entry="pubmedqa"]')!;
    expect(title.closest('a')).toBeNull();
    expect(title.previousSibling?.nodeName).toBe('STRONG');
    acl.stop();
    const a = await annotate('<h1>Repo</h1><article><p>See the <a href="https://example.org/q"><strong>PubMedQA</strong> dataset page</a> and <a href="#c">CMeKG <img alt=""></a>.</p></article>');
    expect(marks()).toEqual(['pubmedqa', 'cmekg']);
    for (const id of ['pubmedqa', 'cmekg']) {
      const badge = document.querySelector(`[data-catalog-entry="${id}"]`)!;
      expect([id, badge.closest('a'), badge.previousSibling?.nodeName]).toEqual([id, null, 'A']);
    }
    expect(document.querySelector('article')!.textContent).toBe('See the PubMedQA dataset page and CMeKG .');
    a.stop();
  });

  it("puts the badge after a page's button that holds the mention, never inside it (no button of ours inside the page's)", async () => {
    const a = await annotate('<h1>Repo</h1><article><p><button type="submit">Open <b>PubMedQA</b> data</button> or <button>CMeKG</button> then Yidu-S4K.</p></article>');
    expect(marks()).toEqual(['pubmedqa', 'cmekg', 'yidu-s4k']);
    for (const id of ['pubmedqa', 'cmekg']) {
      const badge = document.querySelector(`[data-catalog-entry="${id}"]`)!;
      expect([id, badge.closest('button'), badge.previousSibling?.nodeName]).toEqual([id, null, 'BUTTON']);
    }
    expect(document.querySelectorAll('button')[0].textContent).toBe('Open PubMedQA data');
    a.stop();
  });

  it("puts the badge after a page's label that holds the mention, out of a link in it too, and leaves it inside a heading (a block: after it, a sibling of blocks)", async () => {
    const a = await annotate('<h1>Repo</h1><article><h2>On <a href="#q"><em>PubMedQA</em></a> results</h2><p><label><input type="checkbox"> Use <a href="#k">CMeKG</a> graph</label> and Yidu-S4K.</p></article>');
    expect(marks()).toEqual(['pubmedqa', 'cmekg', 'yidu-s4k']);
    const badge = (id: string) => document.querySelector(`[data-catalog-entry="${id}"]`)!;
    expect([badge('pubmedqa').closest('a'), badge('pubmedqa').parentElement?.localName, badge('pubmedqa').previousSibling?.nodeName]).toEqual([null, 'h2', 'A']);
    expect([badge('cmekg').closest('a,label'), badge('cmekg').previousSibling?.nodeName]).toEqual([null, 'LABEL']);
    expect(document.querySelector('h2')!.textContent).toBe('On PubMedQA results');
    a.stop();
  });

  it('reads no line of code GitHub embeds in a comment (a permalink to lines, a suggested change)', async () => {
    const a = await annotate(
      '<h1>Repo</h1><article><p>PubMedQA loads like this:</p><div class="blob-wrapper-embedded"><table><tr><td class="blob-num">12</td><td class="blob-code blob-code-inner">ds = load_dataset("CMeKG")</td></tr></table></div></article>',
    );
    expect(marks()).toEqual(['pubmedqa']);
    a.stop();
  });

  it('marks a name followed by a footnote or citation mark (a superscript ends the line of text; a subscript does not)', async () => {
    // GitHub renders `PubMedQA[^1]` as PubMedQA<sup>1</sup>; arXiv's HTML papers put LaTeX
    // footnotes in <sup class="ltx_note_mark">; a digit glued to a name would not be a name.
    const a = await annotate(
      '<h1>Repo</h1><article><p>We fine-tune on PubMedQA<sup>1</sup> and MedDialog<sup><a href="#fn2">2</a></sup>.</p>' +
        '<p>On CMeKG<span class="ltx_note"><sup class="ltx_note_mark">3</sup><span class="ltx_note_outer"><sup>3</sup>see its site</span></span> too, and cMedQA<sub>2</sub>.</p></article>',
    );
    expect(marks()).toEqual(['pubmedqa', 'meddialog', 'cmekg', 'cmedqa2']);
    a.stop();
  });

  it('is idempotent: a second full pass scans nothing and changes nothing', async () => {
    const a = await annotate('<h1>Repo</h1><article><p>CMeKG and cMedQA2.</p><p>Nothing here.</p></article>');
    const before = document.body.innerHTML;
    await a.requestFull();
    expect(a.stats?.scanned).toBe(0);
    expect(document.body.innerHTML).toBe(before);
    a.stop();
  });

  it('keeps watching the size of the paragraphs that hold mentions after a full pass that scanned nothing', async () => {
    // A paragraph that rewraps (a pane dragged wider) moves where its mentions end.
    const observed = new Set<Element>();
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe(el: Element) {
          observed.add(el);
        }
        unobserve(el: Element) {
          observed.delete(el);
        }
        disconnect() {
          observed.clear();
        }
      },
    );
    onTestFinished(() => void vi.unstubAllGlobals());
    const a = await annotate('<article><p id="with">CMeKG here.</p><p id="without">Nothing here.</p></article>');
    const p = document.getElementById('with')!;
    expect(observed.has(p)).toBe(true);
    // A second full pass (Turbo's render then its load, a page back from the cache): nothing changed.
    await a.requestFull();
    expect(a.stats?.scanned).toBe(0);
    expect(observed.has(p)).toBe(true);
    expect(observed.has(document.getElementById('without')!)).toBe(false);
    a.stop();
  });

  it('reconciles a block whose text changed and removes everything when stopped', async () => {
    const a = await annotate('<h1>Repo</h1><article><p id="p">CMeKG and cMedQA2.</p></article>');
    expect(marks()).toEqual(['cmekg', 'cmedqa2']);
    (document.getElementById('p')!.firstChild as Text).data = 'Only cMedQA2 now.';
    await a.requestFull();
    expect(marks()).toEqual(['cmedqa2']);
    a.stop();
    expect(document.querySelectorAll('[data-cmed-ui]').length).toBe(0);
    expect(document.body.innerHTML).toBe('<h1>Repo</h1><article><p id="p">Only cMedQA2 now.</p></article>');
  });

  it('brings back a badge the page removed, even when a full pass runs first', async () => {
    const a = await annotate('<h1>Repo</h1><article><p>CMeKG here.</p></article>');
    onTestFinished(() => a.stop());
    const badge = document.querySelector('cmed-badge')!;
    // A morphing re-render removes our badge and keeps the text; a navigation event in the same
    // frame asks for a full pass.
    badge.remove();
    await a.requestFull();
    await vi.waitFor(() => expect(marks()).toEqual(['cmekg']));
    expect(document.querySelector('cmed-badge')).not.toBe(badge);
  });

  it('brings back the badges of a paragraph naming three entries that the page removed at once, twice over', async () => {
    const a = await annotate('<h1>Repo</h1><article><p>We compare CMeKG, cMedQA2 and PubMedQA here.</p></article>');
    onTestFinished(() => a.stop());
    expect(marks()).toEqual(['cmekg', 'cmedqa2', 'pubmedqa']);
    // One text node holds all three mentions: a page's clean-up of foreign nodes, done twice, is
    // two removals for that text, not six.
    for (let round = 0; round < 2; round++) {
      for (const b of document.querySelectorAll('cmed-badge')) b.remove();
      await a.requestFull();
      await vi.waitFor(() => expect(marks()).toEqual(['cmekg', 'cmedqa2', 'pubmedqa']));
    }
  });

  it('gives no more badge to text whose badge the page removed three times, and stops there', async () => {
    const a = await annotate('<h1>Repo</h1><article><p>CMeKG here.</p><p>And PubMedQA there.</p></article>');
    onTestFinished(() => a.stop());
    for (let round = 0; round < 3; round++) {
      document.querySelector('[data-catalog-entry="cmekg"]')!.remove();
      await a.requestFull();
    }
    await vi.waitFor(() => expect(marks()).toEqual(['pubmedqa']));
    await a.requestFull();
    expect(marks()).toEqual(['pubmedqa']);
  });

  it('takes a badge away when the page moves its text out of what we read, and follows text moved within it', async () => {
    const a = await annotate('<h1>Repo</h1><article><p id="from">CMeKG here.</p><p id="to">See </p></article><footer id="out"></footer>');
    onTestFinished(() => a.stop());
    expect(marks()).toEqual(['cmekg']);
    // Into another paragraph of the region: the badge follows the text.
    document.getElementById('to')!.append(document.getElementById('from')!.firstChild!);
    await vi.waitFor(() => expect(document.querySelector('#to > [data-catalog-entry="cmekg"]')).not.toBeNull());
    expect(marks()).toEqual(['cmekg']);
    // Out of the regions (a footer): no badge is left behind where the text was.
    const text = document.getElementById('to')!.lastChild!.previousSibling!;
    expect(text.textContent).toBe('CMeKG here.');
    document.getElementById('out')!.append(text);
    await vi.waitFor(() => expect(marks()).toEqual([]));
    expect(document.getElementById('to')!.innerHTML).toBe('See ');
  });

  it('follows a removal that joins a name or splits one, with or without marks on the page', async () => {
    // Nothing marked yet: a line break taken out joins "Pub" and "MedQA".
    const a = await annotate('<h1>Repo</h1><article><p id="j">Pub<br>MedQA here</p></article>');
    onTestFinished(() => a.stop());
    expect(marks()).toEqual([]);
    document.querySelector('#j br')!.remove();
    await vi.waitFor(() => expect(marks()).toEqual(['pubmedqa']));
    // With marks: an element taken out joins a name; a line break taken out glues a word onto one.
    const p = document.createElement('p');
    p.innerHTML = 'Yidu<span>-based </span>-S4K and CMeKG<br>x';
    document.querySelector('article')!.append(p);
    await vi.waitFor(() => expect(marks()).toEqual(['pubmedqa', 'cmekg']));
    p.querySelector('span')!.remove();
    p.querySelector('br')!.remove();
    await vi.waitFor(() => expect(marks()).toEqual(['pubmedqa', 'yidu-s4k']));
  });

  it('marks a short name once content that arrives later names its entry in full, before or after it', async () => {
    // "MIE" alone is a plain word; the paper's full title on the same page supports it.
    const a = await annotate('<h1>Repo</h1><article><p>We run MIE on the notes.</p></article>');
    onTestFinished(() => a.stop());
    expect(marks()).toEqual([]);
    const article = document.querySelector('article')!;
    const title = document.createElement('p');
    title.textContent = 'MIE: A Medical Information Extractor towards Medical Dialogues.';
    article.append(title);
    await vi.waitFor(() => expect(marks()).toEqual(['mie', 'mie']));
    // In one insertion, the short name ahead of the title that supports it.
    const b = await annotate('<h1>Repo</h1><article><p>Nothing yet.</p></article>');
    onTestFinished(() => b.stop());
    a.stop();
    const more = document.createElement('div');
    more.innerHTML = '<p>LATTE links entities.</p><p>LATTE: Latent Type Modeling for Biomedical Entity Linking</p>';
    document.querySelector('article')!.append(more);
    await vi.waitFor(() => expect(marks()).toEqual(['latte', 'latte']));
  });

  it('runs no full pass (no region query) for a removal outside the regions (a menu closing), nor for a new name that no held-back short name belongs to', async () => {
    const regions = vi.spyOn(adapter, 'regions');
    onTestFinished(() => void regions.mockRestore());
    // "LATTE" as a plain word: the matcher holds back LATTE's short name.
    const a = await annotate('<h1>Repo</h1><nav><ul><li id="menu">Menu</li></ul></nav><article><p>CMeKG here.</p><p>We drink LATTE.</p></article>');
    onTestFinished(() => a.stop());
    const before = regions.mock.calls.length;
    document.getElementById('menu')!.remove();
    // Something to wait for: a name added in the region in the same task, marked by the same pass.
    const p = document.createElement('p');
    p.textContent = 'And CMeKG again.';
    document.querySelector('article')!.append(p);
    await vi.waitFor(() => expect(marks()).toEqual(['cmekg', 'cmekg']));
    expect(regions.mock.calls.length).toBe(before);
    // A name new to the page, of another entry than the held-back one: no full pass follows.
    const q = document.createElement('p');
    q.textContent = 'And cMedQA2.';
    document.querySelector('article')!.append(q);
    await vi.waitFor(() => expect(marks()).toEqual(['cmekg', 'cmekg', 'cmedqa2']));
    expect(regions.mock.calls.length).toBe(before);
  });

  it('reads no text above the region when the page removes one of its direct children', async () => {
    const a = await annotate('<h1>Repo</h1><div><p>Outside: CMeKG.</p><article><p>CMeKG here.</p><span id="x">x</span></article></div>');
    onTestFinished(() => a.stop());
    expect(marks()).toEqual(['cmekg']);
    // The removal's record names the region itself as its parent.
    document.getElementById('x')!.remove();
    const p = document.createElement('p');
    p.textContent = 'And CMeKG again.';
    document.querySelector('article')!.append(p);
    await vi.waitFor(() => expect(marks()).toEqual(['cmekg', 'cmekg']));
    expect(document.querySelector('div > p > [data-catalog-entry]')).toBeNull();
  });

  it('marks again a name whose element the page replaced with a copy while asking for a full pass', async () => {
    const a = await annotate('<h1>Repo</h1><article><p>We use <em>PubMedQA</em> here.</p></article>');
    onTestFinished(() => a.stop());
    const em = document.querySelector('em')!;
    // A morphing re-render swaps in an identical copy; a navigation event in the same frame asks for a full pass.
    em.replaceWith(em.cloneNode(true));
    await a.requestFull();
    await vi.waitFor(() => expect(marks()).toEqual(['pubmedqa']));
    expect(document.querySelector('cmed-badge')!.previousSibling).toBe(document.querySelector('em'));
  });

  /** An annotator on a GitHub README naming CMeKG once, its URL set by `go`, its reports kept. */
  async function onReadme() {
    const page = { url: 'https://github.com/o/r' };
    const reports: [string[] | null, string][] = [];
    document.body.innerHTML = '<div id="readme"><article class="markdown-body"><p>CMeKG here.</p></article></div>';
    const a = createAnnotator({ doc: document, adapter: github, matcher, meta, strings: {}, url: () => page.url, report: (ids, u) => void reports.push([ids, u]) });
    onTestFinished(() => a.stop());
    await a.start();
    return { a, reports, go: (url: string) => (page.url = url) };
  }

  it('reads a block element added between blocks alone, not its whole container again (a live log growing a line at a time)', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `<p>log line ${i}: nothing to see here</p>`).join('\n');
    const a = await annotate(`<h1>Repo</h1><article><div id="log">${lines}</div><p>CMeKG here.</p></article>`);
    onTestFinished(() => a.stop());
    const log = document.getElementById('log')!;
    const pass = a.stats!.pass;
    log.insertAdjacentHTML('beforeend', '\n<p>log line 2000: cMedQA2 arrives</p>');
    await vi.waitFor(() => expect(a.stats!.pass).toBeGreaterThan(pass));
    expect(marks()).toEqual(['cmedqa2', 'cmekg']);
    expect(a.stats!.kind).toBe('incremental');
    expect(a.stats!.chars).toBeLessThan(200);
    // Text put beside other text still joins it: its container is read again.
    const again = a.stats!.pass;
    document.querySelector('article > p')!.insertAdjacentHTML('afterbegin', 'QA2, ');
    await vi.waitFor(() => expect(a.stats!.pass).toBeGreaterThan(again));
    const last = a.stats!.pass;
    document.querySelector('article > p')!.insertAdjacentHTML('afterbegin', '<span>cMed</span>');
    await vi.waitFor(() => expect(a.stats!.pass).toBeGreaterThan(last));
    expect(marks()).toEqual(['cmedqa2', 'cmedqa2', 'cmekg']);
  });

  it('brings back the badges a page took away or wrote over once, however many a paragraph holds; the third time, no more', async () => {
    const html = '<p>We compare <a href="#1">CMeKG</a>, <a href="#2">cMedQA2</a> and <a href="#3">PubMedQA</a> here.</p>';
    const a = await annotate(`<h1>Repo</h1><article>${html}</article>`);
    onTestFinished(() => a.stop());
    const all = ['cmekg', 'cmedqa2', 'pubmedqa'];
    expect(marks()).toEqual(all);
    // Taken away once: they come back.
    for (const b of document.querySelectorAll('cmed-badge')) b.remove();
    await vi.waitFor(() => expect(marks()).toEqual(all));
    // Written anew the moment they land (a framework re-rendering the paragraph), once: they come back.
    let rewrites = 1;
    const p = document.querySelector('article p')!;
    const war = new MutationObserver((recs) => {
      if (rewrites > 0 && recs.some((r) => [...r.addedNodes].some((n) => n.nodeName === 'CMED-BADGE'))) {
        rewrites--;
        p.innerHTML = html.slice(3, -4);
      }
    });
    war.observe(p, { childList: true, subtree: true });
    onTestFinished(() => war.disconnect());
    // (An edit of the page's own, well after the badges came, is news, not a fight.)
    await new Promise((r) => setTimeout(r, 300));
    p.innerHTML = html.slice(3, -4) + ' ';
    await vi.waitFor(() => expect([rewrites, marks()]).toEqual([0, all]));
    // A third time: the paragraph keeps its text and gets no more badges.
    await new Promise((r) => setTimeout(r, 300));
    rewrites = 1;
    p.innerHTML = html.slice(3, -4) + '  ';
    await vi.waitFor(() => expect(rewrites).toBe(0));
    await new Promise((r) => setTimeout(r, 300));
    expect(marks()).toEqual([]);
  });

  it('drops the badge of a mention whose text the page blanks in place', async () => {
    const a = await annotate('<h1>Repo</h1><article><p>intro</p><p id="p">CMeKG</p><p>outro</p></article>');
    onTestFinished(() => a.stop());
    expect(marks()).toEqual(['cmekg']);
    (document.getElementById('p')!.firstChild as Text).data = ' ';
    await vi.waitFor(() => expect(marks()).toEqual([]));
  });

  it('takes a move to an anchor of the page (a table of contents, a citation) for no new page', async () => {
    const { a, reports, go } = await onReadme();
    const sent = reports.filter(([ids]) => ids).length;
    const passes = a.stats!.pass;
    go('https://github.com/o/r#usage');
    // Then the page changes: a paragraph naming the same entry.
    document.querySelector('article')!.insertAdjacentHTML('beforeend', '<p>And CMeKG again.</p>');
    await vi.waitFor(() => expect(marks()).toEqual(['cmekg', 'cmekg']));
    expect(a.stats!.pass).toBeGreaterThan(passes);
    // Read as a change of the same page, and nothing new to tell the background.
    expect(a.stats!.kind).toBe('incremental');
    expect(reports.filter(([ids]) => ids)).toHaveLength(sent);
  });

  it('drops the last page’s marks on a GitHub URL with a malformed escape', async () => {
    const { a, reports, go } = await onReadme();
    expect(marks()).toEqual(['cmekg']);
    const url = go('https://github.com/o/r/blob/main/100%.py');
    document.body.innerHTML = '<div class="code">print(1)</div>';
    await a.requestFull();
    expect(a.lastError).toBeNull();
    expect(reports.at(-1)).toEqual([[], url]);
  });

  it('puts the badges of one text node in text order, and marks at most MAX_BLOCK_MENTIONS a block and MAX_MENTIONS a page', async () => {
    let a = await annotate('<h1>Repo</h1><article><p>CMeKG and cMedQA2, then CMeKG again.</p></article>');
    expect(marks()).toEqual(['cmekg', 'cmedqa2', 'cmekg']);
    a.stop();
    a = await annotate(`<h1>Repo</h1><article><p>${'CMeKG '.repeat(MAX_BLOCK_MENTIONS + 50)}</p></article>`);
    expect(marks()).toHaveLength(MAX_BLOCK_MENTIONS);
    // Run again over the same page: the same marks, none added or moved.
    const first = [...document.querySelectorAll('[data-catalog-entry]')];
    await a.requestFull();
    expect([...document.querySelectorAll('[data-catalog-entry]')]).toEqual(first);
    a.stop();
    a = await annotate(`<h1>Repo</h1><article>${'<p>On CMeKG.</p>'.repeat(MAX_MENTIONS + 20)}</article>`);
    expect(marks()).toHaveLength(MAX_MENTIONS);
    a.stop();
  }, 30_000);

  it('removes stale copies of its UI (a page cache restoring old badges)', async () => {
    document.body.innerHTML = '<h1>Repo</h1><article><p>CMeKG<cmed-badge data-cmed-ui data-catalog-entry="cmekg"></cmed-badge> here.</p></article>';
    const stale = document.querySelector('cmed-badge')!;
    const a = await startAnnotator();
    // The restored copy is gone and the mention has one badge again, a fresh one.
    expect(stale.isConnected).toBe(false);
    expect(marks()).toEqual(['cmekg']);
    expect(document.querySelector('[data-catalog-entry]')).not.toBe(stale);
    a.stop();
  });

  it('removes copies of its UI that arrive inside content the page inserts', async () => {
    const a = await annotate('<h1>Repo</h1><article><p>CMeKG here.</p></article>');
    expect(marks()).toEqual(['cmekg']);
    // A page that re-renders by cloning (React, a cached snapshot) brings our badge along, deep inside.
    const copy = document.querySelector('article')!.cloneNode(true) as Element;
    const stale = copy.querySelector('[data-cmed-ui]')!;
    const wrap = document.createElement('section');
    wrap.append(copy);
    document.body.append(wrap);
    await new Promise((r) => setTimeout(r, 150));
    await a.requestFull();
    expect(stale.isConnected).toBe(false);
    // The copied text is a mention of its own: one badge of ours each.
    expect(marks()).toEqual(['cmekg', 'cmekg']);
    a.stop();
  });

  it('never throws on an adapter that throws', async () => {
    document.body.innerHTML = '<article><p>PubMedQA</p></article>';
    const bad: SiteAdapter = { ...adapter, regions: () => { throw new Error('boom'); }, pageIds: () => { throw new Error('boom'); } };
    const a = createAnnotator({ doc: document, adapter: bad, matcher, meta, strings: {}, url: () => 'https://github.com/o/r' });
    await expect(a.start()).resolves.toBeUndefined();
    expect(marks()).toEqual([]);
    a.stop();
  });

  // A listing or a paper has hundreds of small roots, each read in one feed, so the slice's
  // clock is mostly read at a root's end: a spent slice must still yield there.
  it('yields between small roots once its slice is spent', async () => {
    document.body.innerHTML = Array.from({ length: 600 }, (_, i) => `<article><p>Plain notes on item ${i}, with nothing in them to find at all.</p></article>`).join('');
    let t = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (t += 1));
    try {
      const a = createAnnotator({ doc: document, adapter, matcher, meta, strings: {}, url: () => 'https://github.com/o/r', sliceBudget: 0 });
      await a.start();
      // The clock is read every 16,384 characters (slicer.ts); with no budget and a clock that
      // always moves, each reading ends the slice: one slice more than readings, at least.
      const chars = a.stats!.chars;
      expect(chars).toBeGreaterThan(2 * 16384);
      expect(a.stats!.slices).toBeGreaterThanOrEqual(Math.floor(chars / 16384) + 1);
      a.stop();
    } finally {
      clock.mockRestore();
    }
  });

  // A candidate in the root's last child needs no length of that child: the rest of the text
  // read is its. Reading an element's textContent copies its text (10 ms for a 10 MB
  // paragraph in Firefox), once more on top of the block read that follows.
  it("places a candidate in the root's last child without copying that child's text", async () => {
    for (const many of [false, true]) {
      // A small root's text is read at once; a big root's in groups of children (a Range).
      const filler = many ? Array.from({ length: 300 }, (_, i) => `<p>Plain row ${i}.</p>`).join('') : '<p>Plain notes.</p>';
      document.body.innerHTML = `<h1>Repo</h1><article>${filler}<p>We use <em>PubMedQA</em> here.</p><p>Then CMeKG.</p></article>`;
      const reads = new Map<Element, number>();
      const children = Array.from(document.querySelector('article')!.children).slice(-2);
      for (const el of children) {
        // The getter the element inherits (happy-dom defines it on Element, browsers on Node).
        let proto = Object.getPrototypeOf(el) as object;
        while (!Object.getOwnPropertyDescriptor(proto, 'textContent')) proto = Object.getPrototypeOf(proto) as object;
        const own = Object.getOwnPropertyDescriptor(proto, 'textContent')!;
        Object.defineProperty(el, 'textContent', {
          configurable: true,
          get() {
            reads.set(el, (reads.get(el) ?? 0) + 1);
            return own.get!.call(el);
          },
        });
      }
      const a = await startAnnotator();
      expect(marks()).toEqual(['pubmedqa', 'cmekg']);
      // Reading the root's text may read each child's (happy-dom does, for a small root): the
      // same count for both. Placing the candidates measures the child before the last, to
      // walk past it, and not the last.
      const [before, last] = children.map((el) => reads.get(el) ?? 0);
      expect(before - last, many ? 'big root' : 'small root').toBe(1);
      a.stop();
    }
  });

  // Reading a long text is one native call that no script can split (a 10 MB paragraph takes
  // 60–90 ms in Firefox 153). The gate's read of a small root and the block read of its hot child
  // must not add up in one slice. Here the clock moves only while the page's text is read.
  it("ends the slice after reading a long root's text, before reading its block", async () => {
    document.body.innerHTML = `<h1>Repo</h1><article><p>${'PubMedQA '.repeat(20_000)}</p></article>`;
    const article = document.querySelector('article')!;
    const text = article.querySelector('p')!.firstChild as Text;
    const clock = handClock();
    let inside = false;
    const read = new Set<Node>();
    const slow = (target: Node, key: 'textContent' | 'data') => {
      let proto = Object.getPrototypeOf(target) as object;
      while (!Object.getOwnPropertyDescriptor(proto, key)) proto = Object.getPrototypeOf(proto) as object;
      const own = Object.getOwnPropertyDescriptor(proto, key)!;
      Object.defineProperty(target, key, {
        configurable: true,
        get() {
          // The first read costs 50 ms, however the DOM computes it (happy-dom reads the text
          // node's data for the root's text, and again for ranges and offsets).
          if (inside || read.has(target)) return own.get!.call(target);
          read.add(target);
          inside = true;
          clock.t += 50;
          try {
            return own.get!.call(target);
          } finally {
            inside = false;
          }
        },
      });
    };
    slow(article, 'textContent');
    slow(text, 'data');
    const a = await startAnnotator();
    expect(marks()).toHaveLength(MAX_BLOCK_MENTIONS);
    expect(clock.t).toBe(100);
    expect(a.stats!.maxSliceMs).toBe(50);
    a.stop();
  });

  // A comment that repeats a name up to GitHub's length limit is longer than one window: its
  // scan (thousands of candidates) and the marking of its first 200 mentions must not add up in
  // one slice. Here the clock moves only while the matcher scans and while mentions get ranges.
  it("ends the slice between a long block's scan and the marking of what it found", async () => {
    document.body.innerHTML = `<h1>Repo</h1><article><p>${'PubMedQA '.repeat(8000)}</p></article>`;
    const clock = handClock();
    const createRange = document.createRange.bind(document);
    vi.spyOn(document, 'createRange').mockImplementation(() => {
      clock.t += 0.2;
      return createRange();
    });
    const scanning: typeof matcher = {
      ...matcher,
      scan: (text, ctx) => {
        clock.t += 40;
        return matcher.scan(text, ctx);
      },
    };
    const a = createAnnotator({ doc: document, adapter, matcher: scanning, meta, strings: {}, url: () => 'https://github.com/o/r' });
    await a.start();
    expect(marks()).toHaveLength(MAX_BLOCK_MENTIONS);
    // One window's scan, then 200 ranges (40 ms) in a slice of their own.
    expect(clock.t).toBeGreaterThanOrEqual(80);
    expect(a.stats!.maxSliceMs).toBeLessThanOrEqual(45);
    a.stop();
  });

  // The gate streams a root's text across slices; the page may remove a child in between,
  // which moves every child after it. Without mentions there is nothing to prune, but the
  // text read is stale: the root must be read again, whole.
  it('reads a root whole when the page removes a child while its text is streamed', async () => {
    const rows = (n: number, named: number) => Array.from({ length: n }, (_, i) => `<p id="r${i}">${i === named ? 'We use PubMedQA.' : 'word '.repeat(960)}</p>`).join('');
    const shapes = [
      // A small root read at once: its first child is more than one window long.
      `<p id="r0">${'word '.repeat(14_000)}</p><p id="r1">We use PubMedQA here.</p><p id="r2">x</p>`,
      // A big root read in groups of children: the named child comes in the second group.
      rows(100, 16),
    ];
    const g = globalThis as { scheduler?: unknown };
    const before = g.scheduler;
    try {
      for (const shape of shapes) {
        document.body.innerHTML = `<h1>Repo</h1><article>${shape}</article>`;
        let removed = false;
        g.scheduler = {
          yield: () => {
            if (!removed) {
              removed = true;
              document.getElementById('r0')!.remove();
            }
            return new Promise((resolve) => setTimeout(resolve, 0));
          },
        };
        const a = createAnnotator({ doc: document, adapter, matcher, meta, strings: {}, url: () => 'https://github.com/o/r', sliceBudget: 0 });
        await a.start();
        expect(removed).toBe(true);
        expect(marks(), shape.slice(0, 40)).toEqual(['pubmedqa']);
        a.stop();
      }
    } finally {
      g.scheduler = before;
    }
  });

  // The gate reads a root's text in groups of children (or a small root at once) and walks
  // only the children where a name may end. Whatever the shape of the root, the marks must
  // be those of reading every block.
  it('finds exactly what reading every block finds, in roots of any size and shape', async () => {
    const piece = fc.constantFrom('Notes on ', 'PubMedQA', 'Pub', 'MedQA', 'Yidu-S4K', 'CMeKG', 'cMed', 'QA2', 'cMedQA2', ' 中文病历', 'BERT', ' and ', '. ', 'x');
    const text = fc.array(piece, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
    const child = fc.oneof(
      text.map((t) => `<p>${t}</p>`),
      fc.tuple(text, text).map(([a, b]) => `<p>${a}<em>${b}</em>${a}</p>`),
      fc.tuple(text, text).map(([a, b]) => `<div><p>${a}</p>${b}<ul><li>${b}</li></ul></div>`),
      text,
      text.map((t) => `<em>${t}</em>`),
      text.map((t) => `<a href="#">${t}</a>`),
      text.map((t) => `<pre>${t}</pre>`),
      text.map((t) => `<p>x <code>${t}</code> y</p>`),
      fc.constant('<br>'),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(child, { minLength: 1, maxLength: 20 }), fc.array(child, { minLength: 150, maxLength: 300 })), async (children) => {
        const html = `<h1>Repo</h1><article>${children.join('')}</article>`;
        document.body.innerHTML = html;
        const expected = blocks(document.querySelector('article')!).flatMap((b) => matcher.scan(b).map((m) => m.entryId));
        const a = await annotate(html);
        expect(marks()).toEqual(expected);
        a.stop();
      }),
      { numRuns: 40 },
    );
  });
});
