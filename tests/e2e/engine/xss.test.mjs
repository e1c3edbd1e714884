// Hostile text in every place untrusted input reaches the page: product titles, descriptions, categories and
// brands; coupon codes typed by the shopper and merchant coupon descriptions; URL parameters (resume links in both
// forms, UTM tags); and a stored cart whose products have since left the catalog. The page is served WITHOUT a CSP,
// so an injection would really run: payloads call window.__xss, alert/confirm/prompt are hooked, a
// MutationObserver watches the document and every shadow root for script-capable elements and attributes, and the
// hostile strings must show up as plain text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { openPage, useDemoBrowser, waitForAnswer } from '../helpers/browser.mjs';

const PAYLOADS = JSON.parse(readFileSync(new URL('../../fixtures/xss-corpus.json', import.meta.url), 'utf8'));
const SAFE = { id: 'mug', title: 'Enamel Mug', price: 850, category: 'Kitchen', url: 'product.html?id=mug' };
const hostileProducts = PAYLOADS.map((payload, i) => ({
  id: `p${i}`, title: payload, description: payload, category: payload, brand: payload, tags: [payload.slice(0, 100)],
  price: 100 + i, url: `product.html?id=p${i}`,
}));
const coupons = PAYLOADS.map((payload, i) => ({ code: `SAVE${i}`, type: 'percentage', rate: '5', description: payload }));

const shared = useDemoBrowser();

// Runs before any page script: the tripwires.
function tripwires() {
  window.__xssHits = [];
  window.__xss = (n) => window.__xssHits.push(`payload ${n}`);
  for (const name of ['alert', 'confirm', 'prompt', 'print']) window[name] = () => window.__xssHits.push(name);
  window.__injected = [];
  const FORBIDDEN = new Set(['script', 'iframe', 'object', 'embed', 'frame', 'frameset', 'base', 'meta', 'link', 'style',
    'svg', 'math', 'template', 'form', 'isindex', 'keygen', 'marquee', 'video', 'audio', 'source', 'details', 'dialog', 'xmp', 'noscript']);
  const OWN_SCRIPTS = /\/(dist\/cartkeep\.js|demo\/__test\/xss-page\.js)$/;
  const URL_ATTRS = /^(href|src|action|formaction|data|srcdoc|xlink:href|poster|background)$/i;
  const inspect = (node) => {
    if (!node || node.nodeType !== 1) return;
    const tag = node.localName;
    if (FORBIDDEN.has(tag) && !(tag === 'script' && OWN_SCRIPTS.test(node.src || '')) && !node.hasAttribute('data-test-own')
      && !(tag === 'form' && node.getAttribute('part') === 'coupon-form')) {
      window.__injected.push(`<${tag}>`);
    }
    for (const attribute of node.attributes) {
      if (/^on/i.test(attribute.name)) window.__injected.push(`<${tag} ${attribute.name}>`);
      if (URL_ATTRS.test(attribute.name) && /^[\s\0-\x1f]*(javascript|data|vbscript):/i.test(attribute.value)) {
        window.__injected.push(`<${tag} ${attribute.name}=${attribute.value}>`);
      }
    }
    for (const child of node.children) inspect(child);
    if (node.shadowRoot) for (const child of node.shadowRoot.children) inspect(child);
  };
  const observe = (root) => new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') inspect(record.target);
      for (const added of record.addedNodes) inspect(added);
    }
  }).observe(root, { childList: true, subtree: true, attributes: true });
  observe(document);
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function observed(init) {
    const root = attachShadow.call(this, init);
    observe(root);
    return root;
  };
  // The final sweep: everything on the page now, shadow roots included, plus all its text.
  window.__sweep = () => {
    inspect(document.documentElement);
    const texts = [];
    const walk = (root) => {
      for (const node of root.querySelectorAll('*')) {
        if (node.shadowRoot) { texts.push(node.shadowRoot.textContent); walk(node.shadowRoot); }
      }
    };
    texts.push(document.body.textContent);
    walk(document);
    return { hits: window.__xssHits, injected: window.__injected, text: texts.join('\n') };
  };
}

const PAGE = `<!doctype html><html lang="en-GB"><head><title>XSS</title></head><body data-cartkeep-page="cart">
  <cartkeep-cart-count></cartkeep-cart-count><cartkeep-cart checkout-url="checkout.html"></cartkeep-cart>
  <cartkeep-cost-preview coupons></cartkeep-cost-preview><cartkeep-shipping-bar></cartkeep-shipping-bar>
  <cartkeep-suggestions placement="complete-order"></cartkeep-suggestions>
  <cartkeep-suggestions placement="recently-viewed"></cartkeep-suggestions>
  <cartkeep-resume-banner></cartkeep-resume-banner>
  <script src="/dist/cartkeep.js" data-config="/demo/__test/xss-config.json"></script>
  <script src="/demo/__test/xss-page.js"></script></body></html>`;

// Records CartKeep's errors and notices; reports readiness to the test.
const PAGE_SCRIPT = `window.__errors = [];
  document.addEventListener('cartkeep:error', (e) => window.__errors.push(e.detail));
  window.__ready = CartKeep.ready.then(() => true, (e) => { window.__initError = String(e && e.message); return false; });`;

function config(catalog, extra = {}) {
  return {
    currency: 'GBP', locale: 'en-GB', catalog, coupons,
    cart: { maxLines: 100 },
    shipping: { zones: [{ id: 'uk', name: PAYLOADS[0], countries: ['GB'], methods: [{ id: 'std', name: PAYLOADS[1], rate: { type: 'flat', amount: 395 }, freeAbove: 100000 }] }] },
    ...extra,
  };
}

async function hostilePage(configFor) {
  const opened = await openPage(shared.browser);
  const { page } = opened;
  await page.addInitScript(tripwires);
  page.on('dialog', (dialog) => { opened.problems.push(`dialog: ${dialog.message()}`); dialog.dismiss().catch(() => {}); });
  await page.route('**/demo/__test/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path.endsWith('.html')) return route.fulfill({ status: 200, contentType: 'text/html', body: PAGE });
    if (path.endsWith('xss-page.js')) return route.fulfill({ status: 200, contentType: 'text/javascript', body: PAGE_SCRIPT });
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(configFor()) });
  });
  return opened;
}

async function sweep(page) {
  // Let lazy work (images, suggestions, re-renders, failed requests) settle before looking.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))));
  return page.evaluate(() => window.__sweep());
}

test(`${PAYLOADS.length} hostile strings in the catalog, coupons and shipping names render as text and never run`, async () => {
  assert.ok(PAYLOADS.length >= 50);
  const { page, problems, context } = await hostilePage(() => config([SAFE, ...hostileProducts]));
  await page.goto(`${shared.demo.origin}/demo/__test/catalog.html`);
  assert.equal(await page.evaluate(() => window.__ready), true, await page.evaluate(() => window.__initError));
  await page.evaluate(async () => {
    const instance = await CartKeep.ready;
    for (const product of instance.catalog.products()) await instance.cart.add(product.id, 1);
  });
  // Coupons: the shopper types every hostile string into the widget's code field, then the merchant's hostile
  // coupon descriptions apply.
  const input = page.locator('cartkeep-cost-preview input[name="coupon"]');
  for (const payload of PAYLOADS) {
    await input.fill(payload);
    await input.press('Enter');
  }
  for (let i = 0; i < 3; i += 1) {
    await input.fill(`SAVE${i}`);
    await input.press('Enter');
  }
  const result = await sweep(page);
  assert.deepEqual(result.hits, []);
  assert.deepEqual(result.injected, []);
  const missing = PAYLOADS.filter((payload) => !result.text.includes(payload.replace(/\0/g, '\uFFFD')) && !result.text.includes(payload));
  assert.deepEqual(missing, [], 'every hostile title is shown, as text, in the cart');
  assert.deepEqual(problems, []);
  await context.close();
});

test('hostile URL parameters (resume links in both forms, UTM tags) are refused or shown as text, never run', async () => {
  const { page, problems, context } = await hostilePage(() => config([SAFE, ...hostileProducts.slice(0, 5)]));
  const hits = [];
  const injected = [];
  // One load per payload: it rides in the resume link (raw, or as an unknown id in the ID:QTY form), and its
  // neighbours in the corpus ride in the UTM tags, the referrer-like `ref` and the fragment.
  const at = (i) => encodeURIComponent(PAYLOADS[i % PAYLOADS.length]);
  for (let i = 0; i < PAYLOADS.length; i += 1) {
    const link = i % 2 ? at(i) : encodeURIComponent(`${PAYLOADS[i]}:1,mug:2`);
    await page.goto(`${shared.demo.origin}/demo/__test/url.html?cartkeep=${link}&utm_source=${at(i + 1)}&utm_campaign=${at(i + 2)}&ref=${at(i + 3)}#${at(i + 4)}`);
    await page.evaluate(() => window.__ready);
    const result = await sweep(page);
    hits.push(...result.hits);
    injected.push(...result.injected);
  }
  assert.deepEqual(hits, []);
  assert.deepEqual(injected, []);
  // An unknown hostile id in a Shopify-style link is dropped; the known line still arrives.
  await page.goto(`${shared.demo.origin}/demo/__test/url.html?cartkeep=${encodeURIComponent(`${PAYLOADS[0]}:1,mug:2`)}`);
  await page.evaluate(() => window.__ready);
  await waitForAnswer(page, async () => (await CartKeep.ready).cart.count() >= 2);
  assert.equal(await page.evaluate(async () => (await CartKeep.ready).cart.get().lines.find((l) => l.productId === 'mug')?.quantity), 2);
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  await context.close();
});

test('a stored cart whose hostile products left the catalog comes back as text notices, never as markup', async () => {
  let catalog = [SAFE, ...hostileProducts.slice(0, 20)];
  const { page, problems, context } = await hostilePage(() => config(catalog));
  await page.goto(`${shared.demo.origin}/demo/__test/stored.html`);
  assert.equal(await page.evaluate(() => window.__ready), true);
  await page.evaluate(async () => {
    const instance = await CartKeep.ready;
    for (const product of instance.catalog.products()) await instance.cart.add(product.id, 1);
    await instance.persistence.save();
  });
  // Between visits the hostile products are withdrawn and the mug's price changes.
  catalog = [{ ...SAFE, price: 990 }, ...hostileProducts.slice(20, 25)];
  await page.reload();
  assert.equal(await page.evaluate(() => window.__ready), true);
  const restored = await page.evaluate(async () => {
    const instance = await CartKeep.ready;
    return instance.cart.get().lines.map((l) => l.productId);
  });
  assert.deepEqual(restored, ['mug'], 'only the product still sold comes back');
  const result = await sweep(page);
  assert.deepEqual(result.hits, []);
  assert.deepEqual(result.injected, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('control: the tripwires do catch an injection (so the tests above can fail)', async () => {
  const { page, context } = await hostilePage(() => config([SAFE]));
  await page.goto(`${shared.demo.origin}/demo/__test/control.html`);
  await page.evaluate(() => window.__ready);
  await page.evaluate((payloads) => {
    document.body.insertAdjacentHTML('beforeend', payloads[1]); // <img src=x onerror=__xss(2)>
    document.querySelector('cartkeep-cart').shadowRoot.append(document.createRange().createContextualFragment(payloads[2]));
  }, PAYLOADS);
  await page.waitForFunction(() => window.__xssHits.length > 0);
  const result = await sweep(page);
  assert.ok(result.hits.includes('payload 2'), JSON.stringify(result.hits));
  assert.ok(result.injected.includes('<img onerror>'), JSON.stringify(result.injected));
  assert.ok(result.injected.includes('<svg>'), JSON.stringify(result.injected));
  await context.close();
});
