// Fails loudly (never skips) when the end-to-end tests or the benchmarks have no browser to run in.
// Usage: node scripts/ensure-browsers.mjs chromium [firefox]
import fs from 'node:fs';

const BROWSERS = {
  chromium: {
    candidates: [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'],
    install: 'apt-get update && apt-get install -y chromium',
    env: 'CHROME_PATH',
    what: 'a Chromium/Chrome binary',
  },
  firefox: {
    candidates: [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'],
    install: 'apt-get update && apt-get install -y firefox-esr',
    env: 'FIREFOX_PATH',
    what: 'a Firefox binary',
  },
};

const wanted = process.argv.slice(2);
if (!wanted.length || wanted.some((b) => !(b in BROWSERS))) {
  console.error(`usage: node scripts/ensure-browsers.mjs ${Object.keys(BROWSERS).join('|')} ...`);
  process.exit(2);
}
let missing = 0;
for (const name of wanted) {
  const b = BROWSERS[name];
  if (b.candidates.some((p) => p && fs.existsSync(p))) continue;
  missing++;
  console.error(
    `error: no ${name} for the browser tests.\n` +
      `  Install Debian's package:  ${b.install}\n` +
      `  or point ${b.env} at ${b.what}. The browser tests are not optional.`,
  );
}
if (missing) process.exit(1);
