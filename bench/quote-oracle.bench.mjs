// The money oracle as a soak: the quote oracle test (tests/js/quote/quote-oracle.test.mjs) over 102,000 random
// carts per rounding profile (816,000 in all) against dinero.js; the test run checks 24,000 per profile.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const test = fileURLToPath(new URL('../tests/js/quote/quote-oracle.test.mjs', import.meta.url));
const started = Date.now();
const run = spawnSync(process.execPath, ['--test', test], {
  stdio: 'inherit', env: { ...process.env, CARTKEEP_ORACLE_CARTS: process.env.CARTKEEP_ORACLE_CARTS || '102000' },
});
console.log(`quote oracle soak: ${run.status === 0 ? 'no mismatch' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exitCode = run.status ?? 1;
