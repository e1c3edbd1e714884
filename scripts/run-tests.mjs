// Runs every test layer (Catch2 via ctest, node:test against dist/, Chromium e2e) and ends with one line:
// "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2); // e.g. `node scripts/run-tests.mjs native js`
const results = [];

function run(command, args, options = {}) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
}

function layer(name, fn) {
  if (only.length && !only.includes(name)) return;
  const outcome = fn();
  results.push({ name, ...outcome });
  console.log(`\n[${name}] ${outcome.passed} passed, ${outcome.failed} failed`);
}

layer('native', () => {
  const dir = `${root}build/native`;
  const configure = existsSync(`${dir}/CMakeCache.txt`) ? { status: 0 } : run('cmake', ['-S', '.', '-B', dir, '-DCMAKE_BUILD_TYPE=RelWithDebInfo']);
  if (configure.status !== 0) return { passed: 0, failed: 1 };
  if (run('cmake', ['--build', dir, '-j2']).status !== 0) return { passed: 0, failed: 1 };
  const ctest = spawnSync('ctest', ['--test-dir', dir, '--output-on-failure', '-j2'], { cwd: root, encoding: 'utf8' });
  process.stdout.write(ctest.stdout.split('\n').filter((line) => !/Test +#\d+: .* Passed/.test(line)).join('\n'));
  process.stderr.write(ctest.stderr);
  const match = ctest.stdout.match(/(\d+)% tests passed, (\d+) tests failed out of (\d+)/);
  if (!match) return { passed: 0, failed: 1 };
  const failed = Number(match[2]);
  return { passed: Number(match[3]) - failed, failed };
});

function nodeTests(name, dir) {
  const files = readdirSync(`${root}${dir}`).filter((f) => f.endsWith('.test.mjs')).map((f) => `${dir}/${f}`);
  if (!files.length) return { passed: 0, failed: 0 };
  mkdirSync(`${root}build`, { recursive: true });
  const tap = `${root}build/${name}-results.tap`;
  const status = run(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files]).status;
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (key) => Number((text.match(new RegExp(`^# ${key} (\\d+)`, 'm')) || [0, 0])[1]);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  return { passed, failed: failed || (status !== 0 ? 1 : 0) };
}

layer('js', () => nodeTests('js', 'tests/js'));
layer('e2e', () => nodeTests('e2e', 'tests/e2e'));

const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
console.log('');
for (const r of results) console.log(`  ${r.name.padEnd(7)} ${r.passed} passed, ${r.failed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
