// The PNG download a page draws in the browser (assets/png.js), for diagrams
// the build wrote no PNG file for: opens a workflow page over file://,
// clicks "PNG", and checks the downloaded file is a PNG of twice the SVG's
// size with the diagram drawn (not a blank or a tainted canvas), no console
// errors and no network. Saves the picture into the screenshots folder to
// look at. Usage: node png.mjs SITE_DIR
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { LAUNCH_ARGS, startWatchdog } from './chromium.mjs';

startWatchdog('png', 120);
const siteDir = path.resolve(process.argv[2]);
const shotsDir = path.resolve(process.env.PROCFLOW_SCREENSHOTS || 'target/screenshots');
const PAGE = 'workflows/incident-handling.html';
const failures = [];
const fail = (message) => failures.push(message);

const browser = await chromium.launch({
  executablePath: process.env.PROCFLOW_CHROMIUM || '/usr/bin/chromium',
  args: LAUNCH_ARGS,
  headless: true,
});
try {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (msg) => msg.type() === 'error' && fail(`console error: ${msg.text()}`));
  page.on('pageerror', (err) => fail(`uncaught exception: ${err.message}`));
  page.on('request', (req) => !req.url().startsWith('file:') && !req.url().startsWith('blob:') &&
    !req.url().startsWith('data:') && fail(`network request to ${req.url()}`));
  await page.goto(pathToFileURL(path.join(siteDir, PAGE)).href);
  const button = page.locator('button.png-download');
  if (!(await button.isVisible())) fail('the PNG button is not shown');
  const svgSize = await page.evaluate(() => {
    const svg = document.querySelector('figure.diagram svg');
    return { width: svg.width.baseVal.value, height: svg.height.baseVal.value };
  });
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), button.click()]);
  if (download.suggestedFilename() !== 'incident-handling.png') fail(`file name ${download.suggestedFilename()}`);
  const file = path.join(shotsDir, 'png-made-in-browser.png');
  fs.mkdirSync(shotsDir, { recursive: true });
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  const signature = bytes.subarray(0, 8).toString('hex');
  if (signature !== '89504e470d0a1a0a') fail(`not a PNG (starts ${signature})`);
  const width = bytes.readUInt32BE(16), height = bytes.readUInt32BE(20);
  if (width !== Math.ceil(svgSize.width * 2) || height !== Math.ceil(svgSize.height * 2)) {
    fail(`${width}×${height} pixels, want twice the SVG's ${svgSize.width}×${svgSize.height}`);
  }
  // Drawn: dark pixels of lines and text in the picture, read back in the page.
  const dark = await page.evaluate(async (url) => {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 100 && data[i + 1] < 100 && data[i + 2] < 100) count++;
    return count / (data.length / 4);
  }, `data:image/png;base64,${bytes.toString('base64')}`);
  if (!(dark > 0.002)) fail(`the picture is blank (${(dark * 100).toFixed(3)} % dark pixels)`);
  console.log(`png: ${width}×${height} px, ${bytes.length} bytes, ${(dark * 100).toFixed(2)} % dark pixels; saved ${file}`);
  await context.close();
} finally {
  await browser.close();
}
for (const f of failures) console.log(`FAIL: ${f}`);
process.exit(failures.length ? 1 : 0);
