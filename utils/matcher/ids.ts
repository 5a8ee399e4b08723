/**
 * Identifier extraction: arXiv, ACL Anthology, DOI and GitHub repository IDs from URLs,
 * meta-tag values and free text. This is not on the per-character hot path (the
 * scanner finds the catalog's own IDs through its automaton); it reads URLs, meta tags
 * and link targets, so plain regular expressions are fine here.
 */
import type { EntryIds } from '../catalog/types';

export type IdKind = keyof EntryIds;

export interface FoundId {
  kind: IdKind;
  /** Canonical form: arXiv without version, ACL old-style upper-case / new-style lower-case, DOI lower-case, GitHub as written. */
  id: string;
}

/** GitHub paths whose first segment is not a user or organisation. */
export const GITHUB_RESERVED = new Set(
  // One string split (a list of 50 literals costs two quotes and a comma each in every content script).
  (
    'about account apps blog codespaces collections contact customer-stories dashboard enterprise events ' +
    'explore features git-guides github-copilot issues join login logout marketplace new notifications ' +
    'orgs organizations pricing pulls readme resources search security sessions settings site solutions ' +
    'sponsors stars team topics trending users watching signup copilot models mobile password_reset ' +
    'nonprofit advisories enterprises user-attachments'
  ).split(' '),
);

/** An arXiv ID, new style (1909.06146) or old (hep-th/9901001), as a capturing group. */
const ARXIV_ID = String.raw`(\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})`;
const ACL_OLD = String.raw`[A-Za-z]\d{2}-\d{4}`;
const ACL_NEW = String.raw`\d{4}\.[a-z][a-z0-9-]*\.\d+`;

/** Canonical arXiv ID (version dropped), or undefined if `s` is not one. */
export const normalizeArxiv = (s: string): string | undefined => {
  const m = new RegExp(String.raw`^(?:arxiv:)?${ARXIV_ID}(?:v\d+)?$`, 'i').exec(s.trim());
  return m ? m[1] : undefined;
};

/** Canonical ACL Anthology ID: "D19-1492" (old style, letter upper-cased) or "2020.emnlp-main.253" (new style, lower-cased). */
export const normalizeAcl = (s: string): string | undefined => {
  const t = s.trim();
  if (new RegExp(`^${ACL_OLD}$`).test(t)) return t[0].toUpperCase() + t.slice(1);
  if (new RegExp(`^${ACL_NEW}$`, 'i').test(t)) return t.toLowerCase();
  return undefined;
};

/** Canonical DOI (lower-case, DOIs are case-insensitive), without "doi:" or resolver prefix. */
export const normalizeDoi = (s: string): string | undefined => {
  const m = /^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{4,9}\/\S+)$/i.exec(s.trim());
  return m ? trimDoi(m[1]).toLowerCase() : undefined;
};

/** "owner/repo" if `s` is one (".git" dropped, reserved first segments refused). */
export const normalizeGithub = (s: string): string | undefined => {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]+?)(?:\.git)?$/.exec(s.trim());
  if (!m || GITHUB_RESERVED.has(m[1].toLowerCase()) || m[2] === '.' || m[2] === '..') return undefined;
  return `${m[1]}/${m[2]}`;
};

/** Normalises an ID of a known kind; the key used in the ID tables is this, lower-cased. */
export const normalizeId = (kind: IdKind, id: string): string | undefined => {
  switch (kind) {
    case 'arxiv':
      return normalizeArxiv(id);
    case 'acl':
      return normalizeAcl(id);
    case 'doi':
      return normalizeDoi(id);
    case 'github':
      return normalizeGithub(id);
  }
};

/** Table key for an ID: normalised and lower-cased (ACL, DOI and GitHub compare case-insensitively). */
export const idKey = (kind: IdKind, id: string): string | undefined => {
  return normalizeId(kind, id)?.toLowerCase();
};

const trimDoi = (doi: string): string => {
  // Trailing sentence punctuation and unbalanced closing brackets are not part of a DOI in running text.
  let d = doi.replace(/[.,;:'"\]>]+$/, '');
  while (d.endsWith(')') && (d.match(/\(/g)?.length ?? 0) < (d.match(/\)/g)?.length ?? 0)) d = d.slice(0, -1);
  return d.replace(/[.,;:]+$/, '');
};

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * IDs a URL points at. Recognised forms:
 * - arXiv: `arxiv.org/abs|pdf|html|format/[arXiv:]ID[vN][.pdf]` (also `export.` and `www.`), old-style `hep-th/9901001`;
 * - ACL Anthology: `aclanthology.org/ID[/|.pdf|.bib|vN.pdf]`, `aclweb.org/anthology/ID…` (also with the
 *   older `D/D19/` and `papers/D/D19/` folders, and on `anthology.aclweb.org`) and
 *   `aclanthology.org/volumes/ID/`; the DOI `10.18653/v1/ID` also yields the ACL ID;
 * - DOI: `doi.org/10.…`, `dx.doi.org/…`, any `/doi/[abs|full|pdf/]10.…` path (publisher sites),
 *   nature.com `/articles/<suffix>` (DOI prefix 10.1038);
 * - GitHub: `github.com/owner/repo[/…]` (not reserved paths such as /features, /orgs, /settings, /topics).
 */
export const idsFromUrl = (url: string): FoundId[] => {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  const path = safeDecode(u.pathname);
  const out: FoundId[] = [];
  const push = (kind: IdKind, raw: string | undefined) => {
    const id = raw && normalizeId(kind, raw);
    if (id && !out.some((f) => f.kind === kind && f.id === id)) out.push({ kind, id });
  };

  if (host === 'arxiv.org' || host === 'export.arxiv.org') {
    // arXiv also serves an ID written with its scheme, as people paste it: /abs/arXiv:1909.06146.
    const m = new RegExp(String.raw`^/(?:abs|pdf|html|format|ps)/(?:arxiv:)?${ARXIV_ID}(?:v\d+)?(?:\.pdf)?(?:/|$)`, 'i').exec(path);
    if (m) push('arxiv', m[1]);
  } else if (host === 'aclanthology.org' || host === 'aclweb.org' || host === 'anthology.aclweb.org') {
    // aclweb.org kept the Anthology under /anthology; its older layouts filed a paper under its
    // volume letter and year as well: /anthology/D/D19/D19-1259.pdf, /anthology/papers/D/D19/D19-1259/.
    const p = host === 'aclanthology.org' ? path : path.replace(/^\/anthology(?:-new)?(?=\/)/i, '').replace(/^\/(?:papers\/)?[a-z]\/[a-z]\d{2}(?=\/)/i, '');
    const m = new RegExp(String.raw`^/(?:volumes/)?(${ACL_OLD}|${ACL_NEW})(?:v\d+)?(?:\.pdf|\.bib|\.xml)?(?:/|$)`, 'i').exec(p);
    if (m) push('acl', m[1]);
  } else if (host === 'github.com') {
    const seg = path.split('/').filter(Boolean);
    if (seg.length >= 2) push('github', `${seg[0]}/${seg[1]}`);
  } else if (host === 'doi.org' || host === 'dx.doi.org') {
    push('doi', path.slice(1).replace(/\/$/, ''));
  } else if (host === 'nature.com') {
    const m = /^\/articles\/(s\d{5}-\d{3}-\d{4,5}-[0-9a-z]|[a-z]+\d{4,})(?:\.pdf)?\/?$/i.exec(path);
    if (m) push('doi', `10.1038/${m[1]}`);
  }
  if (!out.some((f) => f.kind === 'doi')) {
    const m = /\/doi\/(?:abs\/|full\/|pdf\/|epdf\/)?(10\.\d{4,9}\/[^?#]+)/i.exec(path);
    if (m) push('doi', m[1].replace(/\/$/, ''));
  }
  for (const f of [...out]) {
    if (f.kind === 'doi') {
      const acl = /^10\.18653\/v1\/(.+)$/i.exec(f.id);
      if (acl) push('acl', acl[1]);
    }
  }
  return out;
};

/**
 * IDs written in free text or meta-tag values: "arXiv:1909.06146", "doi:10.1093/…",
 * bare DOIs "10.18653/v1/…", and any URL form {@link idsFromUrl} knows (with or without
 * "https://"). Results are in order of appearance, without duplicates.
 */
export const idsFromText = (text: string): FoundId[] => {
  const out: FoundId[] = [];
  const seen = new Set<string>();
  const add = (f: FoundId) => {
    const k = `${f.kind}:${f.id.toLowerCase()}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(f);
    }
  };
  const re = new RegExp(
    [
      String.raw`\barxiv:\s*${ARXIV_ID}(?:v\d+)?`,
      String.raw`((?:https?://)?(?:www\.|export\.|dx\.)?(?:arxiv\.org|aclanthology\.org|aclweb\.org|github\.com|doi\.org|nature\.com)/[^\s"'<>()\[\]{}]+)`,
      String.raw`\bdoi:\s*(10\.\d{4,9}/[^\s"'<>]+)`,
      String.raw`(?<![\w/.])(10\.\d{4,9}/[^\s"'<>]+)`,
    ].join('|'),
    'gi',
  );
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1]) {
      const id = normalizeArxiv(m[1]);
      if (id) add({ kind: 'arxiv', id });
    } else if (m[2]) {
      const raw = m[2].replace(/[.,;:]+$/, '');
      for (const f of idsFromUrl(/^https?:/i.test(raw) ? raw : `https://${raw}`)) add(f);
    } else {
      const id = normalizeDoi(m[3] ?? m[4]);
      if (id) {
        add({ kind: 'doi', id });
        const acl = /^10\.18653\/v1\/(.+)$/.exec(id);
        const aclId = acl && normalizeAcl(acl[1]);
        if (aclId) add({ kind: 'acl', id: aclId });
      }
    }
  }
  return out;
};

/**
 * Parses the raw page-ID strings site adapters return ("arxiv:1909.06146", "acl:D19-1492",
 * "doi:10.…", "github:owner/repo"); "title:…" and unknown prefixes give undefined.
 */
export const parseRawId = (raw: string): FoundId | undefined => {
  const i = raw.indexOf(':');
  if (i < 0) return undefined;
  const kind = raw.slice(0, i) as IdKind;
  if (kind !== 'arxiv' && kind !== 'acl' && kind !== 'doi' && kind !== 'github') return undefined;
  const id = normalizeId(kind, raw.slice(i + 1));
  return id ? { kind, id } : undefined;
};
