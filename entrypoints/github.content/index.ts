import { defineContentScript } from 'wxt/utils/define-content-script';
import { startAnnotator } from '../../utils/annotator/content';
import { github } from '../../utils/sites/github';

// One content script per site, each bundling only its own adapter (see utils/annotator/content.ts).
// It runs at document_idle, the manifest's default (left unsaid: every byte here ships on every page).
export default defineContentScript({
  matches: ['https://github.com/*'],
  main: (ctx) => startAnnotator(ctx, github),
});
