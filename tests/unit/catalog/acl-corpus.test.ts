import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../utils/catalog/types';
import { ACL_TITLES, foldTitle, readAclTitles, readCatalogJson } from './helpers';

const catalog = readCatalogJson() as Catalog;

it('finds the Anthology corpus', () => {
  expect(fs.existsSync(ACL_TITLES), `missing ${ACL_TITLES} (set CATALOG_SHARED_DIR)`).toBe(true);
});

describe('ACL Anthology IDs against the Anthology corpus', () => {
  let titles: Map<string, string>;
  beforeAll(() => {
    titles = readAclTitles();
  });

  it('every ACL ID exists in the Anthology', () => {
    const unknown = catalog.flatMap((e) => e.ids.acl.filter((id) => !titles.has(id)).map((id) => `${e.id}: ${id}`));
    expect(unknown).toEqual([]);
  });

  it("every ACL ID's Anthology title is the entry's title or one of its names", () => {
    const mismatched = catalog.flatMap((e) => {
      const known = new Set([e.title, ...e.names].map(foldTitle));
      return e.ids.acl
        .filter((id) => titles.has(id) && !known.has(foldTitle(titles.get(id)!)))
        .map((id) => `${e.id}: ${id} is "${titles.get(id)}"`);
    });
    expect(mismatched).toEqual([]);
  });

  it('every Anthology link has its ID recorded', () => {
    const unrecorded = catalog.flatMap((e) =>
      e.links
        .map((l) => /(?:aclweb\.org\/anthology|aclanthology\.org)\/([^/]+?)(?:\.pdf)?\/?$/.exec(l.url)?.[1])
        .filter((id): id is string => id !== undefined && !e.ids.acl.includes(id))
        .map((id) => `${e.id}: ${id}`),
    );
    expect(unrecorded).toEqual([]);
  });
});
