// Long tasks from a Chromium trace, each with the part of it spent in CartKeep: script run from cartkeep.js
// (which includes the wasm it calls and compiles) and the wasm compile and instantiate steps the browser runs for it.
// PerformanceObserver counts every long task; this says which ones are CartKeep's work and which the page's own.
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.wasm'];

const OURS = /^(wasm\.|v8\.wasm\.)/;

export function longTasks(traceJson, { script = /\/cartkeep\.js(\?|$)/, overMs = 50 } = {}) {
  const { traceEvents } = JSON.parse(traceJson);
  const threadNames = new Map(traceEvents.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  const url = (e) => (e.args && e.args.data && e.args.data.url) || '';
  const pages = new Set(traceEvents.filter((e) => e.name === 'EvaluateScript' && script.test(url(e))).map((e) => e.pid));
  const main = traceEvents.filter((e) => e.ph === 'X' && pages.has(e.pid) && threadNames.get(`${e.pid}:${e.tid}`) === 'CrRendererMain');
  const counted = main.filter((e) => ((e.name === 'FunctionCall' || e.name === 'EvaluateScript') && script.test(url(e))) || OURS.test(e.name))
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  return main.filter((e) => e.name === 'RunTask' && e.dur > overMs * 1000).map((task) => {
    let ours = 0;
    let coveredUntil = -Infinity; // an event inside one already counted is not counted twice
    for (const e of counted) {
      if (e.tid !== task.tid || e.ts < task.ts || e.ts + e.dur > task.ts + task.dur || e.ts + e.dur <= coveredUntil) continue;
      ours += e.dur;
      coveredUntil = e.ts + e.dur;
    }
    return { ms: task.dur / 1000, cartkeepMs: ours / 1000 };
  });
}
