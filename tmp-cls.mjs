import { chromium } from 'playwright-core';
import { startServer } from '/work/main/scripts/serve.mjs';
const server = await startServer({ port: 0, quiet: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
await context.addInitScript(() => {
  window.__shifts = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push({ v: e.value.toFixed(3), t: Math.round(e.startTime), src: e.sources.map((s) => (s.node ? (s.node.localName || s.node.nodeName) + '.' + (s.node.className || '') : '?') + ` ${s.previousRect.y}->${s.currentRect.y} h${s.previousRect.height}->${s.currentRect.height}`) }); }).observe({ type: 'layout-shift', buffered: true });
});
const page = await context.newPage();
await page.goto(`${server.origin}/demo/product.html?id=85123A`);
await page.waitForFunction(() => document.documentElement.classList.contains('cartkeep-ready'));
await page.evaluate(() => CartKeep.ready.then(async (s) => { await s.cart.add('85123A', 3); await s.cart.add('22423', 1); }));
await page.goto(`${server.origin}/demo/cart.html`);
await page.waitForFunction(() => document.documentElement.classList.contains('cartkeep-ready'));
await page.waitForTimeout(1500);
console.log(JSON.stringify(await page.evaluate(() => window.__shifts), null, 1));
console.log(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime));
await browser.close(); await server.close();
