// A tiny shop for the persistence e2e tests, served under the demo's strict CSP:
//   /persist-e2e/<variant>/shop.html       resume banner, share widget, save status, cart count (step "cart")
//   /persist-e2e/<variant>/checkout.html   the same widgets on the checkout step (step "checkout")
//   /persist-e2e/<variant>/config.json     the store; `state` below changes the catalog between visits
// Variants: en, ar (Arabic, right to left). A return visit is one 30 minutes or more after the last save:
// laterClock() moves the page's clock on.
import { after, before } from 'node:test';
import { launchBrowser, startDemo } from './browser.mjs';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export const EVIL_TITLE = '<img src=x onerror="window.__xss=1">Mug';

// What the store sells now: tests change it between visits (price rises, stock runs out, products retire).
export function initialCatalogState() {
  return { mugPrice: 850, lanternStock: 20, teapot: true };
}

function catalog(state) {
  return [
    { id: 'mug', title: 'Enamel Mug', price: state.mugPrice, stock: 50 },
    { id: 'lantern', title: 'White Metal Lantern', price: 339, stock: state.lanternStock },
    ...(state.teapot ? [{ id: 'teapot', title: 'Retired <b>Teapot</b>', price: 1500 }] : []),
    { id: 'evil', title: EVIL_TITLE, price: 500 },
    { id: 'tea', title: 'Tea caddy', price: 100 },
    { id: 'cup', title: 'Cup', price: 200 },
    { id: 'pot', title: 'Pot', price: 300 },
  ];
}

const LOCALES = { en: 'en-GB', ar: 'ar-AE' };

function config(variant, state) {
  const base = `/persist-e2e/${variant}`;
  return {
    currency: 'GBP',
    locale: LOCALES[variant],
    catalog: catalog(state),
    coupons: [{ code: 'SAVE10', type: 'percentage', rate: 10 }],
    persistence: {
      resumeUrls: { cart: `${base}/shop.html`, checkout: `${base}/checkout.html` },
    },
  };
}

function page(variant, name) {
  const locale = LOCALES[variant];
  const dir = variant === 'ar' ? 'rtl' : 'ltr';
  return `<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8"><title>${name}</title></head><body>
<header><cartkeep-cart-count></cartkeep-cart-count> <cartkeep-save-status></cartkeep-save-status></header>
<cartkeep-resume-banner></cartkeep-resume-banner>
<main><h1>${name}</h1><button id="plain" type="button">a page button</button></main>
<aside><cartkeep-share-cart></cartkeep-share-cart></aside>
<script src="/dist/cartkeep.js" data-config="/persist-e2e/${variant}/config.json"></script></body></html>`;
}

// Starts the demo server with the persistence pages; `state` is live: change it and the next visit sees it.
export async function startPersistShop() {
  const state = initialCatalogState();
  const demo = await startDemo({
    onRequest(url, request, response) {
      if (url.pathname === '/favicon.ico') {
        response.writeHead(204).end();
        return true;
      }
      const match = url.pathname.match(/^\/persist-e2e\/(en|ar)\/(shop\.html|checkout\.html|config\.json)$/);
      if (!match) return false;
      const [, variant, file] = match;
      if (file === 'config.json') {
        response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(config(variant, state)));
      } else {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP, 'cache-control': 'no-store' })
          .end(page(variant, file.replace('.html', '')));
      }
      return true;
    },
  });
  return {
    demo,
    state,
    reset() { Object.assign(state, initialCatalogState()); },
    url: (variant, name = 'shop', query = '') => `${demo.origin}/persist-e2e/${variant}/${name}.html${query}`,
    close: () => demo.close(),
  };
}

// An init script: the page's clock runs `hours` ahead, so a restore is a return visit.
export function laterClock(hours) {
  const realNow = Date.now;
  Date.now = () => realNow() + hours * 3600000;
}

// An init script: records CartKeep's document events from before any page script runs.
export function recordEvents() {
  window.__events = [];
  for (const name of ['ready', 'error', 'persistence', 'restore', 'banner', 'resume', 'resume-link', 'share', 'cart-change']) {
    document.addEventListener(`cartkeep:${name}`, (event) => {
      window.__events.push({ name, detail: JSON.parse(JSON.stringify(event.detail ?? null)) });
    });
  }
}

export const events = (page, name) => page.evaluate((n) => window.__events.filter((e) => e.name === n).map((e) => e.detail), name);

// Waits until CartKeep's instance is ready and its saved cart restored.
export const ready = (page) => page.evaluate(() => CartKeep.ready.then(() => true));

export const shadowText = (page, selector) =>
  page.$eval(selector, (node) => (node.shadowRoot || node).textContent.replace(/\s+/g, ' ').trim());

export const cartLines = (page) => page.evaluate(() => CartKeep.ready.then((store) => store.cart.lines().map((l) => [l.productId, l.quantity])));

// The persistence test files' setup: one browser and one persistence shop for the file, closed after.
// Returns a live view (`shared.browser`, `shared.shop`) filled in before the first test.
export function usePersistShop() {
  const shared = { browser: null, shop: null };
  before(async () => {
    shared.browser = await launchBrowser();
    shared.shop = await startPersistShop();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.shop?.close();
  });
  return shared;
}
