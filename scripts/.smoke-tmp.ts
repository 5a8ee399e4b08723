import fs from 'node:fs';
import { buildSearchIndex } from '/work/main/utils/search/build';
import { createSearcher } from '/work/main/utils/search/index';
const cat = JSON.parse(fs.readFileSync('/work/main/data/catalog.json', 'utf8'));
let t = performance.now();
const idx = buildSearchIndex(cat);
console.log('build ms', (performance.now() - t).toFixed(1), 'size', JSON.stringify(idx).length);
const s = createSearcher(JSON.parse(JSON.stringify(idx)));
const qs = process.argv.slice(2).length ? process.argv.slice(2) : ['PubMedQA','pubmedq','cometa corpus','medmention','1909.06146','2020.emnlp-main.253','CBLUEbenchmark/CBLUE','arXiv:1909.06146','https://arxiv.org/abs/1909.06146','医渡云','糖尿病','问答','知识图谱','yidu','ruijin','tangniaobing','tnb','ydyjgh4ksjj','rjyytnbsjj','bert','entity linking','p','pu','医','cmekg','biobert','clinical bert','Ｐｕｂ','.*(?[','🚀','   ','a\nb'];
for (const q of qs) {
  t = performance.now();
  const r = s.search(q, { limit: 5 });
  const ms = performance.now() - t;
  console.log(JSON.stringify(q), ms.toFixed(2) + 'ms', r.map((h) => `${h.entryId}:${h.score.toFixed(3)}`).join('  '));
}
