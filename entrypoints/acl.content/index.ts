import { defineContentScript } from 'wxt/utils/define-content-script';
import { startAnnotator } from '../../utils/annotator/content';
import { aclAnthology } from '../../utils/sites/acl-anthology';

// One content script per site, each bundling only its own adapter (see utils/annotator/content.ts).
export default defineContentScript({
  matches: ['https://aclanthology.org/*'],
  runAt: 'document_idle',
  main: (ctx) => startAnnotator(ctx, aclAnthology),
});
