import { defineContentScript } from 'wxt/utils/define-content-script';
import { startAnnotator } from '../../utils/annotator/content';

export default defineContentScript({
  matches: ['https://arxiv.org/*', 'https://aclanthology.org/*', 'https://github.com/*'],
  runAt: 'document_idle',
  main(ctx) {
    // The foundation test and our own e2e tests look for this marker.
    document.documentElement.setAttribute('data-cmed-annotator', 'ready');
    startAnnotator(ctx);
  },
});
