/**
 * Export formats. Pure functions of the favorites (plus an optional catalog lookup
 * for paper identifiers), so the options page can offer a download and tests can
 * check the text.
 */
import type { Entry } from '../catalog/types';
import type { Favorite } from './types';

export const EXPORT_FORMAT_ID = 'cmed-nlp-lens/favorites';
export const EXPORT_VERSION = 1;

export type ExportFormat = 'json' | 'bibtex' | 'markdown' | 'csv';

export interface ExportOptions {
  getEntry?: (id: string) => Entry | undefined;
  /** Export time in ms: the JSON header's UTC timestamp; file names and the Markdown heading use its local date. */
  now?: number;
}

export interface ExportFile {
  filename: string;
  mime: string;
  text: string;
}

/** The complete, round-trippable form: import(exportJson(x)) gives x back. */
export function exportJson(favorites: Favorite[], opts: ExportOptions = {}): string {
  const payload = {
    format: EXPORT_FORMAT_ID,
    version: EXPORT_VERSION,
    exportedAt: new Date(opts.now ?? Date.now()).toISOString(),
    favorites: favorites.map((f) => ({
      entryId: f.entryId,
      savedAt: f.savedAt,
      updatedAt: f.updatedAt,
      note: f.note,
      tags: f.tags,
      title: f.title,
      kind: f.kind,
      links: f.links,
    })),
  };
  return JSON.stringify(payload, null, 2) + '\n';
}

// ---------------------------------------------------------------------------
// Identifiers (from the catalog entry when known, else read off the saved links)

export interface PaperIds {
  arxiv?: string;
  acl?: string;
  doi?: string;
  year?: number;
  venue?: string;
}

// A query or fragment (?context=cs.CL, #abstract) is no part of the identifier.
const ARXIV_URL = /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/([a-z-]+(?:\.[A-Z]{2})?\/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?\/?(?:[?#].*)?$/i;
const ACL_URL = /^https?:\/\/(?:www\.)?(?:aclanthology\.org|aclweb\.org\/anthology)\/([A-Z]\d{2}-\d{4}|\d{4}\.[\w-]+\.\d+)(?:\.pdf)?\/?(?:[?#].*)?$/i;
const DOI_URL = /^https?:\/\/(?:dx\.)?doi\.org\/(10\.\d{4,9}\/[^\s#]+)(?:#.*)?$/i;

/** A DOI as a link spells it, percent-escapes decoded; a malformed escape ("%zz") is kept as written. */
function decodePercent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function paperIds(f: Favorite, getEntry?: ExportOptions['getEntry']): PaperIds {
  const e = getEntry?.(f.entryId);
  const ids: PaperIds = {};
  if (e) {
    ids.arxiv = e.ids.arxiv[0];
    ids.acl = e.ids.acl[0];
    ids.doi = e.ids.doi[0];
    ids.year = e.year;
    ids.venue = e.venue;
  }
  for (const l of f.links) {
    let m: RegExpExecArray | null;
    if (!ids.arxiv && (m = ARXIV_URL.exec(l.url))) ids.arxiv = m[1];
    else if (!ids.acl && (m = ACL_URL.exec(l.url))) ids.acl = m[1];
    else if (!ids.doi && (m = DOI_URL.exec(l.url))) ids.doi = decodePercent(m[1]);
  }
  return ids;
}

// ---------------------------------------------------------------------------
// BibTeX

// Braces are written as commands, not \{ and \}: BibTeX counts every brace in a braced field,
// escaped or not, so a note with one "{" would leave its field open and swallow the entries after it.
const TEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '%': '\\%',
  '&': '\\&',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '^': '\\^{}',
  '~': '\\~{}',
  // pdflatex's default font encoding prints these as ¡, ¿ and —: "<mask>" would read "¡mask¿".
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
};

export function texEscape(s: string): string {
  return s.replace(/[\\{}%&$#_^~<>|]/g, (c) => TEX_SPECIALS[c]).replace(/\s+/g, ' ').trim();
}

/** Citation keys allow letters, digits and a few punctuation marks; our ids are slugs already. */
function citeKey(id: string): string {
  return id.replace(/[^A-Za-z0-9_:.-]/g, '-');
}

export function bibtexEntry(f: Favorite, getEntry?: ExportOptions['getEntry']): string {
  const ids = paperIds(f, getEntry);
  // Braced twice, so that bibliography styles keep its capitals ("CBLUE", not "Cblue").
  const fields: [string, string][] = [['title', `{{${texEscape(f.title)}}}`]];
  if (ids.year) fields.push(['year', String(ids.year)]);
  let type = 'misc';
  if (ids.acl) {
    type = 'inproceedings';
    if (ids.venue) fields.push(['booktitle', `{${texEscape(ids.venue)}}`]);
    fields.push(['url', `{https://aclanthology.org/${ids.acl}}`]);
  } else if (ids.venue) {
    fields.push(['howpublished', `{${texEscape(ids.venue)}}`]);
  }
  if (ids.arxiv) {
    fields.push(['eprint', `{${ids.arxiv}}`], ['archivePrefix', '{arXiv}']);
    if (!ids.acl) fields.push(['url', `{https://arxiv.org/abs/${ids.arxiv}}`]);
  }
  // As written: styles print a DOI verbatim (and link it), so a TeX escape would stay in it.
  // Only what would break the field is percent-encoded.
  if (ids.doi) fields.push(['doi', `{${ids.doi.replace(/[{}\\%\s]/g, encodeURIComponent)}}`]);
  if (!ids.acl && !ids.arxiv) {
    const url = f.links.find((l) => l.type === 'paper')?.url ?? f.links[0]?.url;
    if (url) fields.push(['url', `{${url.replace(/[{}\\]/g, encodeURIComponent)}}`]);
  }
  // A personal note is an annotation, which bibliography styles do not print: in `note` it
  // would end up in the reference list of the reader's paper.
  if (f.note) fields.push(['annote', `{${texEscape(f.note)}}`]);
  if (f.tags.length) fields.push(['keywords', `{${texEscape(f.tags.join(', '))}}`]);
  return `@${type}{${citeKey(f.entryId)},\n${fields.map(([k, v]) => `  ${k} = ${v}`).join(',\n')}\n}\n`;
}

/**
 * Papers, and anything else that is published as one (a dataset or model with an arXiv,
 * ACL Anthology or DOI identifier: PubMedQA, BioBERT). Products, blogs and bare
 * repositories have no citation entry of their own.
 */
export function exportBibtex(favorites: Favorite[], opts: ExportOptions = {}): string {
  const entries = favorites
    .filter((f) => {
      if (f.kind === 'paper') return true;
      const ids = paperIds(f, opts.getEntry);
      return Boolean(ids.arxiv || ids.acl || ids.doi);
    })
    .map((f) => bibtexEntry(f, opts.getEntry));
  return entries.length ? `${BIBTEX_MARK}\n\n${entries.join('\n')}` : '';
}

/**
 * The first line of our BibTeX export (a comment to BibTeX): the import then takes each entry's key
 * for its catalog ID, whatever its fields link to. In anyone else's file a key is only a name.
 */
export const BIBTEX_MARK = "% MedNLP Lens favorites: each entry's key is its catalog ID.";

// ---------------------------------------------------------------------------
// Markdown

/**
 * `s` without the trailing characters `trail` matches (one character at a time), except a `)`
 * whose `(` is in `s`: a link's own brackets stay (`…/BERT_(language_model)`). Shared with
 * the list import, which unwraps pasted links the same way.
 */
export function trimTrailing(s: string, trail: RegExp): string {
  // The brackets are counted once and then as they go: a line of 2,000 ")" stays linear.
  let opens = 0;
  let closes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x28) opens++;
    else if (c === 0x29) closes++;
  }
  let end = s.length;
  while (end > 0) {
    const c = s[end - 1];
    if (!trail.test(c) || (c === ')' && opens >= closes)) break;
    if (c === ')') closes--;
    else if (c === '(') opens--;
    end--;
  }
  return s.slice(0, end);
}

function mdEscapeText(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]()#+!|~])/g, '\\$1');
}

/**
 * Escapes Markdown syntax and neutralises HTML so notes render as the text they are. A link
 * in the text is written as an autolink (`<https://…>`), where nothing is escaped: escaped,
 * `awesome_Chinese_medical_NLP` would link to an address with backslashes in it. Punctuation
 * after a link (a full stop, a closing bracket the link did not open) stays text.
 */
export function mdEscape(s: string): string {
  return s
    .replace(/\r\n?|\n/g, ' ')
    .split(/(https?:\/\/[^\s<>"]+)/i)
    .map((part, i) => {
      if (i % 2 === 0) return mdEscapeText(part);
      const url = trimTrailing(part, /[.,;:!?'*_)\]]/);
      return `<${url}>${mdEscapeText(part.slice(url.length))}`;
    })
    .join('');
}

/** YYYY-MM-DD on the user's calendar (local time zone): a file saved at 07:00 on 1 March in UTC+8 is dated 1 March, not 29 February. */
function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function exportMarkdown(favorites: Favorite[], opts: ExportOptions = {}): string {
  const lines = ['# Favorites', '', `Exported ${localDay(opts.now ?? Date.now())} · ${favorites.length} saved`, ''];
  for (const f of favorites) {
    const url = f.links[0]?.url;
    const title = mdEscape(f.title);
    // Without a link, a title that starts like a list item ("1. Intro", "- draft") is not one.
    const head = url ? `[${title}](<${url.replace(/[<>\s]/g, encodeURIComponent)}>)` : title.replace(/^(\d+)([.)])/, '$1\\$2').replace(/^-/, '\\-');
    const orphan = opts.getEntry && !opts.getEntry(f.entryId) ? ' · no longer in the catalog' : '';
    // The entry's ID in a comment, which Markdown renders as nothing: the line's link may be one
    // entries share (MC-BERT's first link is ChineseBLUE's repository), and reading the list
    // back must give the favorite it was written for.
    lines.push(`- ${head} — ${f.kind} · saved ${localDay(f.savedAt)}${orphan} <!-- cmed:${f.entryId} -->`);
    if (f.tags.length) lines.push(`  - Tags: ${f.tags.map(mdEscape).join(', ')}`);
    if (f.note) lines.push(`  - Note: ${mdEscape(f.note)}`);
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------
// CSV (RFC 4180)

export const CSV_COLUMNS = ['entry_id', 'title', 'kind', 'saved_at', 'updated_at', 'note', 'tags', 'url'] as const;

/**
 * RFC 4180: fields with a comma, quote, CR or LF are quoted and quotes doubled. A
 * field a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe, so opening a shared export cannot execute anything.
 */
export function csvField(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function exportCsv(favorites: Favorite[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const f of favorites) {
    rows.push(
      [
        f.entryId,
        f.title,
        f.kind,
        new Date(f.savedAt).toISOString(),
        new Date(f.updatedAt).toISOString(),
        f.note,
        f.tags.join('; '),
        f.links[0]?.url ?? '',
      ]
        .map(csvField)
        .join(','),
    );
  }
  // A byte-order mark first: without it Excel reads the file in the system's code page and
  // garbles Chinese titles and notes; other readers skip it.
  return '\uFEFF' + rows.join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------

export function exportAs(format: ExportFormat, favorites: Favorite[], opts: ExportOptions = {}): ExportFile {
  const day = localDay(opts.now ?? Date.now());
  switch (format) {
    case 'json':
      return { filename: `cmed-favorites-${day}.json`, mime: 'application/json', text: exportJson(favorites, opts) };
    case 'bibtex':
      return { filename: `cmed-favorites-${day}.bib`, mime: 'application/x-bibtex', text: exportBibtex(favorites, opts) };
    case 'markdown':
      return { filename: `cmed-favorites-${day}.md`, mime: 'text/markdown', text: exportMarkdown(favorites, opts) };
    case 'csv':
      return { filename: `cmed-favorites-${day}.csv`, mime: 'text/csv', text: exportCsv(favorites) };
  }
}
