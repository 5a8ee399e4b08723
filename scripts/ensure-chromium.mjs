// Fails loudly (never skips) when the end-to-end tests have no browser to run in.
import fs from 'node:fs';

const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
if (!candidates.some((p) => fs.existsSync(p))) {
  console.error(
    'error: no Chromium for the end-to-end tests.\n' +
      '  Install Debian\'s package:  apt-get update && apt-get install -y chromium\n' +
      '  or point CHROME_PATH at a Chromium/Chrome binary. The browser tests are not optional.',
  );
  process.exit(1);
}
