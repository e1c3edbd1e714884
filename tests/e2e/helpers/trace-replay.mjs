// Replays a recorded trace ([t, kind, ...] observations) in real Chromium as real input, fast.
//
// Time: an init script replaces the page's clocks (performance.now, Date, setTimeout/setInterval) with a
// virtual clock. It follows real time while the page loads; once the replay starts it only moves forward
// when an input event arrives (to that event's own timeStamp, which the CDP Input command carries, so
// every listener sees the trace's time) or when the harness advances it (scroll, visibility, focus, the
// end of a trace). Timers due on the way run in order at their due time. So a trace with a 120 s tab
// switch replays in a fraction of a second, and every detector on the page sees the same clock.
//
// Input: mouse, keyboard and touch are dispatched with CDP Input commands (trusted events, the browser's
// own mouseout/mouseleave), each awaited, so none is coalesced. Scrolling, visibility and window focus
// are done in the page (headless Chromium keeps every page visible and focused).

// Runs in the page before any other script: page.addInitScript(installVirtualClock, { frozen }). Frozen,
// the clock stands still from the first line (the page's load takes no virtual time); timers already due
// still run, so code that yields with setTimeout(fn, 0) goes on.
export function installVirtualClock({ frozen = false } = {}) {
  const realNow = performance.now.bind(performance);
  const RealDate = Date;
  const nativeSetInterval = setInterval;
  const nativeSetTimeout = setTimeout;
  const wallAtZero = RealDate.now() - realNow();
  const timers = new Map();
  let current = realNow();
  let live = !frozen;
  let nextId = 1;
  let order = 0;
  let running = false;
  function runDue(target) {
    if (running) return; // a timer that causes an input event: the outer run goes on
    running = true;
    for (;;) {
      let due = null;
      for (const timer of timers.values()) {
        if (timer.at <= target && (!due || timer.at < due.at || (timer.at === due.at && timer.order < due.order))) due = timer;
      }
      if (!due) break;
      if (due.at > current) current = due.at;
      if (due.every === null) timers.delete(due.id);
      else { due.at += due.every; due.order = order++; }
      nesting = due.level;
      try {
        if (typeof due.fn === 'function') due.fn(...due.args);
      } catch (error) {
        nativeSetTimeout(() => { throw error; }); // reported as a page error, like a real timer's
      }
      nesting = 0;
    }
    running = false;
    if (target > current) current = target;
  }
  let nesting = 0; // as in HTML: a timer set from a timer callback nested more than 5 deep waits >= 4 ms
  const add = (fn, ms, args, repeat) => {
    let delay = Math.max(0, Number(ms) || 0);
    const level = nesting + 1;
    if (level > 5 && delay < 4) delay = 4;
    const id = nextId++;
    timers.set(id, { id, fn, args, at: current + delay, every: repeat ? Math.max(4, delay) : null, order: order++, level });
    return id;
  };
  window.setTimeout = (fn, ms, ...args) => add(fn, ms, args, false);
  window.setInterval = (fn, ms, ...args) => add(fn, ms, args, true);
  window.clearTimeout = (id) => { timers.delete(id); };
  window.clearInterval = (id) => { timers.delete(id); };
  performance.now = () => {
    if (live) current = Math.max(current, realNow()); // timers run from the pump, never re-entrantly here
    return current;
  };
  class VirtualDate extends RealDate {
    constructor(...args) {
      if (args.length) super(...args);
      else super(wallAtZero + performance.now());
    }

    static now() { return Math.floor(wallAtZero + performance.now()); }
  }
  window.Date = VirtualDate;
  nativeSetInterval(() => runDue(live ? realNow() : current), 4);
  const follow = (event) => { if (!live && event.timeStamp > current) runDue(event.timeStamp); };
  for (const type of ['pointerover', 'pointerenter', 'pointermove', 'pointerdown', 'pointerup', 'pointerout', 'pointerleave',
    'mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup', 'mouseout', 'mouseleave', 'click',
    'keydown', 'keyup', 'keypress', 'touchstart', 'touchmove', 'touchend', 'wheel']) {
    window.addEventListener(type, follow, { capture: true, passive: true });
  }
  window.__clock = {
    // Stops following real time; returns the virtual now.
    manual() { if (live) runDue(realNow()); live = false; return current; },
    advanceTo(t) { runDue(t); return current; },
    // The pending timers: [due in ms, the callback's first characters], for a stuck replay.
    pending: () => [...timers.values()].map((timer) => [timer.at - current, String(timer.fn).slice(0, 120)]),
    timeOrigin: performance.timeOrigin,
  };
}

// Page-side actions that are not pointer or keyboard input; each first advances the clock to `at`.
export function installReplayActions() {
  const fieldIds = { text: 'name', coupon: 'coupon', search: 'search', select: 'country' };
  window.__replay = (at, kind, a, b) => {
    window.__clock.advanceTo(at);
    switch (kind) {
      case 'scroll':
        return new Promise((done) => {
          const limit = Math.max(0, document.documentElement.scrollHeight - innerHeight);
          const goal = Math.min(limit, Math.max(0, Math.round(a)));
          if (Math.round(scrollY) === goal) return done(); // already there: the browser fires no scroll event
          addEventListener('scroll', () => done(), { once: true });
          scrollTo({ top: goal, behavior: 'instant' });
          // A position the page cannot take exactly fires no event: two frames later, go on anyway.
          requestAnimationFrame(() => requestAnimationFrame(() => done()));
          return undefined;
        });
      case 'visibility': {
        const hidden = a === 'hidden';
        Object.defineProperty(document, 'visibilityState', { value: hidden ? 'hidden' : 'visible', configurable: true });
        Object.defineProperty(document, 'hidden', { value: hidden, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
        return undefined;
      }
      case 'bfcache': {
        // Into the back/forward cache and out of it, in Chromium's order: hidden then pagehide; pageshow
        // then visible (the document and its scripts are kept, as on a real back then forward).
        const hidden = a === 'leave';
        const setVisibility = () => {
          Object.defineProperty(document, 'visibilityState', { value: hidden ? 'hidden' : 'visible', configurable: true });
          Object.defineProperty(document, 'hidden', { value: hidden, configurable: true });
          document.dispatchEvent(new Event('visibilitychange'));
        };
        if (hidden) {
          setVisibility();
          dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
        } else {
          dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
          setVisibility();
        }
        return undefined;
      }
      case 'blur': return void dispatchEvent(new FocusEvent('blur'));
      case 'focus': return void dispatchEvent(new FocusEvent('focus'));
      case 'field':
        if (b) return void document.getElementById(fieldIds[a])?.focus();
        return void document.activeElement?.blur();
      case 'back':
        return new Promise((done) => {
          addEventListener('popstate', () => done(), { once: true });
          history.back();
        });
      default:
        return undefined;
    }
  };
}

// Drives one page through one trace. `page` already has both scripts installed and has loaded.
export class TraceReplayer {
  constructor(page, client, { touch }) {
    this.page = page;
    this.client = client;
    this.touch = touch;
  }

  // Switches the page to the virtual clock; the trace's first observation lands `leadMs` later.
  async start(trace, leadMs) {
    const { now, origin } = await this.page.evaluate(() => ({ now: window.__clock.manual(), origin: window.__clock.timeOrigin }));
    this.origin = origin;
    this.base = now + leadMs - (trace.events.length ? trace.events[0][0] : 0);
    this.trace = trace;
  }

  at(t) { return this.base + t; }

  stamp(t) { return (this.origin + this.at(t)) / 1000; } // CDP timestamps are seconds since the epoch

  mouse(type, t, x, y, extra = {}) {
    return this.client.send('Input.dispatchMouseEvent', { type, x, y, timestamp: this.stamp(t), ...extra });
  }

  async key(t, key, code, keyCode) {
    await this.client.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key, code, windowsVirtualKeyCode: keyCode, timestamp: this.stamp(t) });
    await this.client.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: keyCode, timestamp: this.stamp(t) });
  }

  action(t, kind, a, b) {
    return this.page.evaluate(([at, k, x, y]) => window.__replay(at, k, x, y), [this.at(t), kind, a, b]);
  }

  async dispatch(event) {
    const [t, kind, a, b] = event;
    const { viewport } = this.trace;
    switch (kind) {
      case 'move':
      case 'out':
        return this.mouse('mouseMoved', t, a, b, { button: 'none', buttons: 0 });
      case 'down':
        if (a < 0 || b < 0 || a > viewport.width || b > viewport.height) return undefined; // off the page
        if (this.touch) {
          await this.client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: a, y: b }], timestamp: this.stamp(t) });
          return this.client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [], timestamp: this.stamp(t) });
        }
        await this.mouse('mousePressed', t, a, b, { button: 'left', buttons: 1, clickCount: 1 });
        return this.mouse('mouseReleased', t, a, b, { button: 'left', buttons: 0, clickCount: 1 });
      case 'key':
        return this.key(t, 'Shift', 'ShiftLeft', 16);
      case 'choose':
        // A choice in the open <select> with the keyboard: the next option, Enter.
        await this.key(t, 'ArrowDown', 'ArrowDown', 40);
        return this.key(t, 'Enter', 'Enter', 13);
      case 'select':
        // The press on the <select> already opened it; closing is Escape.
        return a ? undefined : this.key(t, 'Escape', 'Escape', 27);
      case 'back':
        // With the guard, back lands on the history entry it added; without it back would leave the page.
        return this.trace.options?.behaviour?.exitIntent?.backButtonGuard ? this.action(t, 'back') : undefined;
      case 'scroll':
      case 'visibility':
      case 'blur':
      case 'focus':
      case 'field':
      case 'bfcache':
        return this.action(t, kind, a, b);
      default:
        return undefined; // session, viewport, route, cart, tick: the sensors and timers produce these
    }
  }

  async replay(trace, { leadMs = 1100, tailMs = 200 } = {}) {
    await this.start(trace, leadMs);
    for (const event of trace.events) await this.dispatch(event);
    const last = trace.events[trace.events.length - 1][0];
    await this.page.evaluate((t) => window.__clock.advanceTo(t), this.at(last + tailMs));
    // CartKeep's engine answers from its worker: let the answers to the trace's input arrive (an observation's
    // answer may ask for a drain, hence a few round trips), then run the timers they set, before results are read.
    await this.page.evaluate(async (t) => {
      const instance = window.CartKeep ? await window.CartKeep.ready.catch(() => null) : null;
      if (instance && instance.behaviour && instance.behaviour.summary) {
        for (let i = 0; i < 3; i += 1) await instance.behaviour.summary().catch(() => null);
      }
      window.__clock.advanceTo(t);
    }, this.at(last + tailMs));
  }
}
