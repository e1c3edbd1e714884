// `npm run bench`: runs every bench/*.bench.mjs in turn (each prints its own details), then prints one table of
// every recorded figure beside its peer from the same run, and writes bench/report.json. Not a timed test.
// `node bench/run.mjs quote suggest` runs only the benches whose file names start with those words.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const rowsFile = join(tmpdir(), `cartkeep-bench-${process.pid}.jsonl`);
const failures = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.mjs')).sort()) {
  if (only.length && !only.some((name) => file.startsWith(name))) continue;
  console.log(`\n== ${file}`);
  const run = spawnSync(process.execPath, [`${dir}${file}`], { stdio: 'inherit', env: { ...process.env, CARTKEEP_BENCH_REPORT: rowsFile } });
  if (run.status !== 0) failures.push(file);
}

const lines = existsSync(rowsFile) ? readFileSync(rowsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
const rows = lines.filter((entry) => !entry.section);
const sections = Object.fromEntries(lines.filter((entry) => entry.section).map((entry) => [entry.section, entry.data]));
rmSync(rowsFile, { force: true });
const number = (v) => (v === null || v === undefined ? '' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));
const columns = [
  ['bench', (r) => r.bench], ['figure', (r) => r.figure], ['CartKeep', (r) => `${number(r.value)} ${r.unit}`],
  ['peer (same run)', (r) => (r.peer ? `${r.peer}: ${number(r.peerValue)} ${r.unit}` : '')],
  ['ratio', (r) => (r.ratio ? `${r.ratio.toFixed(2)}x ${r.ratio >= 1 ? 'better' : 'worse'}` : '')], ['target', (r) => r.target || ''],
];
const widths = columns.map(([title, get]) => Math.max(title.length, ...rows.map((r) => String(get(r)).length)));
const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd();
console.log(`\n== report (${rows.length} figures; ratio = how many times CartKeep beats the peer on that figure)`);
console.log(line(columns.map(([title]) => title)));
for (const row of rows) console.log(line(columns.map(([, get]) => get(row))));
const report = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, failures, rows, ...sections };
writeFileSync(`${dir}report.json`, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwrote bench/report.json${failures.length ? `; failed: ${failures.join(', ')}` : ''}`);
process.exit(failures.length ? 1 : 0);
