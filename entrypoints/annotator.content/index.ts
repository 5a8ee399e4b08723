import { defineContentScript } from 'wxt/utils/define-content-script';

export default defineContentScript({
  matches: ['https://arxiv.org/*', 'https://aclanthology.org/*', 'https://github.com/*'],
  runAt: 'document_idle',
  main() {
    document.documentElement.setAttribute('data-cmed-annotator', 'ready');
  },
});
