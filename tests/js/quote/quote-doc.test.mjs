// docs/quote.md's sample quote is a fixture: the numbers the page shows are computed here for the cart it
// describes (a lantern and a mug, WELCOME10, to SW1A 1AA, the UK store of tests/js/helpers/quote-store.mjs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { CartKeep, wasmBinary } from '../helpers/cartkeep.mjs';
import { ukCatalog, ukQuoteOptions } from '../helpers/quote-store.mjs';

const doc = readFileSync(new URL('../../../docs/quote.md', import.meta.url), 'utf8');

// The fenced block under "## The quote".
function sampleBlock() {
  const section = doc.slice(doc.indexOf('## The quote'));
  const match = section.match(/```jsonc\n([\s\S]*?)```/);
  assert.ok(match, 'docs/quote.md has a jsonc block under "## The quote"');
  return match[1];
}

// The integer written after `"key": ` on the block's first line that has it, within `scope` when given.
function shown(block, key, scope = '') {
  const from = scope ? block.indexOf(`"${scope}"`) : 0;
  assert.ok(from >= 0, `the sample shows "${scope}"`);
  const match = block.slice(from).match(new RegExp(`"${key}": (-?\\d+)`));
  assert.ok(match, `the sample shows "${key}"${scope ? ` in "${scope}"` : ''}`);
  return Number(match[1]);
}

test('the sample quote in docs/quote.md is what CartKeep computes for its cart', async () => {
  const store = await CartKeep.init({ currency: 'GBP', locale: 'en-GB', catalog: ukCatalog, wasmBinary, ...ukQuoteOptions() });
  await store.cart.add('lantern', 1);
  await store.cart.add('mug', 1);
  const quote = await store.quote({ destination: { country: 'GB', postcode: 'SW1A 1AA' }, coupon: 'WELCOME10', now: '2024-12-02T11:45' });
  const block = sampleBlock();
  for (const key of ['subtotal', 'discount', 'shipping', 'fees', 'tax', 'taxIncluded', 'total']) {
    assert.equal(shown(block, key), quote[key], key);
  }
  assert.equal(shown(block, 'count'), quote.count);
  const amounts = [...block.slice(block.indexOf('"components"'), block.indexOf('"includedTax"')).matchAll(/"amount": (-?\d+)/g)]
    .map((m) => Number(m[1]));
  assert.deepEqual(amounts, quote.components.map((c) => c.amount), 'component amounts');
  assert.equal(shown(block, 'amount', 'includedTax'), quote.includedTax[0].amount);
  for (const key of ['threshold', 'remaining', 'percent']) {
    assert.equal(shown(block, key, 'freeShipping'), quote.freeShipping[key], `freeShipping.${key}`);
  }
  assert.equal(quote.components.reduce((sum, c) => sum + c.amount, 0), quote.total);
  store.destroy();
});
