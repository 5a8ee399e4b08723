import { it } from 'vitest';
import { launchExtension, siteUrl } from '/work/main/tests/e2e/harness';
it('smoke', async () => {
  const s = await launchExtension();
  for (const [host, p] of [['arxiv.org','/abs/1909.06146'],['arxiv.org','/list/cs.CL/new'],['arxiv.org','/search/?query=x'],['arxiv.org','/html/2402.10987v1'],['aclanthology.org','/2020.emnlp-main.253/'],['aclanthology.org','/volumes/2020.emnlp-main/'],['aclanthology.org','/events/emnlp-2020/'],['github.com','/CBLUEbenchmark/CBLUE'],['github.com','/medlens-fixtures/zh-medical-notes']]) {
    const page = await s.context.newPage();
    await page.goto(siteUrl(host, p));
    await page.waitForFunction(() => document.documentElement.getAttribute('data-cmed-annotator') === 'idle', null, { timeout: 10000 }).catch(() => {});
    const r = await page.evaluate(() => {
      const c: Record<string, number> = {};
      for (const e of document.querySelectorAll('[data-catalog-entry]')) { const k = e.getAttribute('data-catalog-entry')!; c[k] = (c[k] ?? 0) + 1; }
      return { c, page: document.querySelector('[data-catalog-page]')?.getAttribute('data-catalog-page') ?? null,
      m: performance.getEntriesByName('cmed:annotate').map((e) => [Math.round(e.duration*10)/10, JSON.stringify((e as PerformanceMeasure).detail)]) };
    });
    console.log(p, JSON.stringify(r, null, 0));
    await page.close();
  }
  console.log(s.errors);
  await s.close();
});
