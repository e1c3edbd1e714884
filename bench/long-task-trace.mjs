// Long tasks from a Chromium trace, each with the part of it spent in CartKeep: script run from cartkeep.js
// (which includes the wasm it calls and compiles) and the wasm compile and instantiate steps the browser runs for it.
// PerformanceObserver counts every long task; this says which ones are CartKeep's work and which the page's own.
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm'];

const OURS = /^(wasm\.|v8\.wasm\.)/;
const CARTKEEP_SCRIPT = /\/cartkeep\.js(\?|$)/;

// The page's main-thread events, and among them CartKeep's (time order, the outer one first).
function mainThread(traceJson, script) {
  const { traceEvents } = JSON.parse(traceJson);
  const threadNames = new Map(traceEvents.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  const url = (e) => (e.args && e.args.data && e.args.data.url) || '';
  const pages = new Set(traceEvents.filter((e) => (e.name === 'EvaluateScript' || e.name === 'FunctionCall') && script.test(url(e))).map((e) => e.pid));
  const main = traceEvents.filter((e) => e.ph === 'X' && pages.has(e.pid) && threadNames.get(`${e.pid}:${e.tid}`) === 'CrRendererMain');
  const counted = main.filter((e) => ((e.name === 'FunctionCall' || e.name === 'EvaluateScript') && script.test(url(e))) || OURS.test(e.name))
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  return { main, counted };
}

// Microseconds of `counted` inside [from, to] on thread `tid`; an event inside one already counted is not counted twice.
function coveredTime(counted, { tid, from = -Infinity, to = Infinity }) {
  let ours = 0;
  let coveredUntil = -Infinity;
  for (const e of counted) {
    if ((tid !== undefined && e.tid !== tid) || e.ts < from || e.ts + e.dur > to || e.ts + e.dur <= coveredUntil) continue;
    ours += e.dur;
    coveredUntil = e.ts + e.dur;
  }
  return ours;
}

export function longTasks(traceJson, { script = CARTKEEP_SCRIPT, overMs = 50 } = {}) {
  const { main, counted } = mainThread(traceJson, script);
  return main.filter((e) => e.name === 'RunTask' && e.dur > overMs * 1000).map((task) => (
    { ms: task.dur / 1000, cartkeepMs: coveredTime(counted, { tid: task.tid, from: task.ts, to: task.ts + task.dur }) / 1000 }));
}

// CartKeep's main-thread time over the whole trace, in milliseconds: its handlers, the tasks they leave for
// later, and the engine's answers the page carries out.
export function cartkeepTime(traceJson, { script = CARTKEEP_SCRIPT } = {}) {
  const { counted } = mainThread(traceJson, script);
  return coveredTime(counted, {}) / 1000;
}
