/**
 * Adapters on the real saved pages (../shared/corpora/pages/), parsed with both linkedom
 * and happy-dom, and on small hand-written snippets for the page kinds no saved page covers
 * (arXiv listing, search and HTML paper; Anthology volume/event; GitHub issue).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { Window } from 'happy-dom';
import { adapterFor } from '../../../utils/sites';
import { SKIP_SELECTOR, type SiteAdapter } from '../../../utils/sites/types';
import { regionsBySelectors } from '../../../utils/sites/dom';
import { buildMatcherData, createMatcher } from '../../../utils/matcher';
import { idKey, parseRawId, type IdKind } from '../../../utils/matcher/ids';
import { SMALL_CATALOG } from '../matcher/fixtures';

const PAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpora/pages');

type Parser = (html: string, url: string) => Document;
const parsers: Array<[string, Parser]> = [
  ['linkedom', (html) => parseHTML(html).document as unknown as Document],
  [
    'happy-dom',
    (html, url) => {
      const w = new Window({
        url,
        settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true, disableIframePageLoading: true },
      });
      w.document.write(html);
      return w.document as unknown as Document;
    },
  ],
];

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

interface Expected {
  file: string;
  url: string;
  type: string;
  ids: string[];
  regions: Array<[string, string]>; // [tag.class prefix, text start]
  banner: string;
}

const saved: Expected[] = [
  {
    file: 'metascraper__arxiv.org-abs-1706.03762.html',
    url: 'https://arxiv.org/abs/1706.03762',
    type: 'abs',
    ids: ['arxiv:1706.03762', 'title:Attention Is All You Need'],
    regions: [
      ['H1', 'Title:Attention Is All You Need'],
      ['BLOCKQUOTE', 'Abstract:The dominant sequence transduction models'],
      ['TD', '15 pages, 5 figures'],
    ],
    banner: 'H1',
  },
  {
    file: 'papis__ACL_2021.naacl-main.208.html',
    url: 'https://aclanthology.org/2021.naacl-main.208/',
    type: 'paper',
    ids: ['acl:2021.naacl-main.208', 'doi:10.18653/v1/2021.naacl-main.208', 'title:How many data points is a prompt worth?'],
    regions: [
      ['H2', 'How many data points is a prompt worth?'],
      ['DIV', 'AbstractWhen fine-tuning pretrained models'],
    ],
    banner: 'H2',
  },
  {
    file: 'papis__ACL_N04-1001.html',
    url: 'https://aclanthology.org/N04-1001/',
    type: 'paper',
    ids: ['acl:N04-1001', 'title:A Statistical Model for Multilingual Entity Detection and Tracking'],
    regions: [['H2', 'A Statistical Model for Multilingual Entity Detection and Tracking']],
    banner: 'H2',
  },
  {
    file: 'postlight-parser__github.com.html',
    url: 'https://github.com/steventroughtonsmith/marzipanify',
    type: 'repo',
    ids: ['github:steventroughtonsmith/marzipanify'],
    regions: [
      ['ARTICLE', 'marzipanify marzipanify is an unsupported commandline tool'],
      ['P', 'Convert an iOS Simulator app bundle'],
    ],
    banner: 'DIV',
  },
  {
    file: 'metascraper__github-mql-input.html',
    url: 'https://github.com/microlinkhq/mql',
    type: 'repo',
    ids: ['github:microlinkhq/mql'],
    regions: [['ARTICLE', 'Documentation | CLI | Chat']],
    banner: 'DIV',
  },
];

/**
 * The content script's matcher keys a page's IDs with its adapter's `idKey` (only its own
 * site's kinds): for every ID the adapter gives, that is ids.ts `idKey`.
 */
function expectOwnKeys(adapter: SiteAdapter, raws: string[]): void {
  for (const raw of raws) {
    if (raw.startsWith('title:')) continue;
    const i = raw.indexOf(':');
    const kind = raw.slice(0, i) as IdKind;
    const key = idKey(kind, raw.slice(i + 1));
    expect(key, raw).toBeDefined();
    expect(adapter.idKey(kind, raw.slice(i + 1)), raw).toBe(key);
  }
}

describe.each(parsers)('saved real pages (%s)', (_name, parse) => {
  it.each(saved)('$file', (exp) => {
    const url = new URL(exp.url);
    const doc = parse(fs.readFileSync(path.join(PAGES, exp.file), 'utf8'), exp.url);
    const adapter = adapterFor(url);
    expect(adapter).not.toBeNull();
    expect(adapter!.pageType(url)).toBe(exp.type);
    expect(adapter!.pageIds(doc, url)).toEqual(exp.ids);
    for (const raw of exp.ids) if (!raw.startsWith('title:')) expect(parseRawId(raw), raw).toBeDefined();
    expectOwnKeys(adapter!, exp.ids);
    const regions = adapter!.regions(doc, url);
    expect(regions.map((r) => r.tagName)).toEqual(exp.regions.map(([tag]) => tag));
    regions.forEach((r, i) => expect(text(r).startsWith(exp.regions[i][1]), text(r).slice(0, 80)).toBe(true));
    // Regions are content, never site chrome, and never nested in one another.
    for (const r of regions) {
      expect(r.closest('header, nav, footer')).toBeNull();
      for (const o of regions) if (o !== r) expect(o.contains(r)).toBe(false);
    }
    expect(adapter!.bannerAnchor(doc, url)?.tagName).toBe(exp.banner);
  });
});

const snippets: Array<{ name: string; url: string; head?: string; html: string; regions: string[]; ids?: string[]; banner?: string | null }> = [
  {
    name: 'arXiv listing',
    url: 'https://arxiv.org/list/cs.CL/new',
    html: `<div id="dlpage"><h3>New submissions</h3><dl id="articles">
      <dt><a title="Abstract" href="/abs/1909.06146">arXiv:1909.06146</a></dt>
      <dd><div class="meta"><div class="list-title mathjax"><span class="descriptor">Title:</span> PubMedQA: A Dataset for Biomedical Research Question Answering</div>
      <div class="list-authors"><a>Qiao Jin</a></div><div class="list-comments mathjax">EMNLP 2019</div>
      <div class="list-subjects">Computation and Language (cs.CL)</div></div></dd></dl></div>`,
    regions: ['Title: PubMedQA: A Dataset for Biomedical Research Question Answering', 'EMNLP 2019'],
    ids: [],
    banner: null,
  },
  {
    name: 'arXiv search',
    url: 'https://arxiv.org/search/?query=pubmedqa&searchtype=all',
    html: `<ol class="breathe-horizontal"><li class="arxiv-result"><div class="is-marginless"><p class="list-title is-inline-block"><a href="https://arxiv.org/abs/1909.06146">arXiv:1909.06146</a></p></div>
      <p class="title is-5 mathjax">PubMedQA: A Dataset for Biomedical Research Question Answering</p>
      <p class="authors"><a>Qiao Jin</a></p><p class="abstract mathjax"><span class="has-text-weight-semibold">Abstract</span>:
      <span class="abstract-short mathjax" style="display: inline;">We introduce <span class="search-hit">PubMedQA</span>, a novel… <a>▽ More</a></span>
      <span class="abstract-full mathjax" style="display: none;">We introduce PubMedQA, a novel biomedical question answering dataset. <a>△ Less</a></span></p></li></ol>`,
    // The abstract shown (cut around the search's hit) and the full one behind "More", both.
    regions: [
      'arXiv:1909.06146',
      'PubMedQA: A Dataset for Biomedical Research Question Answering',
      'Abstract: We introduce PubMedQA, a novel… ▽ More We introduce PubMedQA, a novel biomedical question answering dataset. △ Less',
    ],
  },
  {
    name: 'arXiv HTML paper',
    url: 'https://arxiv.org/html/2106.08087v2',
    // LaTeXML's shape: section headings, tables and captions sit beside the paragraphs, not in them.
    html: `<article class="ltx_document"><h1 class="ltx_title ltx_title_document">CBLUE: A Chinese Biomedical Language Understanding Evaluation Benchmark</h1>
      <div class="ltx_abstract"><h6>Abstract</h6><p class="ltx_p">We present CBLUE.</p></div>
      <nav class="ltx_TOC"><ol><li><a href="#S1">1 MedMentions</a></li></ol></nav>
      <div class="ltx_para"><p class="ltx_p">Before any section: Yidu-S4K.</p></div>
      <figure class="ltx_figure" id="S0.F1"><figcaption class="ltx_caption">Figure 1: Tasks of CBLUE.</figcaption></figure>
      <section class="ltx_section" id="S1"><h2 class="ltx_title ltx_title_section">1 MedMentions</h2><div class="ltx_para"><p class="ltx_p">We compare with MedMentions <cite class="ltx_cite"><a class="ltx_ref" href="#bib.bib1">1</a></cite>.</p>
      <div class="ltx_listing"><pre class="ltx_verbatim">code BioBERT</pre></div></div><section class="ltx_subsection" id="S1.SS1"><h3 class="ltx_title ltx_title_subsection">1.1 COMETA</h3><div class="ltx_para"><p class="ltx_p">Reddit mentions.</p></div></section><figure class="ltx_table"><figcaption class="ltx_caption">Table 1: Accuracy on PubMedQA.</figcaption><table class="ltx_tabular"><tr><td class="ltx_td">CMeKG</td><td class="ltx_td">0.71</td></tr></table></figure></section>
      <section class="ltx_bibliography"><h2 class="ltx_title ltx_title_bibliography">References</h2><ul class="ltx_biblist"><li class="ltx_bibitem" id="bib.bib1"><span class="ltx_bibblock">S. Mohan and D. Li. </span><span class="ltx_bibblock">MedMentions: A Large Biomedical Corpus Annotated with UMLS Concepts. </span><span class="ltx_bibblock">AKBC 2019.</span></li></ul></section></article>`,
    regions: [
      'CBLUE: A Chinese Biomedical Language Understanding Evaluation Benchmark',
      'AbstractWe present CBLUE.',
      'Before any section: Yidu-S4K.',
      'Figure 1: Tasks of CBLUE.',
      '1 MedMentions',
      'We compare with MedMentions 1. code BioBERT',
      '1.1 COMETAReddit mentions.',
      'Table 1: Accuracy on PubMedQA.CMeKG0.71',
      'References',
      'S. Mohan and D. Li. MedMentions: A Large Biomedical Corpus Annotated with UMLS Concepts. AKBC 2019.',
    ],
    ids: ['arxiv:2106.08087'],
    banner: 'H1',
  },
  {
    name: 'Anthology volume',
    url: 'https://aclanthology.org/volumes/2020.emnlp-main/',
    html: `<section id="main"><h2 id="title">Proceedings of EMNLP 2020</h2><div id="2020emnlp-main">
      <p class="d-sm-flex align-items-stretch"><span class="d-block mr-2"><a href="/2020.emnlp-main.253.pdf">pdf</a></span>
      <span class="d-block"><strong><a class="align-middle" href="/2020.emnlp-main.253/">COMETA: A Corpus for Medical Entity Linking in the Social Media</a></strong><br><a href="/people/m/marco-basaldella/">Marco Basaldella</a></span></p></div></section>`,
    regions: ['Proceedings of EMNLP 2020', 'COMETA: A Corpus for Medical Entity Linking in the Social Media'],
    ids: [],
    banner: null,
  },
  {
    name: 'Anthology event',
    url: 'https://aclanthology.org/events/emnlp-2020/',
    html: `<nav><strong><a class="align-middle" href="/">not me</a></strong></nav><section id="main"><div id="2020emnlp-main"><p><span><strong><a class="align-middle" href="/2020.emnlp-main.165/">FedED: Federated Learning via Ensemble Distillation for Medical Relation Extraction</a></strong></span></p></div></section>`,
    regions: ['FedED: Federated Learning via Ensemble Distillation for Medical Relation Extraction'],
  },
  {
    name: 'GitHub issue',
    url: 'https://github.com/dmis-lab/biobert/issues/12',
    html: `<header class="AppHeader"><span>BioBERT</span></header><main><div id="repository-container-header">dmis-lab / biobert</div>
      <h1><bdi class="js-issue-title markdown-title">Loading BioBERT weights</bdi></h1>
      <div class="comment-body markdown-body"><p>How do I load BioBERT with PubMedQA?</p></div></main>`,
    regions: ['Loading BioBERT weights', 'How do I load BioBERT with PubMedQA?'],
    ids: ['github:dmis-lab/biobert'],
    banner: 'DIV',
  },
  {
    name: "GitHub issue whose title begins with another repository's name",
    url: 'https://github.com/someone/other/issues/5',
    // An issue's og:title is its own title, then "· Issue #5 · owner/repo": not the repository's
    // "owner/repo: description", so it names no page of another repository.
    head: '<meta property="og:title" content="CBLUEbenchmark/CBLUE: dataset link is broken · Issue #5 · someone/other">',
    html: `<main><div id="repository-container-header">someone / other</div>
      <h1><bdi class="js-issue-title markdown-title">CBLUEbenchmark/CBLUE: dataset link is broken</bdi></h1></main>`,
    regions: ['CBLUEbenchmark/CBLUE: dataset link is broken'],
    ids: ['github:someone/other'],
    banner: 'DIV',
  },
  {
    name: 'GitHub rendered Markdown file',
    url: 'https://github.com/zhangsheng93/cMedQA2/blob/master/README.md',
    html: `<main><div id="repository-container-header">x</div><div id="readme"><article class="markdown-body entry-content"><h1>cMedQA2</h1><p>中文医学问答数据集</p></article></div></main>`,
    regions: ['cMedQA2中文医学问答数据集'],
    ids: ['github:zhangsheng93/cMedQA2'],
    banner: 'DIV',
  },
  {
    name: 'GitHub wiki page',
    url: 'https://github.com/zhangsheng93/cMedQA2/wiki/Data',
    // The wiki's own chrome (its page list, the edit button) is not read; its rendered Markdown is.
    html: `<main><div id="repository-container-header">x</div><div id="wiki-wrapper"><div class="gh-header"><h1 class="gh-header-title">Data</h1><a class="btn">Edit</a></div>
      <div id="wiki-content"><div id="wiki-body" class="gollum-markdown-content"><div class="markdown-body"><p>Splits of cMedQA2 and how they were made.</p></div></div>
      <div id="wiki-rightbar"><ul><li><a>Home</a></li><li><a>CMeKG notes</a></li></ul></div></div></div></main>`,
    regions: ['Splits of cMedQA2 and how they were made.'],
    ids: ['github:zhangsheng93/cMedQA2'],
    banner: 'DIV',
  },
];

describe.each(parsers)('page kinds without a saved page (%s)', (_name, parse) => {
  it.each(snippets)('$name', (s) => {
    const url = new URL(s.url);
    const doc = parse(`<!doctype html><html><head>${s.head ?? ''}</head><body>${s.html}</body></html>`, s.url);
    const adapter = adapterFor(url)!;
    expect(adapter.regions(doc, url).map(text)).toEqual(s.regions);
    if (s.ids) expect(adapter.pageIds(doc, url)).toEqual(s.ids);
    expectOwnKeys(adapter, adapter.pageIds(doc, url));
    if (s.banner !== undefined) expect(adapter.bannerAnchor(doc, url)?.tagName ?? null).toBe(s.banner);
  });
});

describe('regions and the matcher together', () => {
  it('finds catalog entries in the regions of an arXiv HTML paper, skipping code', () => {
    const s = snippets.find((x) => x.name === 'arXiv HTML paper')!;
    const url = new URL(s.url);
    const doc = parsers[0][1](`<!doctype html><html><body>${s.html}</body></html>`, s.url);
    const adapter = adapterFor(url)!;
    const m = createMatcher(buildMatcherData(SMALL_CATALOG));
    const supported = new Set(adapter.pageIds(doc, url).map((r) => parseRawId(r)).flatMap((f) => (f ? [m.byId(f.kind, f.id)] : [])).filter((x): x is string => !!x));
    expect([...supported]).toEqual(['cblue']);
    const found = new Set<string>();
    for (const region of adapter.regions(doc, url)) {
      // What an annotator does: read text nodes, skipping SKIP_SELECTOR subtrees.
      const walk = (n: Node) => {
        if (n.nodeType === 3) for (const h of m.scan(n.nodeValue ?? '', { supportedIds: supported })) found.add(h.entryId);
        else if (n.nodeType === 1 && !(n as Element).matches(SKIP_SELECTOR)) n.childNodes.forEach(walk);
      };
      walk(region);
    }
    expect([...found].sort()).toEqual(['cblue', 'cmekg', 'cometa', 'medmentions', 'pubmedqa', 'yidu-s4k']);
  });
});

// Each adapter reads IDs off its own site's URLs: the page's, its canonical link and (Anthology) its PDF link.
describe.each(parsers)('IDs from the canonical and PDF links (%s)', (_name, parse) => {
  const ids = (url: string, head: string) => {
    const u = new URL(url);
    const adapter = adapterFor(u)!;
    const got = adapter.pageIds(parse(`<!doctype html><html><head>${head}</head><body></body></html>`, url), u);
    expectOwnKeys(adapter, got);
    return got;
  };

  it('arXiv: the citation DOI of an abstract page is one of its IDs', () => {
    expect(ids('https://arxiv.org/abs/1909.06146', '<meta name="citation_doi" content="10.18653/V1/D19-1259">')).toEqual(['arxiv:1909.06146', 'doi:10.18653/v1/d19-1259']);
  });

  it('arXiv: a canonical abstract link adds its ID, version dropped', () => {
    expect(ids('https://arxiv.org/abs/1909.06146', '<link rel="Canonical" href="https://arxiv.org/abs/2010.03295v1">')).toEqual(['arxiv:1909.06146', 'arxiv:2010.03295']);
    expect(ids('https://arxiv.org/abs/1909.06146', '<link rel="canonical" href="https://arxiv.org/abs/1909.06146v3">')).toEqual(['arxiv:1909.06146']);
  });

  it('Anthology: canonical (legacy aclweb.org too) and PDF links add their IDs', () => {
    expect(
      ids(
        'https://aclanthology.org/2020.acl-main.576/',
        '<link rel="canonical" href="https://www.aclweb.org/anthology/d19-1259/"><meta name="citation_pdf_url" content="https://aclanthology.org/2020.emnlp-main.253v2.pdf">',
      ),
    ).toEqual(['acl:2020.acl-main.576', 'acl:D19-1259', 'acl:2020.emnlp-main.253']);
    expect(ids('https://aclanthology.org/2020.acl-main.576/', '<meta name="citation_pdf_url" content="not a url at all %%">')).toEqual(['acl:2020.acl-main.576']);
  });

  it('GitHub: a renamed repository names its new owner/repo in the canonical link; reserved paths do not', () => {
    expect(ids('https://github.com/Old/name', '<link rel="canonical" href="https://github.com/NewOwner/name">')).toEqual(['github:Old/name', 'github:NewOwner/name']);
    expect(ids('https://github.com/Old/name', '<link rel="canonical" href="https://github.com/features/copilot">')).toEqual(['github:Old/name']);
  });
});

describe('GitHub: the head names the page the document was loaded at', () => {
  const HEAD = '<meta property="og:title" content="CBLUEbenchmark/CBLUE: A benchmark"><link rel="canonical" href="https://github.com/CBLUEbenchmark/CBLUE">';
  /** A document loaded at `loadedAt` with CBLUE's head, read at `url` (a soft navigation's, or the same). */
  const ids = (loadedAt: string, url: string) => {
    const w = new Window({ url: loadedAt, settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
    w.document.write(`<!doctype html><html><head>${HEAD}</head><body></body></html>`);
    // The browser's record of the document's load (happy-dom keeps none).
    Object.defineProperty(w, 'performance', { value: { getEntriesByType: (type: string) => (type === 'navigation' ? [{ name: loadedAt }] : []) } });
    return adapterFor(new URL(url))!.pageIds(w.document as unknown as Document, new URL(url));
  };

  it('counts og:title and the canonical link at the URL it was loaded at (a renamed repository names its new name)', () => {
    expect(ids('https://github.com/Old/name', 'https://github.com/Old/name')).toEqual(['github:Old/name', 'github:CBLUEbenchmark/CBLUE']);
    // Its anchors and queries are the same page (GitHub's README tab is ?tab=readme-ov-file).
    expect(ids('https://github.com/Old/name#readme', 'https://github.com/Old/name?tab=readme-ov-file')).toEqual(['github:Old/name', 'github:CBLUEbenchmark/CBLUE']);
  });

  it('counts only the URL after a soft navigation, which may have left the head of the page before', () => {
    expect(ids('https://github.com/CBLUEbenchmark/CBLUE', 'https://github.com/someone/other')).toEqual(['github:someone/other']);
    expect(ids('https://github.com/CBLUEbenchmark/CBLUE', 'https://github.com/someone/other/issues/5')).toEqual(['github:someone/other']);
  });
});

/** Regions inside regions: #c in #b in #a, #f in #e. */
const NESTED_HTML = `<!doctype html><html><body><div id="a" class="r"><p id="b" class="q">one <span id="c" class="r">two</span></p></div>
  <p id="d" class="q">three</p><div id="e" class="r"><div id="f" class="r">four</div></div><p id="g" class="q">five</p></body></html>`;

describe.each(parsers)('regionsBySelectors (%s)', (_name, parse) => {
  const doc = parse(NESTED_HTML, 'https://example.org/');
  const ids = (sel: string[]) => regionsBySelectors(doc, sel).map((el) => el.id);

  it('returns every match in document order, whichever selector matched it', () => {
    expect(ids(['p.q', '#d ~ div.r'])).toEqual(['b', 'd', 'e', 'g']);
  });

  it('drops a match inside an earlier one, within one selector and across selectors', () => {
    expect(ids(['.r'])).toEqual(['a', 'e']);
    expect(ids(['.q', '.r'])).toEqual(['a', 'd', 'e', 'g']);
    expect(ids(['span', '.q'])).toEqual(['b', 'd', 'g']);
  });

  it('returns nothing for no selectors or no match', () => {
    expect(ids([])).toEqual([]);
    expect(ids(['.nowhere'])).toEqual([]);
  });

  it('joins per-selector results that follow one another, sharing or containing the boundary element', () => {
    expect(ids(['#a', '#d', '#e, #g'])).toEqual(['a', 'd', 'e', 'g']);
    expect(ids(['#a, #d', '#d, #e'])).toEqual(['a', 'd', 'e']);
    expect(ids(['#a', '#c, #g'])).toEqual(['a', 'g']);
    expect(ids(['#nowhere', '#b', '.nowhere', '#g'])).toEqual(['b', 'g']);
  });
});

// happy-dom only: linkedom's compareDocumentPosition has the direction wrong for some pairs
// (it reports #f, inside #e, as following #g, which comes after #e).
describe('regionsBySelectors against one query with the whole list', () => {
  const doc = parsers[1][1](NESTED_HTML, 'https://example.org/');
  it('gives the same regions for any selectors in any order', () => {
    // No sibling combinators: happy-dom's selector lists get them wrong ("#e ~ p, #f" misses
    // #g, "p, #e ~ p" lists #g twice), and a list query is what the merge falls back to.
    const pool = ['#a', '#b', '#c', '#d', '#e', '#f', '#g', '.q', '.r', 'span', 'p', 'div', '#d, #e', 'body > p', '.r .q', 'body > div', 'div div', '.nowhere'];
    // Every element in document order, by a walk over children.
    const inOrder: Element[] = [];
    const walk = (el: Element) => {
      inOrder.push(el);
      for (const c of Array.from(el.children)) walk(c);
    };
    walk(doc.documentElement);
    // What the merged result must be: the matches in document order, none inside another.
    const reference = (sel: string[]) => {
      const sets = sel.map((x) => new Set(Array.from(doc.querySelectorAll(x))));
      const all = inOrder.filter((el) => sets.some((set) => set.has(el)));
      return all.filter((el) => !all.some((o) => o !== el && o.contains(el))).map((el) => el.id);
    };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 5 }), (sel) => {
        expect(regionsBySelectors(doc, sel).map((el) => el.id)).toEqual(reference(sel));
      }),
      { numRuns: 300 },
    );
  });
});
