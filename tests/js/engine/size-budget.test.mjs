// What a shopper downloads: the script-tag build plus the wasm, gzip -9. Prints the figures against the issue's
// goal (under 60 KB) and budget (100 KB), and fails on a regression past the ceiling in scripts/size-budget.json.
// The ceiling is where the build stands today, not the 100 KB budget, which the core does not meet yet
// (see docs/size.md for where the bytes go and what it would take).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const dist = new URL('../../../dist/', import.meta.url);
const budget = JSON.parse(readFileSync(new URL('../../../scripts/size-budget.json', import.meta.url), 'utf8'));
const gzip = (name) => gzipSync(readFileSync(new URL(name, dist)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

test('dist size: script + wasm, gzip, within the regression ceiling; figures against the goal and the budget', () => {
  const script = gzip('cartkeep.js');
  const wasm = gzip('cartkeep.wasm');
  const total = script + wasm;
  console.log(`gzip: cartkeep.js ${kb(script)} + cartkeep.wasm ${kb(wasm)} = ${kb(total)}; ` +
    `goal ${kb(budget.goalBytes)}, budget ${kb(budget.budgetBytes)} (${total <= budget.budgetBytes ? 'met' : 'NOT met'}), ` +
    `regression ceiling ${kb(budget.ceilingBytes)}`);
  assert.ok(total <= budget.ceilingBytes, `dist grew to ${kb(total)}, past the ceiling ${kb(budget.ceilingBytes)}`);
  assert.ok(script <= budget.scriptCeilingBytes, `cartkeep.js grew to ${kb(script)}, past ${kb(budget.scriptCeilingBytes)}`);
});
