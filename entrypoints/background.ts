import { defineBackground } from 'wxt/utils/define-background';

export default defineBackground(() => {
  // Handlers are registered synchronously so the MV3 service worker wakes for them.
});
