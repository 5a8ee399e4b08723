/**
 * The catalog's rules, as a zod schema. Build scripts and tests use it; the extension
 * itself never imports this file, so zod stays out of the browser bundle.
 */
import { z } from 'zod';
import { idKey } from '../matcher/ids';
import { KINDS, LINK_TYPES, TOP_SECTIONS, type Catalog } from './types';
import { LIMITS, checkLink, checkTitle } from '../favorites/validate';

export const ID_PATTERNS = {
  slug: /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  /** New-style arXiv IDs only, without a version: the annotator compares versionless IDs. */
  arxiv: /^\d{4}\.\d{4,5}$/,
  /** Old style ("D19-1492", "W19-1909") or new style ("2020.emnlp-main.253"). */
  acl: /^(?:[A-Z]\d{2}-\d{4}|\d{4}\.[\w-]+\.\d+)$/,
  doi: /^10\.\d{4,9}\/\S+$/,
  github: /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]+$/,
} as const;

const text = (what: string) =>
  z.string().superRefine((s, ctx) => {
    if (s.trim() === '') ctx.addIssue({ code: 'custom', message: `${what} must not be empty` });
    else if (s !== s.trim()) ctx.addIssue({ code: 'custom', message: `${what} must not start or end with whitespace` });
  });

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL');

const idList = (pattern: RegExp, example: string) =>
  z.array(z.string().regex(pattern, `must look like ${example}`)).superRefine((list, ctx) => {
    list.forEach((v, i) => {
      if (list.indexOf(v) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate ID "${v}"` });
    });
  });

const sectionSchema = z.strictObject({
  zh: text('section heading (zh)'),
  en: text('section label (en)'),
  sub: z.strictObject({ zh: text('sub-heading (zh)'), en: text('sub-heading label (en)') }).optional(),
});

const linkSchema = z
  .strictObject({
    url: httpUrl,
    type: z.enum(LINK_TYPES, { error: `must be one of: ${LINK_TYPES.join(', ')}` }),
    label: text('label').optional(),
    extractionCode: text('extraction code').optional(),
  })
  .superRefine((link, ctx) => {
    // A code on a non-download link is almost always a copy-paste slip onto the wrong link.
    if (link.extractionCode !== undefined && link.type !== 'download') {
      ctx.addIssue({ code: 'custom', path: ['extractionCode'], message: 'only download links carry an extraction code' });
    }
  });

const topByZh = new Map<string, string>(TOP_SECTIONS.map((s) => [s.zh, s.en]));

export const entrySchema = z
  .strictObject({
    id: z.string().regex(ID_PATTERNS.slug, 'must be a kebab-case slug (a-z, 0-9, single hyphens)'),
    kind: z.enum(KINDS, { error: `must be one of: ${KINDS.join(', ')}` }),
    title: text('title'),
    names: z.array(text('name')),
    aliases: z.array(text('alias')).optional(),
    sections: z.array(sectionSchema).min(1, 'needs at least one section'),
    summary: z.strictObject({ zh: text('Chinese summary'), en: text('English summary') }),
    year: z.number().int().min(1950).max(2100).optional(),
    venue: text('venue').optional(),
    links: z.array(linkSchema).min(1, 'needs at least one link'),
    ids: z.strictObject({
      arxiv: idList(ID_PATTERNS.arxiv, '1909.06146 (no "arXiv:" prefix, no version)'),
      acl: idList(ID_PATTERNS.acl, 'D19-1259 or 2020.emnlp-main.253'),
      doi: idList(ID_PATTERNS.doi, '10.1093/bioinformatics/btz682'),
      github: idList(ID_PATTERNS.github, 'owner/repo'),
    }),
    related: z.array(z.string()),
  })
  .superRefine((e, ctx) => {
    // Case-insensitive, because the annotator folds case: "ClinicalBert" and "ClinicalBERT" are one name to it.
    const seen = new Map<string, string>([[fold(e.title), 'the title']]);
    e.names.forEach((name, i) => {
      const prev = seen.get(fold(name));
      if (prev) ctx.addIssue({ code: 'custom', path: ['names', i], message: `"${name}" repeats ${prev}` });
      else seen.set(fold(name), `names[${i}]`);
    });
    e.aliases?.forEach((alias, i) => {
      const prev = seen.get(fold(alias));
      if (prev) ctx.addIssue({ code: 'custom', path: ['aliases', i], message: `"${alias}" repeats ${prev}` });
      else seen.set(fold(alias), `aliases[${i}]`);
    });

    const sectionKeys = e.sections.map((s) => `${s.zh}\u0000${s.sub?.zh ?? ''}`);
    e.sections.forEach((s, i) => {
      const en = topByZh.get(s.zh);
      if (en === undefined) {
        ctx.addIssue({ code: 'custom', path: ['sections', i, 'zh'], message: `"${s.zh}" is not a top-level heading of the list (see TOP_SECTIONS)` });
      } else if (s.en !== en) {
        ctx.addIssue({ code: 'custom', path: ['sections', i, 'en'], message: `label for "${s.zh}" must be "${en}"` });
      }
      if (sectionKeys.indexOf(sectionKeys[i]) !== i) {
        ctx.addIssue({ code: 'custom', path: ['sections', i], message: 'duplicate section' });
      }
    });

    // A favorite carries its entry's title, kind and links; the favorites' own rules (no markup
    // or control characters, lengths, at most LIMITS.links links) must hold for them too, or
    // the entry's favorite could not be restored by Undo nor exported and imported again.
    // (Only on a title and links that pass the rules above: one problem, one message.)
    const title = checkTitle(e.title);
    if (!title.ok && text('title').safeParse(e.title).success) ctx.addIssue({ code: 'custom', path: ['title'], message: `breaks the favorites' rules: ${title.error}` });
    if (e.links.length > LIMITS.links) ctx.addIssue({ code: 'custom', path: ['links'], message: `at most ${LIMITS.links} links (a favorite holds no more)` });
    e.links.forEach((l, i) => {
      const link = checkLink(l);
      if (!link.ok && linkSchema.safeParse(l).success) ctx.addIssue({ code: 'custom', path: ['links', i], message: `breaks the favorites' rules: ${link.error}` });
    });

    const urls = e.links.map((l) => l.url);
    urls.forEach((u, i) => {
      if (urls.indexOf(u) !== i) ctx.addIssue({ code: 'custom', path: ['links', i, 'url'], message: `duplicate link ${u}` });
    });
  });

export const catalogSchema = z.array(entrySchema).superRefine((entries, ctx) => {
  const indexById = new Map<string, number>();
  entries.forEach((e, i) => {
    const first = indexById.get(e.id);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id "${e.id}" (first used by entry #${first})` });
    else indexById.set(e.id, i);
  });

  // The annotator maps each identifier to one entry (a page's own entry, a link's badge), so an
  // identifier claimed twice would leave one claim silently unused.
  const owners = new Map<string, number>();
  entries.forEach((e, i) => {
    for (const kind of ['arxiv', 'acl', 'doi', 'github'] as const) {
      e.ids[kind].forEach((raw, j) => {
        const key = idKey(kind, raw);
        if (key === undefined) return;
        const first = owners.get(`${kind} ${key}`);
        if (first === undefined) owners.set(`${kind} ${key}`, i);
        else if (first !== i) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'ids', kind, j],
            message: `"${key}" already names entry #${first} (${entries[first].id}); an identifier names one entry`,
          });
        }
      });
    }
  });

  // One English label per sub-heading across the whole catalog, so the UI groups them together.
  const subLabel = new Map<string, string>();
  entries.forEach((e, i) =>
    e.sections.forEach((s, j) => {
      if (!s.sub) return;
      const key = `${s.zh}\u0000${s.sub.zh}`;
      const known = subLabel.get(key);
      if (known === undefined) subLabel.set(key, s.sub.en);
      else if (known !== s.sub.en) {
        ctx.addIssue({ code: 'custom', path: [i, 'sections', j, 'sub', 'en'], message: `label for "${s.sub.zh}" must match its other uses: "${known}"` });
      }
    }),
  );

  entries.forEach((e, i) =>
    e.related.forEach((r, j) => {
      const path = [i, 'related', j];
      const target = indexById.get(r);
      if (r === e.id) ctx.addIssue({ code: 'custom', path, message: 'an entry cannot be related to itself' });
      else if (e.related.indexOf(r) !== j) ctx.addIssue({ code: 'custom', path, message: `"${r}" is listed twice` });
      else if (target === undefined) ctx.addIssue({ code: 'custom', path, message: `"${r}" is not the id of any entry` });
      else if (!entries[target].related.includes(e.id)) {
        ctx.addIssue({ code: 'custom', path, message: `"${r}" does not list "${e.id}" back; related must be symmetric` });
      }
    }),
  );
});

export type ValidationResult = { ok: true; catalog: Catalog } | { ok: false; errors: string[] };

/**
 * Checks parsed JSON against the catalog rules. Each error reads
 * `entry #<index> (<id>): <path>: <problem>`, so it points straight at the line to fix.
 */
export function validateCatalog(json: unknown): ValidationResult {
  const result = catalogSchema.safeParse(json, {
    error: (iss) => (iss.code === 'invalid_type' && iss.input === undefined ? 'is missing' : undefined),
  });
  if (result.success) {
    const catalog: Catalog = result.data;
    return { ok: true, catalog };
  }
  const errors = result.error.issues.map((iss) => {
    const [index, ...rest] = iss.path;
    if (typeof index !== 'number') return `catalog: ${iss.message}`;
    const raw: unknown = Array.isArray(json) ? json[index] : undefined;
    const id = isRecord(raw) && typeof raw.id === 'string' && raw.id !== '' ? raw.id : 'no id';
    const where = formatPath(rest);
    return `entry #${index} (${id}): ${where ? `${where}: ` : ''}${iss.message}`;
  });
  return { ok: false, errors };
}

function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}
