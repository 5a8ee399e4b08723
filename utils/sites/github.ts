/**
 * GitHub (github.com): repository pages (root, /tree/, rendered markup files under /blob/, the
 * wiki) and the rendered Markdown of issues, pull requests and discussions. Site chrome
 * (header, file list, sidebar widgets) is never a region.
 */
import type { SiteAdapter } from './types';
import { GITHUB_RESERVED, normalizeGithub } from '../matcher/ids';
import { canonical, firstOf, idList, meta, regionsBySelectors } from './dom';

// Markdown, and the other markup GitHub renders the same way (reStructuredText, AsciiDoc, Org).
const MARKDOWN_FILE = /\.(?:md|markdown|mdown|mkd|mdx|rst|adoc|asciidoc|org)$/i;

/** Repository part of a path, or null for non-repository pages (reserved first segments, profiles). */
const repoOf = (url: URL): { owner: string; repo: string; rest: string[] } | null => {
  if (url.hostname !== 'github.com') return null;
  // Kept as escaped: owner and repository names are ASCII, and a malformed escape ("100%.py")
  // would throw in decodeURIComponent.
  const seg = url.pathname.split('/').filter(Boolean);
  if (seg.length < 2 || GITHUB_RESERVED.has(seg[0].toLowerCase())) return null;
  if (!normalizeGithub(`${seg[0]}/${seg[1]}`)) return null;
  return { owner: seg[0], repo: seg[1].replace(/\.git$/, ''), rest: seg.slice(2) };
};

const README = ['#readme article.markdown-body'];
const ABOUT = ['.Layout-sidebar .BorderGrid-cell > p.f4', 'p.f4.my-3'];
// Old and new markup of the same parts, whose matches overlap (the new body is both
// `[data-testid="markdown-body"]` and `[data-testid="issue-body"] .markdown-body`): one
// query with the list (see regionsBySelectors).
const CONVERSATION = [
  '.js-issue-title, bdi.markdown-title, [data-testid="issue-title"], .comment-body.markdown-body, ' +
    '[data-testid="issue-body"] .markdown-body, [data-testid="markdown-body"], ' +
    '.react-issue-comment .markdown-body, .discussion-timeline .markdown-body',
];

const REGIONS: Record<string, string[]> = {
  repo: [...README, ...ABOUT],
  tree: README,
  'blob-markdown': ['article.markdown-body'],
  // The page's rendered Markdown, without the wiki's own chrome (page list, clone URL).
  wiki: ['#wiki-body'],
  issue: CONVERSATION,
  pull: CONVERSATION,
  discussion: CONVERSATION,
};

/** The page type of a URL (see {@link SiteAdapter.pageType}). */
const pageType = (url: URL): string | null => {
  const r = repoOf(url);
  // An organization's discussions belong to no repository.
  if (!r) return url.hostname === 'github.com' && /^\/orgs\/[^/]+\/discussions\/\d+\/?$/.test(url.pathname) ? 'discussion' : null;
  const [kind, ...more] = r.rest;
  if (kind === undefined) return 'repo';
  if (kind === 'tree' || kind === 'wiki') return kind;
  if (kind === 'blob') return MARKDOWN_FILE.test(more[more.length - 1] ?? '') ? 'blob-markdown' : null;
  if (kind === 'issues' && /^\d+$/.test(more[0] ?? '')) return 'issue';
  if (kind === 'pull' && /^\d+$/.test(more[0] ?? '')) return 'pull';
  if (kind === 'discussions' && /^\d+$/.test(more[0] ?? '')) return 'discussion';
  return null;
};

export const github: SiteAdapter = {
  key: 'github',
  hosts: ['github.com'],

  pageType,

  regions(doc, url) {
    const type = pageType(url);
    return type ? regionsBySelectors(doc, REGIONS[type] ?? []) : [];
  },

  bannerAnchor(doc, url) {
    const type = pageType(url);
    if (!type) return null;
    return firstOf(doc, ['#repository-container-header', 'main #readme', 'main']);
  },

  idKey: (kind, id) => (kind === 'github' ? normalizeGithub(id)?.toLowerCase() : undefined),

  pageIds(doc, url) {
    const ids = idList();
    const r = repoOf(url);
    if (!r) return ids.list;
    ids.add(`github:${r.owner}/${r.repo}`);
    // The head was written for the path the document was loaded at. After a soft navigation
    // (React's leaves the head as it was, Turbo's replaces part of it) it may still name the
    // repository before, whose banner and count the page would then get: only the URL counts.
    const loaded = doc.defaultView?.performance.getEntriesByType('navigation')[0]?.name;
    if (loaded && new URL(loaded).pathname !== url.pathname) return ids.list;
    // og:title is "owner/repo: description" on a repository's front page (elsewhere it is the
    // issue's or file's own title, which may begin with another repository's name).
    const og = r.rest.length ? undefined : meta(doc, 'og:title');
    const m = og ? /^([A-Za-z0-9-]+\/[A-Za-z0-9._-]+)(?::|$)/.exec(og) : null;
    const fromOg = m ? normalizeGithub(m[1]) : undefined;
    if (fromOg) ids.add(`github:${fromOg}`);
    const c = canonical(doc, url);
    const cr = c && repoOf(c);
    if (cr) ids.add(`github:${cr.owner}/${cr.repo}`);
    return ids.list;
  },
};
