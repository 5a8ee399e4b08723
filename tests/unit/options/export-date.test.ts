// Before anything reads a date: the exports below are made at 07:00 on 1 March in UTC+8,
// which is still 29 February in UTC.
process.env.TZ = 'Asia/Shanghai';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderExport } from '../../../components/options/io';
import { fav } from './fixtures';

const NOW = Date.UTC(2024, 1, 29, 23, 0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe('export dates follow the local calendar', () => {
  it('runs in UTC+8 (the premise of the tests below)', () => {
    expect(new Date(NOW).getDate()).toBe(1);
    expect(new Date(NOW).getTimezoneOffset()).toBe(-480);
  });

  it('names files by the local date', () => {
    const favs = [fav('cmeee', { title: 'CMeEE', savedAt: NOW })];
    for (const format of ['json', 'bibtex', 'markdown', 'csv'] as const) {
      expect(renderExport(format, favs, () => undefined).filename).toMatch(/^cmed-favorites-2024-03-01\./);
    }
  });

  it('dates the Markdown export and its save dates by the local date', () => {
    const md = renderExport('markdown', [fav('cmeee', { title: 'CMeEE', savedAt: Date.UTC(2024, 1, 28, 17, 30) })], () => undefined).text;
    expect(md).toContain('Exported 2024-03-01');
    expect(md).toContain('saved 2024-02-29');
  });

  it('keeps the JSON export’s machine timestamp in UTC', () => {
    const json = JSON.parse(renderExport('json', [fav('cmeee')], () => undefined).text);
    expect(json.exportedAt).toBe('2024-02-29T23:00:00.000Z');
  });
});
