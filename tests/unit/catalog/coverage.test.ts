import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../../utils/catalog/types';
import { ENTRIES_TSV, SHARED, readCatalogJson, readSeedRows, resourceKey } from './helpers';

// The seed list lives outside the project (../shared); its absence is a failure, not a skip.
const haveSeeds = fs.existsSync(ENTRIES_TSV);
it('finds the seed list', () => {
  expect(haveSeeds, `missing ${ENTRIES_TSV} (set CATALOG_SHARED_DIR)`).toBe(true);
});
const catalog = readCatalogJson() as Catalog;

describe('every row of the seed list maps to a catalog entry', () => {
  const rows = haveSeeds ? readSeedRows() : [];
  const entriesByKey = new Map<string, Set<string>>();
  for (const e of catalog) {
    for (const l of e.links) {
      const key = resourceKey(l.url);
      entriesByKey.set(key, (entriesByKey.get(key) ?? new Set()).add(e.id));
    }
  }

  it('has all 72 rows', () => {
    expect(rows).toHaveLength(72);
  });

  it('finds every URL of every row among the links', () => {
    const missing = rows.flatMap((r) => r.urls.filter((u) => !entriesByKey.has(resourceKey(u))).map((u) => `#${r.n} ${r.name}: ${u}`));
    expect(missing).toEqual([]);
  });

  it('files each row under its own section in one entry holding all its URLs', () => {
    const unmapped = rows.filter((r) => {
      const holders = r.urls.map((u) => entriesByKey.get(resourceKey(u)) ?? new Set<string>());
      const candidates = [...holders[0]].filter((id) => holders.every((h) => h.has(id)));
      return !candidates.some((id) =>
        catalog.find((e) => e.id === id)?.sections.some((s) => s.zh === r.section && (s.sub?.zh ?? '') === r.sub),
      );
    });
    expect(unmapped.map((r) => `#${r.n} ${r.name} [${r.section}${r.sub ? ' / ' + r.sub : ''}]`)).toEqual([]);
  });

  it('records the extraction code the list gives for each Baidu-pan link', () => {
    const md = fs
      .readdirSync(path.join(SHARED, 'seeds'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => fs.readFileSync(path.join(SHARED, 'seeds', f), 'utf8'))
      .join('\n');
    const links = catalog.flatMap((e) => e.links).filter((l) => l.url.includes('pan.baidu.com'));
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      const after = md.slice(md.indexOf(l.url));
      const code = /提取码\s*[:：]\s*(\w+)/.exec(after)?.[1];
      expect({ url: l.url, type: l.type, code: l.extractionCode }).toEqual({ url: l.url, type: 'download', code });
    }
  });
});

describe('related', () => {
  it('is symmetric', () => {
    const byId = new Map(catalog.map((e) => [e.id, e]));
    const oneWay = catalog.flatMap((e) => e.related.filter((r) => !byId.get(r)?.related.includes(e.id)).map((r) => `${e.id} → ${r}`));
    expect(oneWay).toEqual([]);
  });
});
