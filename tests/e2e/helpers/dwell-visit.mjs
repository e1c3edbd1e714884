// A scripted visit with known active, idle and hidden periods, replayed on the detector page (virtual clock,
// real pointer input) with CartKeep and timeme.js on the same page; shared by the behaviour e2e test and
// bench/dwell.bench.mjs. CartKeep and timeme.js use the same 30 s idle threshold.
import { catalog, openHarness } from './detector-page.mjs';
import { installReplayActions, installVirtualClock, TraceReplayer } from './trace-replay.mjs';

export const IDLE_AFTER_MS = 30000;

// The error bound the product promises: max(250 ms, 1% of the period).
export const dwellBound = (ms) => Math.max(250, ms * 0.01);

// Steps of a visit, each [kind, ms]; the truth each adds to:
//   active:  a pointer move every 100 ms                                     -> active
//   still:   reading without moving, shorter than the idle threshold          -> active
//   idle:    nothing at all for longer than the idle threshold                -> idle
//   blurred: the window loses focus (another application) and gets it back   -> idle
//   hidden:  a tab switch (visibility hidden, then visible)                   -> hidden
//   bfcache: back to the previous page, forward again (pagehide/pageshow
//            persisted; the document is kept)                                 -> hidden
// Every step except `active` should be followed by `active`, which ends it with a move.
const TRUTH = { active: 'active', still: 'active', idle: 'idle', blurred: 'idle', hidden: 'hidden', bfcache: 'hidden' };

export async function measureDwellVisit(browser, origin, steps) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const { page, problems } = await openHarness(context, {
      currency: 'GBP', catalog, nudges: { enabled: false }, behaviour: { idleAfterMs: IDLE_AFTER_MS },
    });
    await page.addInitScript(installVirtualClock, { frozen: true });
    await page.addInitScript(installReplayActions);
    await page.goto(`${origin}/demo/__test/dwell.html`);
    await page.waitForFunction(() => window.CartKeep && window.__clock);
    await page.evaluate(async () => { await CartKeep.ready; return true; });
    const replayer = new TraceReplayer(page, await context.newCDPSession(page), { touch: false });
    await replayer.start({ viewport: { width: 1280, height: 800 }, events: [] }, 0);
    const t0 = replayer.at(0);
    let t = 0;
    const truth = { active: 0, idle: 0, hidden: 0 };
    const around = { blurred: ['blur', 'focus'], hidden: ['visibility', 'visibility'], bfcache: ['bfcache', 'bfcache'] };
    const argument = { hidden: ['hidden', 'visible'], bfcache: ['leave', 'return'], blurred: [undefined, undefined] };
    for (const [kind, ms] of steps) {
      if (!TRUTH[kind]) throw new Error(`unknown dwell step ${kind}`);
      if (kind === 'active') {
        for (let step = 0; step < ms; step += 100) await replayer.dispatch([t + step, 'move', 300 + (step % 700), 200 + ((step / 7) % 400)]);
        await replayer.dispatch([t + ms, 'move', 310, 210]);
      } else if (around[kind]) {
        await replayer.dispatch([t, around[kind][0], argument[kind][0]]);
        await replayer.dispatch([t + ms, around[kind][1], argument[kind][1]]);
      }
      t += ms;
      truth[TRUTH[kind]] += ms;
    }
    const measured = await page.evaluate(async ([end, start]) => {
      window.__clock.advanceTo(end);
      const instance = await CartKeep.ready;
      const { activeMs, idleMs, hiddenMs } = (await instance.behaviour.dwell()).total;
      return { cartkeep: { active: activeMs, idle: idleMs, hidden: hiddenMs }, timeme: TimeMe.getTimeOnCurrentPageInSeconds() * 1000, elapsed: performance.now() - start };
    }, [replayer.at(t), t0]);
    const error = {
      active: measured.cartkeep.active - truth.active,
      idle: measured.cartkeep.idle - truth.idle,
      hidden: measured.cartkeep.hidden - truth.hidden,
      timeme: measured.timeme - truth.active,
    };
    return { truth, total: t, elapsed: measured.elapsed, cartkeep: measured.cartkeep, timeme: measured.timeme, error, problems };
  } finally {
    await context.close();
  }
}
