/**
 * Renders the extension's icon (assets/icon.svg) to the PNGs the manifests use,
 * public/icon/<size>.png (WXT lists them as the manifest's icons): npm run icons.
 * Run it after changing the SVG and commit the PNGs; builds do not need a browser.
 * Rendered by Chromium (the test browser), on a transparent background.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, chromiumPath } from '../tests/e2e/harness';

export const ICON_SIZES = [16, 32, 48, 96, 128];

const svg = fs.readFileSync(path.join(ROOT, 'assets', 'icon.svg'));
const out = path.join(ROOT, 'public', 'icon');
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
  for (const size of ICON_SIZES) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<body style="margin:0"><img src="${src}" width="${size}" height="${size}" style="display:block"></body>`);
    await page.waitForFunction(() => document.images[0]?.complete);
    const file = path.join(out, `${size}.png`);
    await page.screenshot({ path: file, omitBackground: true });
    console.log(`icons: ${path.relative(ROOT, file)} ${fs.statSync(file).size} bytes`);
  }
} finally {
  await browser.close();
}
