/**
 * Corpus evaluation shared by tests/unit/matcher/corpus.test.ts and scripts/eval-corpus.ts:
 * the engine runs over every ACL Anthology title; each catalog entry with an ACL ID must be
 * found in its own row under its own entry; any other hit is a false positive unless it is
 * in {@link REVIEWED_MENTIONS} (a title that really names the catalog item).
 */
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Catalog } from '../../../utils/catalog/types';
import { buildMatcherData, createMatcher } from '../../../utils/matcher';
import { ACL_TITLES } from '../catalog/helpers';

/** The title corpus in the team's shared folder (CATALOG_SHARED_DIR moves it, as for the catalog tests). */
export const CORPUS_FILE = ACL_TITLES;

export interface TitleRow {
  id: string;
  title: string;
  year: string;
}

let cache: TitleRow[] | null = null;

/** All rows of the title corpus (id, title, year), read once per process. */
export function loadTitles(file = CORPUS_FILE): TitleRow[] {
  if (cache) return cache;
  const text = gunzipSync(fs.readFileSync(file)).toString('utf8');
  const rows: TitleRow[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const [id, title, year] = line.split('\t');
    rows.push({ id, title, year });
  }
  cache = rows;
  return rows;
}

/**
 * Hits in rows that are not the entry's own paper, reviewed by reading the title: the title
 * names the catalog item itself (as the dataset, model or benchmark it uses or studies).
 * Key: `${rowId} ${entryId}`.
 */
export const REVIEWED_MENTIONS: Record<string, string> = {
  '2021.bionlp-1.9 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.10 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.11 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.12 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.28 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.29 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.30 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.31 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.32 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.33 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.34 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.35 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.36 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.37 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2021.bionlp-1.38 mediqa-2021': 'a system paper of the MEDIQA 2021 shared task: names the shared task it takes part in',
  '2020.nlpcovid19-acl.7 biobert': 'uses Bio-BERT embeddings (the BioBERT model)',
  '2020.smm4h-1.10 biobert': 'classifies tweets with the BioBERT model',
  '2023.semeval-1.91 biobert': 'a system built on the BioBERT model',
  '2024.clib-1.30 biobert': 'studies the BioBERT model',
  'W19-3218 biobert': 'uses BioBERT embeddings',
  'W19-5055 biobert': 'uses the pre-trained BioBERT model',
  '2021.sdp-1.17 scibert': 'sentence representations from the SciBERT model',
  '2021.semeval-1.49 scibert': 'a system combining the SciBERT model with rules',
  '2021.semeval-1.175 scibert': 'a system based on the SciBERT model',
  '2022.wiesp-1.17 scibert': 'an ensemble of SciBERT-based models',
  '2023.wiesp-1.10 scibert': 'uses the SciBERT model',
  '2025.sdp-1.32 scibert': 'combines the SciBERT model with contrastive learning',
  'W19-5050 scibert': 'uses Sci-BERT (the SciBERT model)',
  '2024.clinicalnlp-1.46 clinicalbert-alsentzer': 'evaluates the ClinicalBERT model (Alsentzer et al.) for error correction',
  '2024.cl4health-1.21 meddialog': 'MedDialog-FR, a French version of the MedDialog corpus',
};

export interface CorpusFigures {
  rows: number;
  /** Entries with at least one ACL ID. */
  entriesWithAcl: number;
  /** ACL IDs whose row is not in the corpus (e.g. the 2025 volumes it lacks). */
  absentFromCorpus: string[];
  truePositives: string[];
  /** Entries whose own row was not matched (or matched under another entry). */
  falseNegatives: string[];
  /** Reviewed legitimate mentions found, with their reason. */
  legitimate: Array<{ row: string; entry: string; title: string; reason: string }>;
  /** Unexplained hits. */
  falsePositives: Array<{ row: string; entry: string; title: string; text: string }>;
  scanMs: number;
}

/** Runs the evaluation for a catalog. */
export function evaluateCorpus(catalog: Catalog, rows = loadTitles()): CorpusFigures {
  const matcher = createMatcher(buildMatcherData(catalog));
  const own = new Map<string, string[]>(); // lower-cased ACL ID → entry ids
  for (const e of catalog) {
    for (const id of e.ids?.acl ?? []) {
      const k = id.toLowerCase();
      own.set(k, [...(own.get(k) ?? []), e.id]);
    }
  }
  const found = new Set<string>(); // `${aclId} ${entryId}` seen as own-row hits
  const rowIds = new Set<string>();
  const legitimate: CorpusFigures['legitimate'] = [];
  const falsePositives: CorpusFigures['falsePositives'] = [];
  const t0 = performance.now();
  for (const row of rows) {
    const key = row.id.toLowerCase();
    rowIds.add(key);
    const owners = own.get(key);
    const counted = new Set<string>(); // one verdict per (row, entry), however often the title names it
    for (const m of matcher.scan(row.title)) {
      if (counted.has(m.entryId)) continue;
      counted.add(m.entryId);
      if (owners?.includes(m.entryId)) {
        found.add(`${key} ${m.entryId}`);
        continue;
      }
      const reason = REVIEWED_MENTIONS[`${row.id} ${m.entryId}`];
      if (reason) legitimate.push({ row: row.id, entry: m.entryId, title: row.title, reason });
      else falsePositives.push({ row: row.id, entry: m.entryId, title: row.title, text: row.title.slice(m.start, m.end) });
    }
  }
  const scanMs = performance.now() - t0;

  const truePositives: string[] = [];
  const falseNegatives: string[] = [];
  const absentFromCorpus: string[] = [];
  for (const [k, entries] of own) {
    for (const e of entries) {
      if (!rowIds.has(k)) absentFromCorpus.push(`${k} ${e}`);
      else if (found.has(`${k} ${e}`)) truePositives.push(`${k} ${e}`);
      else falseNegatives.push(`${k} ${e}`);
    }
  }
  return {
    rows: rows.length,
    entriesWithAcl: catalog.filter((e) => (e.ids?.acl ?? []).length > 0).length,
    absentFromCorpus,
    truePositives,
    falseNegatives,
    legitimate,
    falsePositives,
    scanMs,
  };
}
