// Desktop exit intent on the generated corpus (tests/fixtures/traces/exit-corpus.mjs) in real Chromium:
// CartKeep, ouibounce and exit-intent on the same page, a fresh page per trace. A few traces per category
// here; `npm run bench exit-corpus` runs 40 per category over two seeds.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exitCorpus } from '../../fixtures/traces/exit-corpus.mjs';
import { launchBrowser, startDemo } from '../helpers/browser.mjs';
import { detectorTargetFailures, formatDetectorTable, runDetectorCorpus } from '../helpers/detector-page.mjs';

let demo;
before(async () => { demo = await startDemo(); });
after(async () => { await demo?.close(); });

test('exit corpus by category: recall >= 99%, false positives <= 1%, ouibounce better nowhere', { timeout: 600000 }, async () => {
  const traces = exitCorpus({ perCategory: Number(process.env.CARTKEEP_EXIT_PER_CATEGORY) || 2, seed: 7 });
  const { table, problems } = await runDetectorCorpus(traces, { origin: demo.origin, launch: launchBrowser, pages: 4 });
  console.log(`\n${formatDetectorTable(table)}`);
  assert.deepEqual(problems, []);
  assert.deepEqual(detectorTargetFailures(table), []);
});
