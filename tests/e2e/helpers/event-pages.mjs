// Test pages for the event stream: /demo/__test/<type>.html served by page.route under the demo's strict CSP,
// each loading dist/cartkeep.js with the test's configuration, and recording every cartkeep:<name> DOM event
// of the stream in window.seen (registered before CartKeep starts, so page-view is seen too).
import { beforeEach } from 'node:test';
import { openPage, useDemoBrowser } from './browser.mjs';
import { Collector } from './collector.mjs';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'";

export const catalog = [
  { id: 'mug', title: 'Enamel Mug', price: 850, category: 'Kitchen' },
  { id: 'lantern', title: 'Lantern', price: 339, brand: 'Hearth' },
  { id: 'card', title: 'Card', price: 42 },
];

export const STREAM = ['page-view', 'page-timing', 'view-item', 'cart-created', 'add-to-cart', 'remove-from-cart',
  'checkout-started', 'checkout-step', 'purchase', 'cart-abandoned', 'cart-restored', 'cart-resumed', 'exit-intent', 'risk',
  'nudge-shown', 'nudge-accepted', 'nudge-dismissed', 'suggestion-impression', 'suggestion-click', 'suggestion-add',
  'consent-change'];

// Consent granted and behaviour off unless a test says otherwise, so each stream holds only what the test did.
export function config(events = {}, extra = {}) {
  return { currency: 'GBP', locale: 'en-GB', catalog, behaviour: { enabled: false }, consent: 'granted', ...extra,
    events: { endpoint: '/collect', ...events } };
}

const TYPES = new Set(['product', 'cart', 'checkout', 'home']);

export function html(options, type) {
  const declared = TYPES.has(type) ? ` data-cartkeep-page="${type}"` : '';
  return `<!doctype html><html lang="en-GB"${declared}><head><meta charset="utf-8"><title>${type}</title></head><body>
  <main><h1>${type}</h1><button type="button" data-cartkeep-add="mug">Add the mug</button><cartkeep-cart-count></cartkeep-cart-count></main>
  <script src="/dist/cartkeep.js" data-config='${JSON.stringify(options).replace(/'/g, '&#39;')}'></script></body></html>`;
}

// shop(options, {gpc}) -> {context, page, problems, go(type, query)}: a fresh browser profile per call.
// The event tests' setup: a demo server whose /collect endpoint is `collector`, one browser, and `shop(options)`
// opening a test page; the collector is emptied before each test.
export function useEventShop() {
  const collector = new Collector();
  const shared = useDemoBrowser(collector.hooks());
  beforeEach(() => collector.reset());
  return {
    collector,
    get origin() { return shared.demo.origin; },
    shop: (...args) => eventPages(shared.browser, shared.demo, openPage)(...args),
  };
}

export function eventPages(browser, demo, openPage) {
  return async (options, { gpc = false } = {}) => {
    const opened = await openPage(browser);
    const { page } = opened;
    await page.route(/\/demo\/__test\/[a-z-]+\.html(\?.*)?$/, (route) => {
      const type = new URL(route.request().url()).pathname.split('/').pop().replace(/\.html$/, '');
      route.fulfill({ status: 200, contentType: 'text/html', headers: { 'content-security-policy': CSP }, body: html(options, type) });
    });
    await page.addInitScript(({ names, privacy }) => {
      if (privacy) Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
      window.seen = [];
      for (const name of names) document.addEventListener(`cartkeep:${name}`, (event) => window.seen.push({ name, detail: event.detail }));
    }, { names: STREAM, privacy: gpc });
    const go = async (type, query = '') => {
      await page.goto(`${demo.origin}/demo/__test/${type}.html${query}`);
      // window.store: the instance, so tests can wait with synchronous predicates (page.waitForFunction).
      await page.evaluate(async () => { window.store = await CartKeep.ready; });
    };
    return { ...opened, go };
  };
}
