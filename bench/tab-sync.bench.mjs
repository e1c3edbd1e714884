// Two tabs editing one cart, soaked: the e2e test's randomized interleavings (tests/e2e/persistence/
// persistence-tabs.test.mjs, 80 rounds in `npm test`) run for 220 rounds over the same seed in real Chromium.
// Needs dist/ (`bash scripts/build.sh`). Passes when both tabs end identical with nothing lost in every round.
import { spawnSync } from 'node:child_process';

const test = new URL('../tests/e2e/persistence/persistence-tabs.test.mjs', import.meta.url).pathname;
const started = Date.now();
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-name-pattern', 'randomized interleavings', test], {
  stdio: 'inherit', env: { ...process.env, CARTKEEP_TABS_ROUNDS: process.env.CARTKEEP_TABS_ROUNDS || '220' },
});
console.log(`tab sync soak: ${process.env.CARTKEEP_TABS_ROUNDS || 220} rounds in ${((Date.now() - started) / 1000).toFixed(0)} s, ${result.status === 0 ? 'passed' : 'FAILED'}`);
process.exitCode = result.status ?? 1;
