// Runs every test layer (Catch2 via ctest, the same under ASan/UBSan, libFuzzer for a bounded time,
// node:test against dist/, Chromium e2e) and ends with one line:
// "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2); // e.g. `node scripts/run-tests.mjs native js`
const results = [];

function run(command, args, options = {}) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
}

// With no names every layer runs; `node scripts/run-tests.mjs sanitize fuzz` runs just those.
async function layer(name, fn) {
  if (only.length && !only.includes(name)) return;
  const started = Date.now();
  const outcome = await fn();
  const seconds = Math.round((Date.now() - started) / 1000);
  results.push({ name, seconds, ...outcome });
  console.log(`\n[${name}] ${outcome.passed} passed, ${outcome.failed} failed (${seconds} s)`);
}

// The trees come from CMakePresets.json, so `cmake --preset native` builds exactly what this run builds. Their
// presets compile and test three jobs at a time on the two-core machines: with two, a link or one long
// sanitized test leaves a core idle.
// Configures (every time, so an existing tree takes up changed options) and builds a preset; false when either
// step failed.
function buildPreset(preset) {
  if (run('cmake', ['--preset', preset]).status !== 0) return false;
  return run('cmake', ['--build', '--preset', preset]).status === 0;
}

function ctest(preset, extra = []) {
  const result = spawnSync('ctest', ['--preset', preset, ...extra], { cwd: root, encoding: 'utf8' });
  process.stdout.write(result.stdout.split('\n').filter((line) => !/Test +#\d+: .* Passed/.test(line)).join('\n'));
  process.stderr.write(result.stderr);
  const match = result.stdout.match(/(\d+)% tests passed, (\d+) tests failed out of (\d+)/);
  if (!match) return { passed: 0, failed: 1 };
  const failed = Number(match[2]);
  return { passed: Number(match[3]) - failed, failed };
}

// "native" (CMakePresets.json): both test trees are unity builds, up to thirty sources compiled as one (two
// compiles per target, one per core), so nlohmann/json's and Catch2's templates are instantiated about twice
// per target instead of once per file; every
// source must therefore keep its file-local names distinct from the other files' ones. The core at -O1
// without debug info (half the compile time of -O2 -g, and no NDEBUG, so nlohmann/json's own assertions stay
// on); the test code at -O0. No native test measures speed; the benchmarks build their own Release tree.
await layer('native', () => {
  if (!buildPreset('native')) return { passed: 0, failed: 1 };
  return ctest('native');
});

// "sanitize": one clang tree with AddressSanitizer and UndefinedBehaviorSanitizer (and libFuzzer coverage)
// serves both the sanitized Catch2 run and the fuzzers, so the core is compiled once for them. The core and
// the fuzz targets at -O1 (the fuzzers' speed); the test code at -O0, without coverage instrumentation and
// under UBSan only, which makes clang several times faster on it: ASan still watches every access the core
// makes and every heap block, the tests' own included. -gline-tables-only keeps file:line in every report.
// The offline tool's quality checks over whole logs (the real log's two passes, the synthetic click logs'
// next-event evaluations: about three minutes under ASan) run in the native layer only: the same code runs
// sanitized on the fixture logs.
const sanitizedDir = `${root}build/sanitize`;
let sanitizedBuilt = null;
function buildSanitized() {
  if (sanitizedBuilt === null) sanitizedBuilt = buildPreset('sanitize');
  return sanitizedBuilt;
}

await layer('sanitize', () => {
  if (!buildSanitized()) return { passed: 0, failed: 1 };
  return ctest('sanitize', ['--exclude-regex', 'Online Retail|next event on the synthetic click log']);
});

// Runs a command with its output held back, so commands that run side by side do not interleave; resolves to
// { status, output }.
function runQuietly(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (error) => resolve({ status: -1, output: String(error) }));
    child.on('close', (status) => resolve({ status, output: Buffer.concat(chunks).toString() }));
  });
}

// Every libFuzzer target for a bounded time from its committed corpus (fuzz/corpus/<target>/). A fuzzer uses
// one core, so the targets run one per core at a time; each prints its output when it ends (all of it when it
// failed, its final stats when it passed).
await layer('fuzz', async () => {
  if (!buildSanitized()) return { passed: 0, failed: 1 };
  const seconds = Number(process.env.CARTKEEP_FUZZ_SECONDS || 6);
  const queue = readdirSync(`${root}fuzz`).filter((f) => /^fuzz_.*\.cpp$/.test(f)).map((f) => f.slice(0, -4));
  let passed = 0;
  let failed = 0;
  async function fuzzNext() {
    for (let target = queue.shift(); target; target = queue.shift()) {
      const scratch = mkdtempSync(join(tmpdir(), `${target}-`));
      const seeds = `${root}fuzz/corpus/${target.replace(/^fuzz_/, '')}`;
      const args = [`-max_total_time=${seconds}`, '-timeout=10', '-rss_limit_mb=2048',
        `-artifact_prefix=${sanitizedDir}/${target}-`, '-print_final_stats=1', scratch, ...(existsSync(seeds) ? [seeds] : [])];
      const { status, output } = await runQuietly(`${sanitizedDir}/fuzz/${target}`, args);
      rmSync(scratch, { recursive: true, force: true });
      console.log(`\n$ ${sanitizedDir}/fuzz/${target} ${args.join(' ')}`);
      console.log(status === 0 ? output.split('\n').filter((line) => /^(stat::|Done |INFO: fuzzed for)/.test(line)).join('\n') : output);
      if (status === 0) passed += 1;
      else failed += 1;
    }
  }
  await Promise.all(Array.from({ length: cpus().length }, fuzzNext));
  return { passed, failed };
});

// files: the test files to run, all of dir's by default; env: added to the environment; concurrency: files
// run at once.
function nodeTests(name, dir, { files, env, concurrency = 1 } = {}) {
  // One folder per feature (tests/js/quote/, ...); helpers/ holds no *.test.mjs.
  files ||= readdirSync(`${root}${dir}`, { recursive: true }).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => `${dir}/${f}`);
  if (!files.length) return { passed: 0, failed: 0 };
  mkdirSync(`${root}build`, { recursive: true });
  const tap = `${root}build/${name}-results.tap`;
  const status = run(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files], { env: { ...process.env, ...env } }).status;
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (key) => Number((text.match(new RegExp(`^# ${key} (\\d+)`, 'm')) || [0, 0])[1]);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  return { passed, failed: failed || (status !== 0 ? 1 : 0) };
}

// The main API suites run a second time with the engine behind the worker protocol (tests/js/helpers/
// worker-engine.mjs), as a browser runs it; the rest speak to the core or the page directly and run once.
// Each file runs in one Node process on one core and shares nothing with the others (servers on free ports,
// no files written), so the files run one per core. The browser tests stay one file at a time: Chromium
// already keeps both cores busy, and two files at once took longer than one after the other.
const THROUGH_WORKER = ['store/cart-api', 'quote/quote', 'events/events', 'persistence/persistence', 'behaviour/behaviour']
  .map((name) => `tests/js/${name}.test.mjs`);
await layer('js', () => {
  const concurrency = cpus().length;
  const inThread = nodeTests('js', 'tests/js', { concurrency });
  const throughWorker = nodeTests('js-worker', 'tests/js', { files: THROUGH_WORKER, env: { CARTKEEP_ENGINE: 'worker' }, concurrency });
  return { passed: inThread.passed + throughWorker.passed, failed: inThread.failed + throughWorker.failed };
});
await layer('e2e', () => nodeTests('e2e', 'tests/e2e'));

const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
console.log('');
for (const r of results) console.log(`  ${r.name.padEnd(7)} ${r.passed} passed, ${r.failed} failed  ${r.seconds} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
