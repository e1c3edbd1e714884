// Saved carts in real Chromium under a strict CSP: reload keeps the cart; storage that throws or is full
// shows "Cart not saved on this device" and an event; corrupted storage is kept aside and reported with a
// code while the page starts clean; resume links round trip through the share widget into a new context
// (same cart, same step, same coupon), unknown ids are dropped with a visible notice, the ID:QTY form works;
// a price change between visits is shown in the welcome-back banner; Arabic right to left; text stays text.
// Concurrent tabs: persistence-tabs.test.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage } from '../helpers/browser.mjs';
import { EVIL_TITLE, cartLines, events, laterClock, ready, recordEvents, shadowText, usePersistShop } from '../helpers/persist-shop.mjs';

const CART_KEY = 'cartkeep:default:cart';
const shared = usePersistShop();

async function visit(url, { context, init, initArg, contextOptions } = {}) {
  let opened;
  if (context) {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    opened = { context, page, problems };
  } else {
    opened = await openPage(shared.browser, null, { context: contextOptions });
  }
  await opened.page.addInitScript(recordEvents);
  if (init) await opened.page.addInitScript(init, initArg);
  await opened.page.goto(url);
  await ready(opened.page);
  return opened;
}

const run = (page, fn, arg) => page.evaluate(fn, arg);
const save = (page) => run(page, () => CartKeep.ready.then((store) => store.persistence.save()));
const isHidden = (page, selector) => page.$eval(selector, (node) => node.hidden);

test('reload keeps the cart; a quick reload greets nobody; nothing is thrown into the page', async () => {
  const { context, page, problems } = await visit(shared.shop.url('en'));
  try {
    assert.equal(await isHidden(page, 'cartkeep-resume-banner'), true);
    await run(page, () => CartKeep.ready.then(async (store) => { await store.cart.add('mug', 2); await store.cart.add('lantern'); }));
    const status = await save(page);
    assert.deepEqual([status.storage, status.saved, status.sync], ['local', true, 'broadcast-channel']);
    const stored = JSON.parse(await run(page, (key) => localStorage.getItem(key), CART_KEY));
    assert.equal(stored.cartkeep, 'cart');
    assert.match(stored.checksum, /^crc32:[0-9a-f]{8}$/);

    await page.reload();
    await ready(page);
    assert.deepEqual(await cartLines(page), [['mug', 2], ['lantern', 1]]);
    const [restore] = await events(page, 'restore');
    assert.deepEqual([restore.status, restore.returning], ['restored', false]);
    assert.equal(await isHidden(page, 'cartkeep-resume-banner'), true, 'no welcome back within returningAfterMinutes');
    assert.equal(await isHidden(page, 'cartkeep-save-status'), true, 'a saved cart needs no warning');
    assert.equal(await shadowText(page, 'cartkeep-cart-count'), '3');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('storage that throws: the cart works in memory, "Cart not saved on this device" is visible, an event says why', async () => {
  const refuse = () => {
    Storage.prototype.setItem = function setItem() { throw new DOMException('The operation is insecure.', 'SecurityError'); };
  };
  const { context, page, problems } = await visit(shared.shop.url('en'), { init: refuse });
  try {
    await page.waitForFunction(() => !document.querySelector('cartkeep-save-status').hidden);
    assert.equal(await page.$eval('cartkeep-save-status', (node) => node.getAttribute('state')), 'unsaved');
    assert.equal(await shadowText(page, 'cartkeep-save-status'), 'Cart not saved on this device');
    const errors = await events(page, 'error');
    assert.deepEqual(errors.map((e) => [e.code, e.path, e.source]), [['storage-unavailable', 'options.persistence.storage', 'persistence']]);
    assert.match(errors[0].message, /not saved on this device: The operation is insecure/);
    const states = await events(page, 'persistence');
    assert.deepEqual([states.at(-1).storage, states.at(-1).saved, states.at(-1).reason], ['memory', false, 'storage-failed']);
    // The live region said it too.
    await page.waitForFunction(() => document.querySelector('[data-cartkeep-live-region]').textContent === 'Cart not saved on this device');

    // The shop keeps working, and the share widget offers the link as the way to keep the cart.
    await run(page, () => CartKeep.ready.then(async (store) => await store.cart.add('mug')));
    await page.waitForFunction(() => document.querySelector('cartkeep-share-cart').shadowRoot.querySelector('[part=link]'));
    assert.match(await shadowText(page, 'cartkeep-share-cart'), /Cart not saved on this device/);
    assert.deepEqual(await cartLines(page), [['mug', 1]]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('storage that is full: compacted, then kept in memory with a storage-quota error and the not-saved state', async () => {
  const full = () => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function limited(key, value) {
      if (String(key).endsWith(':cart')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return setItem.call(this, key, value);
    };
  };
  const { context, page, problems } = await visit(shared.shop.url('en'), { init: full });
  try {
    assert.equal(await isHidden(page, 'cartkeep-save-status'), true, 'nothing to save yet, nothing failed');
    await run(page, () => CartKeep.ready.then(async (store) => await store.cart.add('lantern', 2)));
    await save(page);
    await page.waitForFunction(() => document.querySelector('cartkeep-save-status').getAttribute('state') === 'unsaved');
    const errors = await events(page, 'error');
    assert.deepEqual(errors.map((e) => e.code), ['storage-quota']);
    assert.equal((await events(page, 'persistence')).at(-1).reason, 'quota');
    assert.deepEqual(await cartLines(page), [['lantern', 2]]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('corrupted storage: the damaged copy is kept aside, cartkeep:error has a code, the page starts clean', async () => {
  // A good snapshot to tamper with.
  const writer = await visit(shared.shop.url('en'));
  await run(writer.page, () => CartKeep.ready.then(async (store) => await store.cart.add('mug', 2)));
  await save(writer.page);
  const valid = await run(writer.page, (key) => localStorage.getItem(key), CART_KEY);
  await writer.context.close();

  const cases = [
    ['{"cartkeep":"cart","version":2,"chec', 'snapshot-corrupt'],
    [valid.replace(/"checksum":"crc32:[0-9a-f]{8}"/, '"checksum":"crc32:00000000"'), 'snapshot-checksum'],
    [JSON.stringify({ ...JSON.parse(valid), version: 99 }), 'snapshot-future-version'],
  ];
  for (const [text, code] of cases) {
    const plant = ([key, value]) => {
      if (!sessionStorage.getItem('planted')) {
        localStorage.setItem(key, value);
        sessionStorage.setItem('planted', '1');
      }
    };
    const { context, page, problems } = await (async () => {
      const opened = await openPage(shared.browser);
      await opened.page.addInitScript(plant, [CART_KEY, text]);
      await opened.page.addInitScript(recordEvents);
      await opened.page.goto(shared.shop.url('en'));
      await ready(opened.page);
      return opened;
    })();
    try {
      const errors = await events(page, 'error');
      assert.equal(errors.length, 1, code);
      assert.equal(errors[0].code, code);
      assert.equal(errors[0].source, 'persistence');
      assert.equal(errors[0].keptAs, `${CART_KEY}.damaged`);
      assert.equal(await run(page, (key) => localStorage.getItem(`${key}.damaged`), CART_KEY), text, 'the damaged copy is kept aside');
      assert.equal(await run(page, (key) => localStorage.getItem(key), CART_KEY), null, 'the damaged snapshot is not read again');
      assert.deepEqual(await cartLines(page), []);
      assert.equal((await events(page, 'restore'))[0].status, 'damaged');
      // A clean start: the next change is saved as a good snapshot.
      await run(page, () => CartKeep.ready.then(async (store) => await store.cart.add('lantern')));
      await save(page);
      assert.equal(JSON.parse(await run(page, (key) => localStorage.getItem(key), CART_KEY)).version, 2);
      await page.reload();
      await ready(page);
      assert.deepEqual(await cartLines(page), [['lantern', 1]]);
      assert.deepEqual(problems, [], code);
    } finally {
      await context.close();
    }
  }
});

test('resume link round trip: copied from the share widget, opened in a new context, same cart, step and coupon', async () => {
  const phone = await visit(shared.shop.url('en', 'checkout'), { contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } });
  const laptop = await openPage(shared.browser);
  try {
    await run(phone.page, () => CartKeep.ready.then(async (store) => {
      await store.cart.add('mug', 2);
      await store.cart.add('lantern', 3);
      return (await store.quote.applyCoupon('SAVE10')).applied;
    }));
    // On the checkout page the saved stage is the checkout step, with the coupon the shopper applied.
    assert.deepEqual(await run(phone.page, () => CartKeep.ready.then(async (store) => {
      const { step, coupon } = await store.persistence.link();
      return { step, coupon };
    })), { step: 'checkout', coupon: 'SAVE10' });
    await phone.page.waitForFunction(() => /checkout\.html\?cartkeep=1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/.test(
      document.querySelector('cartkeep-share-cart').shadowRoot.querySelector('[part=link]')?.value ?? ''));
    const share = (selector) => `cartkeep-share-cart >> [part=${selector}]`;
    await phone.page.locator(share('copy')).click();
    await phone.page.waitForFunction(() => document.querySelector('cartkeep-share-cart').shadowRoot.querySelector('[part=status]').textContent === 'Link copied');
    const copied = await run(phone.page, () => navigator.clipboard.readText());
    assert.equal(copied, await phone.page.locator(share('link')).inputValue());
    assert.match(copied, /\/persist-e2e\/en\/checkout\.html\?cartkeep=1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/);
    assert.deepEqual((await events(phone.page, 'share')), [{ method: 'copy', copied: true }]);

    // Email and WhatsApp carry the same link with a summary of the cart.
    const mailto = await phone.page.locator(share('email')).getAttribute('href');
    const whatsapp = await phone.page.locator(share('whatsapp')).getAttribute('href');
    const summary = `My cart: 2 × Enamel Mug, 3 × White Metal Lantern (£27.17). Continue here: ${copied}`;
    assert.equal(mailto, `mailto:?subject=My%20cart&body=${encodeURIComponent(summary)}`);
    assert.equal(whatsapp, `https://wa.me/?text=${encodeURIComponent(summary)}`);
    assert.equal(await phone.page.locator(share('whatsapp')).getAttribute('rel'), 'noopener noreferrer');

    // Another device: the link opens the checkout step with the same cart and coupon.
    await laptop.page.addInitScript(recordEvents);
    await laptop.page.goto(copied);
    await ready(laptop.page);
    assert.deepEqual(await cartLines(laptop.page), [['mug', 2], ['lantern', 3]]);
    assert.equal(new URL(laptop.page.url()).pathname, '/persist-e2e/en/checkout.html');
    assert.equal(new URL(laptop.page.url()).search, '', 'the link is applied once: the parameter leaves the address bar');
    assert.deepEqual(await run(laptop.page, () => CartKeep.ready.then((store) => store.quote.coupons())), ['SAVE10']);
    const [applied] = await events(laptop.page, 'resume-link');
    assert.deepEqual([applied.ok, applied.format, applied.step, applied.coupon], [true, 'cartkeep', 'checkout', 'SAVE10']);
    await laptop.page.waitForFunction(() => !document.querySelector('cartkeep-resume-banner').hidden);
    // What arrived, and no Resume: the link opened the checkout step, which is where Resume would go.
    assert.equal(await shadowText(laptop.page, 'cartkeep-resume-banner >> [part=message]'), 'The items from your link are in your cart: 5 items, £27.17.');
    assert.equal(await laptop.page.locator('cartkeep-resume-banner >> [part=resume]').count(), 0);
    // Saved on the new device too.
    await laptop.page.reload();
    await ready(laptop.page);
    assert.deepEqual(await cartLines(laptop.page), [['mug', 2], ['lantern', 3]]);
    assert.deepEqual(phone.problems, []);
    assert.deepEqual(laptop.problems, []);
  } finally {
    await phone.context.close();
    await laptop.context.close();
  }
});

test('ID:QTY links: unknown ids are dropped with a visible notice; a damaged link says so and adds nothing', async () => {
  const { context, page, problems } = await visit(shared.shop.url('en', 'shop', '?cartkeep=mug:2,ghost-lamp:1,lantern:1'));
  try {
    assert.deepEqual(await cartLines(page), [['mug', 2], ['lantern', 1]]);
    await page.waitForFunction(() => !document.querySelector('cartkeep-resume-banner').hidden);
    const notice = page.locator('cartkeep-resume-banner >> li[data-kind=link-unknown]');
    assert.equal(await notice.textContent(), 'An item from the link (ghost-lamp) is not sold here and was left out');
    assert.equal(await notice.isVisible(), true);
    assert.equal((await events(page, 'resume-link'))[0].format, 'list');

    await page.goto(shared.shop.url('en', 'shop', '?cartkeep=1.bXVnKjJ8Yz1TQVZFMTB8cz1jaGVja291dA.00000000'));
    await ready(page);
    await page.waitForFunction(() => document.querySelector('cartkeep-resume-banner').shadowRoot.querySelector('[data-reason=link-invalid]'));
    assert.equal(await shadowText(page, 'cartkeep-resume-banner >> [part=message]'), 'This cart link is damaged or incomplete, so nothing was added.');
    assert.equal(await page.locator('cartkeep-resume-banner >> [part=resume]').count(), 0);
    assert.deepEqual((await events(page, 'error')).map((e) => [e.code, e.source]), [['invalid-link', 'resume-link']]);
    assert.deepEqual(await cartLines(page), [['mug', 2], ['lantern', 1]]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('re-pricing between visits: the welcome-back banner shows the cart and every difference; Resume returns to the step', async () => {
  const { context, page, problems } = await visit(shared.shop.url('en', 'checkout'));
  try {
    await run(page, () => CartKeep.ready.then(async (store) => {
      await store.cart.add('mug', 2);
      await store.cart.add('lantern', 1);
      await store.cart.add('teapot', 1);
      await store.cart.add('evil', 1);
    }));
    await save(page);
    // The store changes: the mug costs more, the lantern sells out, the teapot is retired.
    Object.assign(shared.shop.state, { mugPrice: 990, lanternStock: 0, teapot: false });
    const later = await visit(shared.shop.url('en', 'shop'), { context, init: laterClock, initArg: 2 });
    await later.page.waitForFunction(() => !document.querySelector('cartkeep-resume-banner').hidden);
    const banner = 'cartkeep-resume-banner';
    assert.equal(await shadowText(later.page, `${banner} >> [part=message]`), 'Welcome back: your cart, 3 items, £24.80, is saved.');
    const notices = await later.page.locator(`${banner} >> li`).evaluateAll((items) => items.map((li) => [li.dataset.kind, li.textContent]));
    assert.deepEqual(notices, [
      ['price-changed', 'Enamel Mug: price changed from £8.50 to £9.90'],
      ['removed', 'White Metal Lantern is out of stock and was removed'],
      ['removed', 'Retired <b>Teapot</b> is no longer available and was removed'],
    ]);
    assert.deepEqual(await cartLines(later.page), [['mug', 2], ['evil', 1]]);
    assert.equal(await later.page.evaluate(() => window.__xss), undefined);
    assert.equal(await later.page.locator(`${banner} >> b, ${banner} >> img`).count(), 0, 'titles stay text');
    // Accessible: a labelled region with real buttons, and the live region read the banner out.
    assert.equal(await later.page.locator(`${banner} >> section`).getAttribute('aria-label'), 'Your saved cart');
    await later.page.waitForFunction(() => document.querySelector('[data-cartkeep-live-region]').textContent.startsWith('Welcome back'));
    assert.match(await later.page.$eval('[data-cartkeep-live-region]', (node) => node.textContent), /price changed from £8\.50 to £9\.90/);

    // Resume by keyboard: the saved step was checkout, so that is where it goes.
    await later.page.locator(`${banner} >> [part=resume]`).focus();
    await Promise.all([later.page.waitForURL(/\/persist-e2e\/en\/checkout\.html$/), later.page.keyboard.press('Enter')]);
    await ready(later.page);
    assert.deepEqual(await cartLines(later.page), [['mug', 2], ['evil', 1]]);
    const resumed = await later.page.evaluate(() => JSON.parse(sessionStorage.getItem('cartkeep:default:banner') || 'null'));
    assert.equal(resumed, null, 'resumed: the banner is done for this visit');
    assert.deepEqual([...problems, ...later.problems], []);
  } finally {
    shared.shop.reset();
    await context.close();
  }
});

test('Arabic: the banner and the share widget read right to left in Arabic; Dismiss moves focus to the page', async () => {
  const { context, page, problems } = await visit(shared.shop.url('ar'));
  try {
    await run(page, () => CartKeep.ready.then(async (store) => await store.cart.add('mug', 3)));
    await save(page);
    await page.addInitScript(laterClock, 2);
    await page.reload();
    await ready(page);
    await page.waitForFunction(() => !document.querySelector('cartkeep-resume-banner').hidden);
    const banner = 'cartkeep-resume-banner';
    assert.equal(await page.$eval(banner, (node) => [node.dir, node.lang].join()), 'rtl,ar-AE');
    assert.match(await shadowText(page, `${banner} >> [part=message]`), /^مرحبًا بعودتك: سلتك \((3|٣) منتجات، .*(25\.50|٢٥٫٥٠).*\) محفوظة\.$/);
    assert.equal(await page.locator(`${banner} >> [part=dismiss]`).textContent(), 'إغلاق');
    assert.equal(await page.$eval('cartkeep-share-cart', (node) => node.dir), 'rtl');
    assert.equal(await page.locator('cartkeep-share-cart >> [part=copy]').textContent(), 'نسخ الرابط');
    // The banner's box is laid out right to left.
    assert.equal(await page.locator(`${banner} >> section`).evaluate((node) => getComputedStyle(node).direction), 'rtl');

    await page.locator(`${banner} >> [part=dismiss]`).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('cartkeep-resume-banner').hidden);
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'MAIN');
    assert.deepEqual((await events(page, 'banner')).at(-1), null);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the share widget: an empty cart says so; the step attribute picks the page the link opens; a refused clipboard selects the link', async () => {
  const refuseClipboard = () => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  };
  const { context, page, problems } = await visit(shared.shop.url('en'), { init: refuseClipboard });
  try {
    assert.equal(await shadowText(page, 'cartkeep-share-cart >> [part=empty]'), 'Your cart is empty: add something to save or share it.');
    await page.$eval('cartkeep-share-cart', (node) => node.setAttribute('step', 'checkout'));
    await run(page, () => CartKeep.ready.then(async (store) => await store.cart.add('tea', 2)));
    const link = await page.locator('cartkeep-share-cart >> [part=link]').inputValue();
    assert.match(link, /\/persist-e2e\/en\/checkout\.html\?cartkeep=/);
    await page.locator('cartkeep-share-cart >> [part=copy]').click();
    const status = page.locator('cartkeep-share-cart >> [part=status]');
    await page.waitForFunction(() => document.querySelector('cartkeep-share-cart').shadowRoot.querySelector('[part=status]').dataset.outcome === 'select');
    assert.equal(await status.textContent(), 'Select the link and copy it');
    const selected = await page.$eval('cartkeep-share-cart', (node) => {
      const input = node.shadowRoot.activeElement;
      return input && input.getAttribute('part') === 'link' ? input.value.slice(input.selectionStart, input.selectionEnd) : null;
    });
    assert.equal(selected, link, 'the whole link is selected, ready to copy by hand');
    assert.deepEqual(await events(page, 'share'), [{ method: 'copy', copied: false }]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an evil title in a shared summary stays text', async () => {
  const { context, page } = await visit(shared.shop.url('en', 'shop', '?cartkeep=evil:1'));
  try {
    const href = await page.locator('cartkeep-share-cart >> [part=whatsapp]').getAttribute('href');
    assert.ok(decodeURIComponent(href.split('text=')[1]).includes(EVIL_TITLE));
    assert.equal(await page.evaluate(() => window.__xss), undefined);
  } finally {
    await context.close();
  }
});
