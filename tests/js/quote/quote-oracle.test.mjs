// Oracle: CartKeep's quote totals against an independent dinero.js implementation on random carts.
// 8 rounding profiles (half-up, half-even, up, down x line, order), each over 24,000 carts in the test run
// (CARTKEEP_ORACLE_CARTS sets more: `npm run bench` soaks 102,000 per profile) spread across JPY (0 decimals),
// GBP (2) and KWD (3), with tax included and added. Zero mismatches allowed.
import assert from 'node:assert/strict';
import test from 'node:test';

import { prepareStore, quoteWithDinero } from '../helpers/quote-dinero.mjs';
import { CartKeep, wasmBinary } from '../helpers/cartkeep.mjs';
import { seededRandom } from '../../helpers/seeded-random.mjs';

const CARTS_PER_PROFILE = Number(process.env.CARTKEEP_ORACLE_CARTS || 24000);
const BATCH = 3000;
const MODES = ['half-up', 'half-even', 'up', 'down'];
const LEVELS = ['line', 'order'];
const CURRENCIES = ['JPY', 'GBP', 'KWD'];
const STANDARD_RATES = ['20', '19', '8.875', '17.5', '7.7', '25', '21'];
const REDUCED_RATES = ['5', '5.5', '0', '2.1', '12.5', '9'];
const COUPON_RATES = ['10', '12.5', '33.33', '7.25', '15', '2.5'];

const pick = (rand, list) => list[Math.floor(rand() * list.length)];
const int = (rand, min, max) => min + Math.floor(rand() * (max - min + 1));

function makeStore(rand, currency, mode, level, inclusive) {
  const catalog = [];
  for (let i = 0; i < 400; i++) {
    // Prices of every magnitude, up to 1,000,000 minor units, so products stay exact in JS numbers.
    const digits = int(rand, 0, 6);
    catalog.push({
      id: `p${i}`, title: `Product ${i}`, price: int(rand, 0, 10 ** digits), weight: int(rand, 0, 2000),
      category: rand() < 0.4 ? 'A' : 'B', taxCategory: rand() < 0.3 ? 'reduced' : 'standard',
    });
  }
  let reduced = pick(rand, REDUCED_RATES);
  const standard = pick(rand, STANDARD_RATES);
  if (reduced === standard) reduced = '0';
  const scale = { JPY: 1, GBP: 100, KWD: 1000 }[currency];
  return {
    currency, locale: 'en-GB', catalog, wasmBinary,
    rounding: { mode, level },
    tax: { pricesIncludeTax: inclusive, shippingTaxable: rand() < 0.7 },
    shipping: {
      defaultDestination: { country: 'GB' },
      zones: [
        { id: 'home', name: 'Home', countries: ['GB'], tax: { standard, reduced },
          methods: [{ id: 'std', name: 'Standard', rate: { type: 'flat', amount: int(rand, 0, 9 * scale) }, freeAbove: int(rand, 10, 200) * scale }] },
        { id: 'world', name: 'World', countries: ['*'],
          methods: [{ id: 'std', name: 'World', rate: { type: 'flat', amount: int(rand, 0, 30 * scale) } }] },
      ],
    },
    coupons: [
      { code: 'PCT', type: 'percentage', rate: pick(rand, COUPON_RATES), categories: ['A'], stacking: 'combinable' },
      { code: 'FIX', type: 'fixed', amount: int(rand, 1, 50 * scale), stacking: 'combinable' },
      { code: 'SOLO', type: 'percentage', rate: pick(rand, COUPON_RATES), minSubtotal: 20 * scale },
    ],
    fees: [{ id: 'pay', name: 'Card fee', type: 'percentage', rate: pick(rand, ['1.4', '2.9', '0.75']), base: 'order', paymentMethods: ['card'] }],
  };
}

const COUPON_SETS = [[], [], ['PCT'], ['FIX'], ['PCT', 'FIX'], ['FIX', 'PCT'], ['SOLO'], ['SOLO', 'FIX'], ['FIX', 'SOLO']];

function makeRequest(rand, catalogSize) {
  const lines = [];
  const used = new Set();
  const count = int(rand, 1, 8);
  while (lines.length < count) {
    const index = int(rand, 0, catalogSize - 1);
    if (used.has(index)) continue;
    used.add(index);
    lines.push({ productId: `p${index}`, quantity: int(rand, 1, 5) });
  }
  return {
    lines,
    coupons: pick(rand, COUPON_SETS),
    destination: { country: rand() < 0.8 ? 'GB' : 'US' },
    paymentMethod: rand() < 0.5 ? 'card' : 'transfer',
    now: '2024-12-02T10:00',
  };
}

const FIELDS = ['total', 'subtotal', 'discount', 'shipping', 'fees', 'tax', 'taxIncluded'];

for (const mode of MODES) {
  for (const level of LEVELS) {
    test(`oracle: ${mode}/${level} totals match dinero.js on ${CARTS_PER_PROFILE} random carts (JPY, GBP, KWD)`, async () => {
      const rand = seededRandom(MODES.indexOf(mode) * 10 + LEVELS.indexOf(level) + 1);
      const stores = CURRENCIES.flatMap((currency) => [true, false].map((inclusive) => ({ currency, inclusive })));
      const perStore = Math.ceil(CARTS_PER_PROFILE / stores.length);
      let compared = 0;
      const mismatches = [];
      const seenDiscount = { line: 0, order: 0 };
      for (const { currency, inclusive } of stores) {
        const options = makeStore(rand, currency, mode, level, inclusive);
        const instance = await CartKeep.init(options);
        const model = prepareStore(options);
        try {
          for (let done = 0; done < perStore; done += BATCH) {
            const requests = [];
            for (let i = 0; i < Math.min(BATCH, perStore - done); i++) requests.push(makeRequest(rand, options.catalog.length));
            const results = await instance.quote.batch(requests);
            for (let i = 0; i < requests.length; i++) {
              const ours = results[i];
              const theirs = quoteWithDinero(model, requests[i]);
              compared++;
              if (ours[2] > 0) seenDiscount[level]++;
              if (FIELDS.some((_, k) => ours[k] !== theirs[k]) && mismatches.length < 5) {
                mismatches.push({ currency, inclusive, request: requests[i], cartkeep: ours, dinero: theirs });
              }
            }
          }
        } finally {
          instance.destroy();
        }
      }
      assert.ok(compared >= CARTS_PER_PROFILE, `compared ${compared}`);
      assert.ok(seenDiscount[level] > compared / 4, 'the carts exercise discounts');
      assert.deepEqual(mismatches, [], `mismatches (first 5, fields ${FIELDS.join(', ')})`);
    });
  }
}

test('oracle: a single quote agrees with the batch totals', async () => {
  const rand = seededRandom(99);
  const options = makeStore(rand, 'GBP', 'half-even', 'line', true);
  const instance = await CartKeep.init(options);
  try {
    for (let i = 0; i < 200; i++) {
      const request = makeRequest(rand, options.catalog.length);
      const quote = await instance.quote(request);
      const [total, subtotal, discount, shipping, fees, tax, taxIncluded] = (await instance.quote.batch([request]))[0];
      assert.deepEqual([quote.total, quote.subtotal, quote.discount, quote.shipping, quote.fees, quote.tax, quote.taxIncluded],
        [total, subtotal, discount, shipping, fees, tax, taxIncluded]);
      assert.equal(quote.components.reduce((sum, c) => sum + c.amount, 0), quote.total);
    }
  } finally {
    instance.destroy();
  }
});
