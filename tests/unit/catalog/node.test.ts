import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalogFile } from '../../../utils/catalog/node';
import { CATALOG_FILE } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-node-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadCatalogFile', () => {
  it('loads the real catalog', () => {
    expect(loadCatalogFile(CATALOG_FILE).length).toBeGreaterThanOrEqual(70);
  });

  it('throws one error listing every problem, naming the file', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify([{ id: 'Bad Id', kind: 'thing' }]));
    let message = '';
    try {
      loadCatalogFile(file);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`invalid catalog ${file}`);
    expect(message).toContain('entry #0 (Bad Id): id: must be a kebab-case slug');
    expect(message).toContain('entry #0 (Bad Id): kind: must be one of');
    expect(message).toContain('entry #0 (Bad Id): summary: is missing');
  });

  it('reports unparsable JSON with the file name', () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '[{');
    expect(() => loadCatalogFile(file)).toThrow(`cannot read catalog ${file}`);
  });
});
