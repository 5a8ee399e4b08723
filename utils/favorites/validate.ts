/**
 * Hand-written validators for everything that crosses a trust boundary into the
 * favorites store: storage read back from disk or another device, message payloads,
 * imported files. Plain TypeScript (no zod) so the content script can share them.
 *
 * The same rules apply to the writer and to import, so anything the store holds can
 * be exported and imported again unchanged (an import also writes tags as the editor
 * would, see import.ts: all the extension itself writes already is).
 */
import { KINDS, LINK_TYPES, type Kind, type Link, type LinkType } from '../catalog/types';
import type { Favorite, FavoriteCore } from './types';

export const LIMITS = {
  entryIdLength: 128,
  noteLength: 5000,
  tags: 32,
  tagLength: 64,
  titleLength: 1000,
  links: 50,
  urlLength: 2048,
  labelLength: 200,
  extractionCodeLength: 32,
  /** Year 2200: anything past it is a unit mistake (µs, ns), not a date. */
  maxTime: 7_258_118_400_000,
} as const;

/**
 * Catalog ids are kebab-case slugs; we accept a little more ('.' and '_' inside) so a
 * future catalog's ids still load, but nothing that could collide with our row
 * separators or object internals (`__proto__` starts with '_').
 */
export const ENTRY_ID_RE = /^[a-z0-9]+(?:[-._][a-z0-9]+)*$/i;

export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * HTML's elements, as a tag names them: those of the standard and the old ones browsers still
 * draw. Not `s` and `head`: `<s>`, `</s>` and `<head>` are the sentence and entity markers of
 * NLP papers and tokenizers, which people put in their notes.
 */
const HTML_ELEMENTS =
  'a|abbr|address|applet|area|article|aside|audio|b|base|basefont|bdi|bdo|big|blink|blockquote|body|br|button|canvas|caption|center|cite|code|col|colgroup|data|datalist|dd|del|details|dfn|dialog|dir|div|dl|dt|em|embed|fieldset|figcaption|figure|font|footer|form|frame|frameset|h[1-6]|header|hgroup|hr|html|i|iframe|image|img|input|ins|kbd|label|legend|li|link|listing|main|map|mark|marquee|math|menu|meta|meter|nav|nobr|noembed|noframes|noscript|object|ol|optgroup|option|output|p|param|picture|plaintext|pre|progress|q|rp|rt|ruby|samp|script|search|section|select|slot|small|source|span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|template|textarea|tfoot|th|thead|time|title|tr|track|tt|u|ul|var|video|wbr|xmp';
/**
 * Markup-looking text, as an HTML parser would take it: a tag of an HTML element (with or
 * without attributes), any tag with an event handler (`<s onclick=…>`), a comment, a doctype
 * or a processing instruction. Plain "a < b > c",
 * "precision<recall", and the tokens of models and datasets ("<mask>", "</s>", "<e1>",
 * "<unk>") pass.
 */
const HTML_RE = new RegExp(`<\\/?(?:(?:${HTML_ELEMENTS})(?=[\\s/>])|[!?])[^>]*>|<[a-z][\\w-]*\\s[^>]*\\bon[a-z]+\\s*=`, 'i');
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_NEWLINE_RE = /[\u0000-\u001f\u007f]/;

/** A UTF-16 surrogate without its other half. */
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `s` with each lone surrogate as U+FFFD, which is what the browser's storage (UTF-8 inside) keeps
 * of it: a favorite then reads back as it was written. Two tags apart only by a lone surrogate
 * would otherwise be stored as one tag twice, and the row read back as damaged.
 */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE_RE, '\uFFFD');
}

/** What is wrong with a note or tags a person typed, for the editor to say in the UI language. */
export type Problem = 'too-long' | 'too-many' | 'control' | 'html' | 'too-big';
/** `sizes`, with 'too-big': the bytes taken and the bytes allowed. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string; problem?: Problem; sizes?: [number, number] };
const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: string, problem?: Problem): Result<T> => ({ ok: false, error, problem });

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isValidTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= LIMITS.maxTime;
}

export function checkEntryId(v: unknown): Result<string> {
  if (typeof v !== 'string') return fail('entryId must be a string');
  if (v.length === 0 || v.length > LIMITS.entryIdLength) return fail(`entryId must be 1–${LIMITS.entryIdLength} characters`);
  if (!ENTRY_ID_RE.test(v)) return fail(`entryId "${v.slice(0, 40)}" is not a catalog id`);
  return ok(v);
}

export function checkNote(v: unknown): Result<string> {
  if (typeof v !== 'string') return fail('note must be a string');
  if (v.length > LIMITS.noteLength) return fail(`note is longer than ${LIMITS.noteLength} characters`, 'too-long');
  if (CONTROL_RE.test(v)) return fail('note contains control characters', 'control');
  if (HTML_RE.test(v)) return fail('note contains HTML markup, which is not allowed', 'html');
  return ok(wellFormed(v));
}

/** Tags are trimmed, made well-formed, de-duplicated and kept in first-seen order; empty ones are dropped. */
export function checkTags(v: unknown): Result<string[]> {
  if (!Array.isArray(v)) return fail('tags must be an array of strings');
  if (v.length > LIMITS.tags) return fail(`at most ${LIMITS.tags} tags are allowed`, 'too-many');
  const out: string[] = [];
  for (const t of v) {
    if (typeof t !== 'string') return fail('tags must be an array of strings');
    const tag = wellFormed(t.trim());
    if (tag.length > LIMITS.tagLength) return fail(`a tag is longer than ${LIMITS.tagLength} characters`, 'too-long');
    if (CONTROL_OR_NEWLINE_RE.test(tag)) return fail('a tag contains control characters', 'control');
    if (HTML_RE.test(tag)) return fail('a tag contains HTML markup, which is not allowed', 'html');
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return ok(out);
}

function checkUrl(v: unknown): Result<string> {
  if (typeof v !== 'string') return fail('link url must be a string');
  if (v.length > LIMITS.urlLength) return fail('link url is too long');
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return fail(`link url "${v.slice(0, 60)}" is not a URL`);
  }
  // javascript:, data: and friends would become clickable in the popup.
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return fail(`link url "${v.slice(0, 60)}" is not http(s)`);
  return ok(v);
}

export function checkLink(v: unknown): Result<Link> {
  if (!isRecord(v)) return fail('a link must be an object');
  const url = checkUrl(v.url);
  if (!url.ok) return url;
  if (typeof v.type !== 'string' || !(LINK_TYPES as readonly string[]).includes(v.type)) return fail('link type is not one of ' + LINK_TYPES.join(', '));
  const link: Link = { url: url.value, type: v.type as LinkType };
  for (const [k, max] of [['label', LIMITS.labelLength], ['extractionCode', LIMITS.extractionCodeLength]] as const) {
    const s = v[k];
    if (s === undefined) continue;
    if (typeof s !== 'string' || s.length > max) return fail(`link ${k} must be a string of at most ${max} characters`);
    if (CONTROL_OR_NEWLINE_RE.test(s) || HTML_RE.test(s)) return fail(`link ${k} contains markup or control characters`);
    link[k] = wellFormed(s);
  }
  return ok(link);
}

export function checkKind(v: unknown): Result<Kind> {
  if (typeof v !== 'string' || !(KINDS as readonly string[]).includes(v)) return fail('kind is not one of ' + KINDS.join(', '));
  return ok(v as Kind);
}

export function checkTitle(v: unknown): Result<string> {
  if (typeof v !== 'string' || v.trim() === '') return fail('title must be a non-empty string');
  if (v.length > LIMITS.titleLength) return fail(`title is longer than ${LIMITS.titleLength} characters`);
  if (CONTROL_OR_NEWLINE_RE.test(v)) return fail('title contains control characters');
  if (HTML_RE.test(v)) return fail('title contains HTML markup, which is not allowed');
  return ok(wellFormed(v));
}

/** The stored part of a favorite (what sync holds). Unknown fields are ignored. */
export function checkCore(v: unknown): Result<FavoriteCore> {
  if (!isRecord(v)) return fail('a favorite must be an object');
  const id = checkEntryId(v.entryId);
  if (!id.ok) return id;
  if (!isValidTime(v.savedAt)) return fail('savedAt must be a time in ms since 1970');
  const updatedAt = v.updatedAt === undefined ? v.savedAt : v.updatedAt;
  if (!isValidTime(updatedAt)) return fail('updatedAt must be a time in ms since 1970');
  const note = checkNote(v.note ?? '');
  if (!note.ok) return note;
  const tags = checkTags(v.tags ?? []);
  if (!tags.ok) return tags;
  return ok({ entryId: id.value, savedAt: v.savedAt, updatedAt, note: note.value, tags: tags.value });
}

/** A complete favorite as exported/imported or passed to restore. */
export function checkFavorite(v: unknown): Result<Favorite> {
  const core = checkCore(v);
  if (!core.ok) return core;
  const r = v as Record<string, unknown>;
  const title = checkTitle(r.title);
  if (!title.ok) return title;
  const kind = checkKind(r.kind);
  if (!kind.ok) return kind;
  if (!Array.isArray(r.links)) return fail('links must be an array');
  if (r.links.length > LIMITS.links) return fail(`at most ${LIMITS.links} links are allowed`);
  const links: Link[] = [];
  for (const l of r.links) {
    const link = checkLink(l);
    if (!link.ok) return link;
    links.push(link.value);
  }
  return ok({ ...core.value, title: title.value, kind: kind.value, links });
}

/**
 * Finds a prototype-polluting key anywhere in parsed JSON. `JSON.parse` itself only
 * creates own properties, but a later spread or merge into a plain object would not.
 */
export function findForbiddenKey(v: unknown, depth = 0): string | null {
  if (depth > 64) return '(nesting too deep)';
  if (Array.isArray(v)) {
    for (const x of v) {
      const k = findForbiddenKey(x, depth + 1);
      if (k) return k;
    }
  } else if (isRecord(v)) {
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) return key;
      const k = findForbiddenKey(v[key], depth + 1);
      if (k) return k;
    }
  }
  return null;
}
