// Desktop exit intent on the full generated corpus (tests/fixtures/traces/exit-corpus.mjs): 20 traces per
// category and seed, two seeds, a fresh Chromium page per trace with CartKeep, ouibounce and exit-intent on
// the same page. Prints the per-category table and the decision latency table (docs/behaviour.md), and
// records recall and false positives per category and the median decision latency beside ouibounce. `node bench/exit-corpus.bench.mjs` (needs dist/: `bash scripts/build.sh`).
// CARTKEEP_EXIT_PER_CATEGORY and CARTKEEP_E2E_PAGES override the size and the browsers side by side.
import { exitCorpus } from '../tests/fixtures/traces/exit-corpus.mjs';
import { launchBrowser, startDemo } from '../tests/e2e/helpers/browser.mjs';
import { detectorTargetFailures, formatDetectorTable, formatLatencyTable, runDetectorCorpus } from '../tests/e2e/helpers/detector-page.mjs';
import { record } from './report.mjs';

const perCategory = Number(process.env.CARTKEEP_EXIT_PER_CATEGORY) || 20;
const traces = [1, 2].flatMap((seed) => exitCorpus({ perCategory, seed }));
const demo = await startDemo();
const started = Date.now();
try {
  const { table, problems } = await runDetectorCorpus(traces, { origin: demo.origin, launch: launchBrowser, pages: Number(process.env.CARTKEEP_E2E_PAGES) || 4 });
  console.log(`exit corpus: ${traces.length} traces, seeds 1 and 2, ${((Date.now() - started) / 1000).toFixed(0)} s\n${formatDetectorTable(table)}`);
  console.log(`\ndecision latency after the pointer leaves (negative: decided before it left)\n${formatLatencyTable(table)}`);
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? null;
  const exits = Object.values(table).filter((row) => row.label === 'exit');
  record({
    bench: 'exit-corpus', figure: 'median decision latency after the leave', value: median(exits.flatMap((row) => row.latency.cartkeep)), unit: 'ms',
    peer: 'ouibounce', peerValue: median(exits.flatMap((row) => row.latency.ouibounce)), better: 'lower',
  });
  for (const [category, row] of Object.entries(table)) {
    const exit = row.label === 'exit';
    record({
      bench: 'exit-corpus', figure: `${category} ${exit ? 'recall' : 'false positives'}`, value: (100 * row.cartkeep) / row.n, unit: '%',
      peer: 'ouibounce', peerValue: (100 * row.ouibounce) / row.n, better: exit ? 'higher' : 'lower', target: exit ? '>= 99%' : '<= 1%',
    });
  }
  const failures = [...detectorTargetFailures(table), ...problems];
  if (failures.length) {
    console.log(`targets missed:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
} finally {
  await demo.close();
}
