// Shared by every bench/*.bench.mjs: `record()` adds one figure (with the peer measured in the same run) to the
// report that bench/run.mjs prints as one table and writes to bench/report.json. Run alone, a bench just prints.
import { appendFileSync } from 'node:fs';

// figure: what was measured; value/unit: CartKeep's result; peer/peerValue: the baseline from the same run;
// better: 'lower' or 'higher' (so the ratio reads "how many times better"); target: the goal as text, if any.
export function record({ bench, figure, value, unit, peer = null, peerValue = null, better = 'lower', target = null }) {
  const ratio = peerValue && value ? (better === 'lower' ? peerValue / value : value / peerValue) : null;
  const row = { bench, figure, value, unit, peer, peerValue, better, ratio, target };
  if (process.env.CARTKEEP_BENCH_REPORT) appendFileSync(process.env.CARTKEEP_BENCH_REPORT, `${JSON.stringify(row)}\n`);
  return row;
}

// A bench's detailed figures (per page, per run), written to bench/report.json under `name` beside the rows.
export function recordSection(name, data) {
  if (process.env.CARTKEEP_BENCH_REPORT) appendFileSync(process.env.CARTKEEP_BENCH_REPORT, `${JSON.stringify({ section: name, data })}\n`);
}
