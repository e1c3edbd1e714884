// The demo catalog is generated from the real UCI Online Retail log: regenerating it must give the
// committed demo/data/catalog.json byte for byte, with real names and real prices.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  DEFAULT_DATASET, buildCatalog, parsePence, readDataset, serializeCatalog, titleCase,
} from '../../../tools/demo-catalog/build-catalog.mjs';

const committedPath = new URL('../../../demo/data/catalog.json', import.meta.url);
const committedText = readFileSync(committedPath, 'utf8');
const committed = JSON.parse(committedText);
const haveDataset = existsSync(DEFAULT_DATASET);
const skip = haveDataset ? false : `dataset not found at ${DEFAULT_DATASET}; skipping the regeneration checks`;

let generated = null;
const generate = () => {
  if (!generated) generated = buildCatalog(readDataset(DEFAULT_DATASET));
  return generated;
};

test('prices are parsed as exact decimal strings', () => {
  assert.equal(parsePence('2.95'), 295);
  assert.equal(parsePence('2.1'), 210);
  assert.equal(parsePence('12'), 1200);
  assert.equal(parsePence('0.29'), 29);
  assert.equal(parsePence('1.150'), 115);
  assert.equal(parsePence('0.001'), null); // not a whole number of pence
  assert.equal(parsePence('-1'), null);
  assert.equal(parsePence('abc'), null);
});

test('descriptions become readable titles', () => {
  assert.equal(titleCase('WHITE HANGING HEART T-LIGHT HOLDER'), 'White Hanging Heart T-Light Holder');
  assert.equal(titleCase('REGENCY CAKESTAND 3 TIER'), 'Regency Cake Stand 3 Tier');
  assert.equal(titleCase('WOOD S/3 CABINET ANT WHITE FINISH'), 'Wood S/3 Cabinet Antique White Finish');
  assert.equal(titleCase("PAPER CHAIN KIT 50'S CHRISTMAS "), "Paper Chain Kit 50's Christmas");
  assert.equal(titleCase('LUNCH BAG  BLACK SKULL.'), 'Lunch Bag Black Skull');
  assert.equal(titleCase('SET 3 RETROSPOT TEA,COFFEE,SUGAR'), 'Set 3 Retrospot Tea, Coffee, Sugar');
});

test('the committed catalog is well formed', () => {
  assert.ok(Array.isArray(committed));
  assert.ok(committed.length >= 200, `only ${committed.length} products`);
  const ids = new Set();
  for (const [i, p] of committed.entries()) {
    const at = `catalog[${i}] (${p.id})`;
    assert.equal(typeof p.id, 'string', at);
    assert.match(p.id, /^\d{5}[A-Z]*$/, at);
    assert.ok(!ids.has(p.id), `${at}: duplicate id`);
    ids.add(p.id);
    assert.ok(Number.isSafeInteger(p.price) && p.price > 0, `${at}: price ${p.price}`);
    assert.equal(p.currency, 'GBP', at);
    assert.ok(p.title.length > 0 && p.title !== p.title.toUpperCase(), `${at}: title ${p.title}`);
    assert.ok(Array.isArray(p.tags) && p.tags.every((tag) => typeof tag === 'string'), at);
    assert.ok(Number.isSafeInteger(p.weight) && p.weight > 0, `${at}: weight`);
    assert.ok(Number.isSafeInteger(p.stock) && p.stock >= 0, `${at}: stock`);
    assert.equal(p.url, `product.html?id=${encodeURIComponent(p.id)}`, at);
    assert.match(p.image, /^images\/[a-z-]+\.svg$/, at);
    assert.ok(existsSync(new URL(`../../../demo/${p.image}`, import.meta.url)), `${at}: missing ${p.image}`);
  }
  assert.ok(committed.some((p) => p.stock === 0), 'at least one sold-out product');
  assert.ok(committed.filter((p) => p.stock > 20).length > committed.length * 0.9, 'most products are in stock');
});

test('regenerating from the real dataset gives the committed file byte for byte', { skip }, () => {
  assert.equal(serializeCatalog(generate()), committedText);
});

test('known products have their real names and most common UK prices', { skip }, () => {
  const byId = new Map(generate().map((p) => [p.id, p]));
  // Checked against the raw log: the most frequent UnitPrice of UK, non-cancelled, Quantity>0 lines.
  const expected = [
    ['85123A', 'White Hanging Heart T-Light Holder', 295, 'Candles & Lights'],
    ['22423', 'Regency Cake Stand 3 Tier', 1275, 'Kitchen & Dining'],
    ['47566', 'Party Bunting', 495, 'Party'],
    ['85099B', 'Jumbo Bag Red Retrospot', 208, 'Bags'],
    ['84879', 'Assorted Colour Bird Ornament', 169, 'Home Decor'],
    ['20725', 'Lunch Bag Red Retrospot', 165, 'Bags'],
    ['22086', "Paper Chain Kit 50's Christmas", 295, 'Christmas'],
  ];
  for (const [id, title, price, category] of expected) {
    const product = byId.get(id);
    assert.ok(product, `${id} is in the catalog`);
    assert.deepEqual({ title: product.title, price: product.price, category: product.category }, { title, price, category }, id);
  }
  // the best seller comes first, and nothing that is not a product (POST, DOT, M, gift vouchers) got in
  assert.equal(generate()[0].id, '85123A');
  assert.ok(!byId.has('POST') && !byId.has('DOT') && !byId.has('M'));
});
