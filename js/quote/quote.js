// instance.quote(request): the itemised total from the core. The shopper's choices (destination, coupons,
// shipping method, payment method) are kept in the core, so every widget quotes the same thing; JS only
// remembers the destination on the device and turns the core's message data into text. The store-local time
// is filled in where the engine runs (store-clock.js).
import { CartKeepError } from '../engine/errors.js';
import { coreJson } from '../engine/core-session.js';
import { renderMessage } from '../platform/message.js';
import { storageArea } from '../platform/storage.js';
import { storeNow } from './store-clock.js';

const STORAGE_KEY = 'cartkeep:destination';

const storage = () => storageArea('local'); // null where storage is blocked (privacy mode, sandboxed frame)

// The stored destination (untrusted: the core checks it when it is chosen), or null.
function readDestination() {
  const store = storage();
  try {
    const saved = store && JSON.parse(store.getItem(STORAGE_KEY) || 'null');
    if (saved && typeof saved.country === 'string' && /^[A-Z]{2}$/.test(saved.country)) {
      return { country: saved.country, region: String(saved.region || ''), postcode: String(saved.postcode || '') };
    }
  } catch { /* a damaged entry falls back to the default */ }
  return null;
}

// Every core call is a request (the core may run in a worker): the actions below return promises and run one
// after another, in the order they were made, so each sees the choices the one before it left. The reads
// (state, destination, coupons, countries, message, label, now) answer at once from the page's copy.
export function createQuoteApi(instance) {
  const { session, events } = instance;
  const settings = instance.options.quote || {};
  const timeZone = (settings.delivery && settings.delivery.timeZone) || ''; // the engine checked it at init
  const fallback = (settings.shipping && settings.shipping.defaultDestination) || { country: '', region: '', postcode: '' };
  // The shopper's choices live in the core (quoteChoose), which fills them into every quote; this is the
  // page's copy for state() and the widgets, updated from each answer.
  let choices = {};
  const state = () => ({
    destination: choices.destination ? { ...choices.destination } : { ...fallback },
    coupons: [...(choices.coupons || [])],
    method: choices.method ?? null,
    paymentMethod: choices.paymentMethod ?? null,
  });
  const changed = (reason) => events.emit('quote-change', { reason, state: state() });

  // Quotes memoised per cart revision and request (the store minute included); the core also keeps the
  // shopper's choices and its own memo, this one saves the crossing when the widgets of one change ask the
  // same question. A cart action answers with the plain quote, which seeds it. `choiceTurn` counts the
  // choices sent: an answer asked before the latest choice is not kept.
  const memo = { revision: null, answers: new Map() };
  const MEMO_LIMIT = 16;
  let choiceTurn = 0;
  const remember = (revision, text, answer) => {
    if (memo.revision !== revision) {
      memo.revision = revision;
      memo.answers.clear();
    }
    if (memo.answers.size >= MEMO_LIMIT) memo.answers.clear();
    memo.answers.set(text, answer);
  };
  // Every answer from before the choice is for the old choices, also a cart action's answered meanwhile.
  const choose = async (patch) => {
    choiceTurn += 1;
    memo.revision = null;
    try {
      choices = await session.request('quoteChoose', coreJson(patch));
    } finally {
      memo.revision = null;
    }
  };

  // Without `now` the engine quotes at the store's current minute, which it fills in itself.
  function request(input = {}) {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new CartKeepError('invalid-argument', 'expected a request object', 'request');
    }
    return input;
  }
  // The memo's key: the request, and the minute it is asked in when the engine supplies the time (store-local
  // minutes start with UTC ones).
  const memoKey = (text) => `${Math.floor(Date.now() / 60000)}|${text}`;

  // The itemised quote for the cart, or for request.lines (e.g. one product on its page).
  async function ask(input) {
    const text = coreJson(request(input));
    const key = memoKey(text);
    const revision = instance.cart.snapshot.revision; // the core's, also after a restore or a merge
    let answer = memo.revision === revision ? memo.answers.get(key) : undefined;
    if (answer === undefined) {
      const turn = choiceTurn;
      answer = await session.request('quote', text);
      if (turn === choiceTurn && instance.cart.snapshot.revision === revision) remember(revision, key, answer);
    }
    return structuredClone(answer);
  }

  // The actions' queue; `restored` (the saved destination) goes first and never rejects.
  let queue = Promise.resolve();
  const inTurn = (task) => {
    const result = queue.then(task);
    queue = result.catch(() => {});
    return result;
  };

  // A cart action asks the core for the plain quote in the same call, so the widgets that follow it read it here.
  instance.cart.follow({
    prepare: (update) => {
      if (update.quote) remember(update.cart.revision, memoKey(coreJson(request())), update.quote);
    },
  });

  // The destination the shopper chose on an earlier page; one the store no longer ships to is dropped.
  const saved = readDestination();
  const restored = saved ? inTurn(() => choose({ destination: saved })).catch(() => {}) : queue; // else the default stands

  const quote = (input) => inTurn(() => ask(input));
  Object.assign(quote, {
    ready: restored.then(() => undefined),
    state,
    destination() {
      return state().destination;
    },
    countries() {
      return [...((settings.shipping && settings.shipping.countries) || [])];
    },
    setDestination(destination) {
      return inTurn(async () => {
        const next = { country: '', region: '', postcode: '', ...destination };
        next.country = String(next.country).trim().toUpperCase();
        next.region = String(next.region).trim();
        next.postcode = String(next.postcode).trim();
        await ask({ destination: next, lines: [] }); // validates: rejects with CartKeepError with request.destination.* paths
        await choose({ destination: next });
        const store = storage();
        try { if (store) store.setItem(STORAGE_KEY, JSON.stringify(next)); } catch { /* quota or blocked */ }
        changed('destination');
        return ask();
      });
    },
    // Tries a code; keeps it only when it applies. Resolves with {applied, status, code, message (text), quote}.
    applyCoupon(code) {
      return inTurn(async () => {
        const text = String(code ?? '').trim();
        if (!text) throw new CartKeepError('invalid-argument', 'expected a coupon code', 'code');
        const kept = choices.coupons || [];
        const attempt = await ask({ coupons: [...kept, text] });
        const result = attempt.coupons.find((c) => c.code.toUpperCase() === text.toUpperCase()) || attempt.coupons[attempt.coupons.length - 1];
        const applied = Boolean(result && result.applied);
        if (applied && !kept.some((c) => c.toUpperCase() === result.code.toUpperCase())) {
          await choose({ coupons: [...kept, result.code] });
          changed('coupon');
        }
        return {
          applied, code: result ? result.code : text, status: result ? result.status : 'unknown',
          message: result ? renderMessage(result.message, instance.options) : '', quote: applied ? attempt : await ask(),
        };
      });
    },
    removeCoupon(code) {
      return inTurn(async () => {
        const kept = choices.coupons || [];
        const next = kept.filter((c) => c.toUpperCase() !== String(code).trim().toUpperCase());
        if (next.length !== kept.length) {
          await choose({ coupons: next });
          changed('coupon');
        }
        return ask();
      });
    },
    coupons() {
      return [...(choices.coupons || [])];
    },
    setMethod(id) {
      return inTurn(async () => {
        await choose({ method: id ? String(id) : null });
        changed('method');
        return ask();
      });
    },
    setPaymentMethod(id) {
      return inTurn(async () => {
        await choose({ paymentMethod: id ? String(id) : null });
        changed('payment-method');
        return ask();
      });
    },
    // Totals for many requests in one call ([total, subtotal, discount, shipping, fees, tax, taxIncluded, shippable]).
    // A request that is not an object goes to the core as it is, which reports it in its own entry.
    batch(requests) {
      return inTurn(() => {
        if (!Array.isArray(requests)) throw new CartKeepError('invalid-argument', 'expected an array of requests', 'requests');
        const isRequest = (r) => r !== null && typeof r === 'object' && !Array.isArray(r);
        // Each request without `now` at the store's current minute (asked here: the batch goes to the core whole).
        const at = (r) => (r.now === undefined ? { ...r, now: storeNow(timeZone) } : r);
        return session.request('quoteBatch', coreJson(requests.map((r) => (isRequest(r) ? at(request(r)) : r))));
      });
    },
    message(message) {
      return renderMessage(message, instance.options);
    },
    label(component) {
      return renderMessage(component.label, instance.options);
    },
    now() {
      return storeNow(timeZone);
    },
  });
  return quote;
}
