import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CATALOG_FILE = path.join(ROOT, 'data', 'catalog.json');
/** The team's shared folder (seed lists, corpora) sits next to the project checkout. */
export const SHARED = process.env.CATALOG_SHARED_DIR ?? path.resolve(ROOT, '..', 'shared');
export const ENTRIES_TSV = path.join(SHARED, 'seeds', 'entries.tsv');
export const ACL_TITLES = path.join(SHARED, 'corpora', 'acl-anthology-titles.tsv.gz');

export function readCatalogJson(): unknown {
  return JSON.parse(fs.readFileSync(CATALOG_FILE, 'utf8'));
}

export interface SeedRow {
  n: number;
  section: string;
  sub: string;
  name: string;
  urls: string[];
}

export function readSeedRows(file = ENTRIES_TSV): SeedRow[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [n, section, sub, name, urls] = line.split('\t');
      return { n: Number(n), section, sub: sub ?? '', name, urls: (urls ?? '').split(' ').filter(Boolean) };
    });
}

/**
 * Reduces a URL to what identifies the resource, so the list's link and ours compare equal
 * when they differ only in scheme, "www.", a trailing slash or ".pdf", or in being a PDF
 * vs. abstract page (or a mirror) of the same arXiv paper, or an aclweb.org vs. aclanthology.org address.
 */
export function resourceKey(url: string): string {
  let rest = url.trim().replace(/^[a-z]+:\/\//i, '').replace(/^www\./i, '');
  rest = rest.replace(/[/.,]+$/, '').replace(/\.pdf$/i, '');
  const host = rest.split('/')[0].toLowerCase();
  const arxivId = /\/(?:abs|pdf)\/(\d{4}\.\d{4,5})(?:v\d+)?$/i.exec(rest)?.[1];
  if (arxivId && host.includes('arxiv')) return `arxiv:${arxivId}`;
  const acl = /^(?:aclweb\.org\/anthology|aclanthology\.org)\/(.+)$/i.exec(rest);
  if (acl) return `acl:${acl[1].toLowerCase()}`;
  return host + rest.slice(host.length);
}

/** Anthology ID → title, from the shared corpus (about 20 MB once unzipped). */
export function readAclTitles(file = ACL_TITLES): Map<string, string> {
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  const titles = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const end = line.indexOf('\t', tab + 1);
    titles.set(line.slice(0, tab), line.slice(tab + 1, end < 0 ? undefined : end));
  }
  return titles;
}

export const foldTitle = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
