// A catalog given by URL is fetched and parsed by the engine in its worker, never by the page: the request
// comes from cartkeep.worker.js, the page's catalog reads answer from what the worker sent, and a failed fetch
// or a body that is not JSON rejects init with its code at options.catalog.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { openPage, useDemoBrowser } from '../helpers/browser.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'";
const demoCatalog = JSON.parse(readFileSync(new URL('../../../demo/data/catalog.json', import.meta.url), 'utf8'));
// Who asked for each catalog file: the Referer of a same-origin fetch is the URL of the document or worker script that made it.
const catalogRequests = [];
const shared = useDemoBrowser({
  onRequest(url, request) {
    if (url.pathname.startsWith('/demo/data/')) catalogRequests.push({ path: url.pathname, referer: request.headers.referer || '' });
    return false;
  },
});

async function pageWithCatalog(catalog) {
  const opened = await openPage(shared.browser);
  const config = JSON.stringify({ currency: 'GBP', catalog });
  await opened.page.route('**/demo/__test/*.html', (route) => route.fulfill({
    status: 200, contentType: 'text/html', headers: { 'content-security-policy': CSP },
    body: `<!doctype html><html lang="en-GB"><body><script src="/dist/cartkeep.js" data-config='${config}'></script></body></html>`,
  }));
  await opened.page.addInitScript(() => {
    window.seen = {};
    document.addEventListener('cartkeep:error', (event) => { window.seen.error = event.detail; });
  });
  await opened.page.goto(`${shared.demo.origin}/demo/__test/catalog.html`);
  return opened;
}

const outcome = (page) => page.evaluate(() => CartKeep.ready.then(() => ({ ready: true }), (e) => ({ code: e.code, path: e.path, message: e.message })));

test('a catalog URL is fetched by the engine\'s worker, and the page reads the catalog it sent', async () => {
  catalogRequests.length = 0;
  const { page, problems, context } = await pageWithCatalog('../data/catalog.json');
  assert.deepEqual(await outcome(page), { ready: true });
  assert.deepEqual(catalogRequests, [{ path: '/demo/data/catalog.json', referer: `${shared.demo.origin}/dist/cartkeep.worker.js` }]);
  const read = await page.evaluate(async () => {
    const { catalog } = await CartKeep.ready;
    const first = catalog.get('85123A');
    first.tags.push('changed'); // a copy: the next read is untouched
    return { count: catalog.products().length, first: catalog.get('85123A'), missing: catalog.get('nope') };
  });
  assert.equal(read.count, demoCatalog.length);
  assert.equal(read.first.title, demoCatalog[0].title);
  assert.equal(read.first.price, demoCatalog[0].price);
  assert.deepEqual(read.first.tags, demoCatalog[0].tags);
  assert.equal(read.missing, null);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a catalog URL that fails is catalog-load-failed, a body that is not JSON invalid-json, both at options.catalog', async () => {
  for (const [catalog, code, message] of [
    ['../data/no-such-catalog.json', 'catalog-load-failed', /HTTP 404 for .*\/demo\/data\/no-such-catalog\.json$/],
    ['../favicon.svg', 'invalid-json', /\/demo\/favicon\.svg is not valid JSON/],
  ]) {
    const { page, context } = await pageWithCatalog(catalog);
    const failure = await outcome(page);
    assert.equal(failure.code, code, catalog);
    assert.equal(failure.path, 'options.catalog');
    assert.match(failure.message, message);
    assert.deepEqual(await page.evaluate(() => window.seen.error), failure);
    await context.close();
  }
});
