import { defineContentScript } from 'wxt/utils/define-content-script';
import { startAnnotator } from '../../utils/annotator/content';
import { github } from '../../utils/sites/github';

// One content script per site, each bundling only its own adapter (see utils/annotator/content.ts).
export default defineContentScript({
  matches: ['https://github.com/*'],
  runAt: 'document_idle',
  main: (ctx) => startAnnotator(ctx, github),
});
