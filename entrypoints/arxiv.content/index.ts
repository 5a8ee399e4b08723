import { defineContentScript } from 'wxt/utils/define-content-script';
import { startAnnotator } from '../../utils/annotator/content';
import { arxiv } from '../../utils/sites/arxiv';

// One content script per site, each bundling only its own adapter (see utils/annotator/content.ts).
export default defineContentScript({
  matches: ['https://arxiv.org/*'],
  runAt: 'document_idle',
  main: (ctx) => startAnnotator(ctx, arxiv),
});
