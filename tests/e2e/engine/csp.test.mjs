// Every demo page under the strict policy a payment page would use (no unsafe-eval, no unsafe-inline): the policy
// is really sent, CartKeep becomes ready, its widgets render, and the browser reports no violation at all.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { openPage, useDemoBrowser } from '../helpers/browser.mjs';

const PAGES = readdirSync(new URL('../../../demo/', import.meta.url)).filter((name) => name.endsWith('.html')).sort();
const REQUIRED = ["script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'"];

const shared = useDemoBrowser();

test(`the demo's ${PAGES.length} pages run fully under a strict CSP with no violation`, async () => {
  assert.ok(PAGES.length >= 4);
  const { page, problems, context } = await openPage(shared.browser);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  // A cart first, so the cart and checkout pages have something to render.
  await page.goto(`${shared.demo.origin}/demo/index.html`);
  const productId = await page.evaluate(async () => {
    const instance = await CartKeep.ready;
    const { id } = instance.catalog.products()[0];
    await instance.cart.add(id, 2);
    return id;
  });
  for (const name of PAGES) {
    const response = await page.goto(`${shared.demo.origin}/demo/${name}${name === 'product.html' ? `?id=${encodeURIComponent(productId)}` : ''}`);
    const policy = response.headers()['content-security-policy'] || '';
    for (const directive of REQUIRED) assert.ok(policy.includes(directive), `${name}: ${directive} missing from "${policy}"`);
    assert.doesNotMatch(policy, /'unsafe-eval'|'unsafe-inline'/, name);
    const state = await page.evaluate(async () => {
      const instance = await CartKeep.ready;
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
      // Hidden widgets (no returning shopper, nothing unsaved) and suggestion slots with nothing to offer are empty by design.
      const widgets = [...document.querySelectorAll('*')].filter((el) => el.localName.startsWith('cartkeep-')
        && !el.hidden && el.localName !== 'cartkeep-suggestions' && !el.hasAttribute('country-from')); // country-from: it drives the page's own fields
      return {
        items: instance.cart.count(),
        widgets: widgets.length,
        rendered: widgets.filter((el) => el.shadowRoot && el.shadowRoot.childNodes.length > 0).length,
        empty: widgets.filter((el) => !(el.shadowRoot && el.shadowRoot.childNodes.length > 0)).map((el) => el.outerHTML.slice(0, 120)),
        violations: window.__violations,
      };
    });
    assert.deepEqual(state.violations, [], name);
    assert.equal(state.items, 2, `${name}: the cart carried over`);
    assert.equal(state.rendered, state.widgets, `${name}: every CartKeep widget rendered (${state.rendered}/${state.widgets}): ${state.empty}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
