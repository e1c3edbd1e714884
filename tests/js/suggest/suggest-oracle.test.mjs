// The core's "picked for you" against an independent plain JS implementation of the documented scoring
// (bench/suggest-reference.mjs, also the benchmark's baseline): the demo catalog with its real index, and with
// the index that adds viewed-next rules (each customer's invoices in time: the direct rule, the second step and
// the sibling step), many seeded sessions of viewed products; the same products in the same order, the same
// scores (to the last bits of the time decay) and the same reasons.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ReferenceModel } from '../../../bench/suggest-reference.mjs';
import { CartKeep, wasmBinary } from '../helpers/cartkeep.mjs';

const demo = new URL('../../../demo/', import.meta.url);
const catalog = JSON.parse(readFileSync(new URL('data/catalog.json', demo), 'utf8'));
const indexes = {
  'bought together': new Uint8Array(readFileSync(new URL('data/suggest-index.bin', demo))),
  'bought together and viewed next': new Uint8Array(readFileSync(new URL('../tests/fixtures/suggest/demo-sequence-index.bin', demo))),
};

// xorshift32: the same sessions every run.
function random(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

for (const [kind, indexBytes] of Object.entries(indexes)) test(`picked for you, index of ${kind}: the core and the reference implementation agree on 60 seeded sessions`, async () => {
  const now = Date.UTC(2026, 0, 15, 12);
  let compared = 0;
  for (let seed = 1; seed <= 60; seed += 1) {
    const next = random(seed * 2654435761);
    const count = 1 + Math.floor(next() * 12);
    const views = [];
    for (let i = 0; i < count; i += 1) {
      const product = catalog[Math.floor(next() * catalog.length)];
      // Spread over five days (decay), dwell from a glance to a long look (the factor saturates at 30 s).
      views.push({ productId: product.id, at: now - Math.floor(next() * 5 * 86400000), dwellMs: Math.floor(next() * 45000) });
    }
    views.sort((a, b) => a.at - b.at);
    const shop = await CartKeep.init({ currency: 'GBP', locale: 'en-GB', catalog, wasmBinary, suggestions: { rememberProfile: false } });
    await shop.suggest.loadIndex(indexBytes);
    for (const v of views) await shop.suggest.view(v.productId, { at: v.at, dwellMs: v.dwellMs });
    // The profile merges a quick return to the same product into one view: give the reference what was stored.
    const stored = (await shop.suggest.profile()).views.map(([productId, at, dwellMs]) => ({ productId, at, dwellMs }));
    const o = shop.options.suggestions;
    const model = new ReferenceModel(catalog, indexBytes, {
      neighbours: o.weights.neighbours, viewedTogether: o.weights.viewedTogether, viewedNext: o.weights.viewedNext,
      content: o.weights.content,
      popularity: o.weights.popularity, diversity: o.diversity, viewHalfLifeMs: o.viewHalfLifeHours * 3600000 });
    const limit = 1 + (seed % 12);
    const core = (await shop.suggest({ placement: 'picked-for-you', limit, now })).items;
    const reference = model.pickedForYou(stored, now, limit, shop.options.strings);
    const context = `session ${seed}: ${JSON.stringify(stored)}`;
    assert.deepEqual(core.map((i) => [i.productId, i.reason.code, i.reason.text, i.price]),
      reference.map((i) => [i.productId, i.reason.code, i.reason.text, i.price]), context);
    // Time decay is 2^x: libm's exp2 in the wasm and V8's ** may differ in the last bit, nothing more.
    core.forEach((item, i) => assert.ok(Math.abs(item.score - reference[i].score) <= 1e-12 * item.score,
      `${context}: ${item.productId} scored ${item.score} vs ${reference[i].score}`));
    assert.equal(core.length, limit);
    compared += core.length;
    shop.destroy();
  }
  assert.ok(compared > 300);
});
