// Decimal numbers in the options read to the same double JavaScript reads (the wasm reads number text with
// its own strtod stand-in, wasm/bindings/libc_wraps.cpp): every value comes back unchanged in the normalised
// options, including the hard cases of decimal-to-binary rounding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initStore } from '../helpers/cartkeep.mjs';

test('decimal option values round-trip exactly, from tenths to subnormals and 17-digit fractions', async () => {
  const values = [0.1, 0.25, 1 / 3, 0.49999999999999994, 0.3000000000000001, 1e-7, 1.5e-300, 2.2250738585072014e-308,
    5e-324, 4.9406564584124654e-320, 0.1 + 0.2 - 0.3];
  for (const holdout of values) {
    const store = await initStore({ nudges: { holdout } });
    assert.equal(store.options.nudges.holdout, holdout, `holdout ${holdout}`);
    store.destroy();
  }
});

test('a number past the option\'s range is still an error naming its path', async () => {
  await assert.rejects(initStore({ nudges: { holdout: 0.5000000000000001 } }), (error) =>
    error.path === 'options.nudges.holdout');
});
