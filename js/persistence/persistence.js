// instance.persistence: restores the saved cart when CartKeep starts, saves it after every change, keeps the
// store's tabs in step, applies ?cartkeep= resume links, and falls back to memory when storage fails.
// The core decides (snapshot format, checksum, migration, merge, re-pricing, links); this file moves text
// between storage, other tabs and the core, and reports. Nothing here throws into the page.
import { URL_SAFE, randomId } from '../platform/ids.js';
import { CartKeepError, asCartKeepError } from '../engine/errors.js';
import { fillTemplate, formatNumber, intlLocale } from '../platform/format.js';
import { navigate } from '../platform/navigate.js';
import { isQuotaError, memoryStorage, openStorage, storageArea } from '../platform/storage.js';
import { renderMessage } from '../platform/message.js';
import { openSyncChannel } from './tab-channel.js';
import { restoreCoupon, trackStage } from './persistence-stage.js';

// Reasons for an unsaved cart that the shopper should see ("Cart not saved on this device").
const FAILURES = new Set(['storage-failed', 'quota', 'unavailable']);
// A resume link's own problems: applyLink answers them as {ok: false, problem} (docs/persistence.md).
const LINK_PROBLEMS = new Set(['invalid-link', 'link-too-long', 'link-future-version']);

function listText(items, locale) {
  if (typeof Intl.ListFormat === 'function') {
    try {
      return new Intl.ListFormat(intlLocale(locale), { style: 'long', type: 'unit' }).format(items);
    } catch {
      // an unknown locale: fall through
    }
  }
  return items.join(', ');
}

// True when url names the page the shopper is on (query and fragment aside).
function isCurrentPage(url) {
  if (!url || typeof location === 'undefined') return false;
  try {
    const target = new URL(url, typeof document !== 'undefined' ? document.baseURI : location.href);
    return target.origin === location.origin && target.pathname === location.pathname;
  } catch {
    return false;
  }
}

// A notice from the core ({kind, ..., message: {key, values}}) as text for the shopper.
export function describeNotice(notice, instance) {
  return renderMessage(notice.message, instance.options);
}

export class Persistence {
  constructor(instance, { storage, clock } = {}) {
    this.instance = instance;
    this.options = instance.options.persistence; // normalised by the core
    this.custom = storage || null;
    this.clock = typeof clock === 'function' ? clock : () => Date.now();
    this.replica = randomId(16, URL_SAFE);
    const prefix = `cartkeep:${this.options.namespace}:`;
    this.keys = { cart: `${prefix}cart`, damaged: `${prefix}cart.damaged`, signal: `${prefix}signal`, banner: `${prefix}banner` };
    this.adapter = memoryStorage();
    this.channel = { kind: 'off', post() {}, close() {} };
    this.state = { storage: 'memory', saved: false, reason: 'starting', sync: 'off' };
    this.queue = Promise.resolve();
    this.started = false;
    this.stopped = false;
    this.lastRestore = null;
    this.bannerState = null;
    this.ready = null;
    this.lastWritten = null; // the snapshot text this tab last stored: reading it back brings nothing new
    // The cart the page shows, as snapshots: the core's last whole snapshot (null: none yet, or a link applied
    // since) and the states merged into it after, in order; `stored`: the task that made its last change stores
    // it (false: another tab's state that held all of this tab's). A restarted engine starts from it.
    // `shownCount` counts the answers that changed it.
    this.shown = { text: null, merged: [], stored: true };
    this.shownCount = 0;
    this.unseen = new Set(); // core calls that may change the cart on their own, until their cart is published
  }

  // ---- lifecycle -------------------------------------------------------------------------------------

  // Resolves once the stored cart is restored (or found missing, expired or damaged); never rejects.
  start() {
    if (!this.ready) this.ready = this.enqueue(() => this.run());
    return this.ready;
  }

  async run() {
    await this.openAdapter();
    if (this.stopped) return;
    const stored = await this.read(this.keys.cart);
    const result = await this.call('persistRestore', stored ?? '', this.now(), this.replica);
    this.started = true;
    this.lastRestore = result;
    if (result.status === 'damaged') await this.quarantine(stored, result.problem);
    else if (result.status === 'expired') await this.removeQuietly(this.keys.cart);
    if (result.changed) this.publishCart(result.cart, 'restore');
    // The shopper's own changes: the core answers each with the snapshot to store.
    this.offCartChange = this.instance.cart.follow({
      fields: () => ({ storedAt: this.now() }),
      apply: (update) => {
        if (!update.persist) return;
        this.showing({ text: update.persist.text, merged: [], stored: true }); // known at once, stored a moment later
        this.saveSnapshot(update.persist, this.shownCount);
      },
      // The shopper's actions wait for a cart the core is merging (another tab's, storage's, a link's).
      pending: () => (this.unseen.size ? Promise.all(this.unseen) : null),
    });
    this.channel = openSyncChannel({
      mode: this.options.sync,
      name: `cartkeep:${this.options.namespace}`,
      storageKind: this.adapter.kind,
      cartKey: this.keys.cart,
      signalKey: this.keys.signal,
      replica: this.replica,
      onState: (text) => this.enqueue(() => this.receive(text)),
      onForget: (text) => this.enqueue(() => this.receive(text)),
    });
    this.setState({ sync: this.channel.kind });

    if (result.returning) this.setBanner({ reason: 'returning', notices: result.notices, step: result.context.step });
    else if (result.notices.length) this.setBanner({ reason: 'changes', notices: result.notices, step: result.context.step });
    else this.bannerState = this.readPendingBanner();
    const fromUrl = await this.linkFromLocation();
    if (fromUrl && fromUrl.ok) result.notices = [...result.notices, ...fromUrl.notices];

    // Write back what was read (migrated, re-priced, merged with this tab's edits); store nothing for a
    // visitor without a cart, nor an expired or damaged one (that copy is kept aside under its own key).
    if (result.status === 'damaged') await this.removeQuietly(this.keys.cart);
    if (this.instance.cart.count() > 0 || result.status === 'restored') await this.saveNow();
    // The stage (step, coupon) is brought up to date before anyone hears of the restore.
    this.stopStage = trackStage(this, { restored: result, link: fromUrl });
    this.instance.events.emit('restore', {
      status: result.status,
      version: result.version,
      returning: result.returning,
      savedAt: result.savedAt,
      notices: result.notices,
      context: result.context,
      problem: result.problem,
      cart: this.instance.cart.get(),
    });
  }

  // A new engine (its worker restarted) restores, through `call`, the cart the page shows (the same restore a
  // new page makes; nothing is announced): the calls the dead engine left unanswered go again on that cart, as
  // the shopper made them (a set-quantity on what storage holds would overwrite units this tab never showed).
  // What other tabs stored meanwhile is merged after them, by a save. Without a snapshot of what the page
  // shows, what storage holds. Resolves with the restored cart.
  async restoreAfterRestart(call) {
    const { text, merged } = this.shown;
    const base = text ?? (await this.read(this.keys.cart)) ?? this.lastWritten ?? '';
    let { cart } = await call('persistRestore', base, this.now(), this.replica);
    for (const state of merged) {
      try {
        const result = await call('persistMerge', state, this.now());
        if (result.cart) cart = result.cart;
      } catch (error) {
        // a state that could not be merged before the restart cannot be now: left out, as it was then
        if (!(error instanceof CartKeepError) || !error.code.startsWith('snapshot-')) throw error;
      }
    }
    this.save();
    return cart;
  }

  stop() {
    if (this.stopped) return;
    this.stopped = true;
    if (this.offCartChange) this.offCartChange();
    if (this.stopStage) this.stopStage();
    this.channel.close();
    if (this.adapter && typeof this.adapter.close === 'function') this.adapter.close();
  }

  // ---- public API ------------------------------------------------------------------------------------

  // {storage: 'local' | 'session' | 'indexeddb' | 'memory' | 'custom', saved, reason, sync, replica}
  status() {
    return { ...this.state, replica: this.replica };
  }

  // The last restore: {status, version, returning, savedAt, notices, context, problem, cart}.
  restoreResult() {
    return this.lastRestore ? structuredClone(this.lastRestore) : null;
  }

  // Saves now (changes are saved automatically); resolves with status().
  save() {
    if (!this.started || this.stopped) return Promise.resolve(this.status());
    return this.enqueue(() => this.saveNow());
  }

  // Wipes everything CartKeep stored for this store, in every tab, and empties the cart.
  forget() {
    return this.enqueue(async () => {
      // A new, empty epoch of the cart: other tabs adopt it, and states from before it are ignored.
      const result = await this.changeCart('persistForget', [], () => 'forget');
      for (const key of [this.keys.cart, this.keys.damaged, this.keys.signal]) await this.removeQuietly(key);
      this.clearBanner();
      this.channel.post({ type: 'forget', text: result.text }, this.adapter);
      this.instance.events.emit('forget', { source: 'this-tab' });
    });
  }

  // Where the shopper is ({step, coupon}); saved with the cart and carried by resume links.
  async setContext(context = {}) {
    const result = await this.call('persistSetContext', JSON.stringify(context ?? {}), this.now());
    this.instance.views.refresh(); // the resume links carry the step and the coupon
    this.save();
    return result;
  }

  // A resume link for the cart: {url, value, length, step, coupon}. Throws CartKeepError('link-too-long').
  async link({ step, coupon } = {}) {
    const request = {};
    if (step !== undefined) request.step = step;
    if (coupon !== undefined) request.coupon = coupon;
    return this.linkFrom(await this.call('resumeLink', JSON.stringify(request))); // rejects with link-too-long
  }

  // The core's link ({value, length, step, coupon}, resumeLink's or a standing view's) with its URL.
  linkFrom(result) {
    return { url: this.linkUrl(result.value, result.step), value: result.value, length: result.length, step: result.step, coupon: result.coupon };
  }

  // Same as link(); the name other widgets (the nudge dialog) look for.
  resumeLink(request) {
    return this.link(request);
  }

  // The link with a summary to send: {url, text, subject, mailto, whatsapp}.
  async share(request = {}) {
    return this.shareFrom(await this.link(request));
  }

  // The share texts for a link ({url}, as link() answers).
  shareFrom({ url }) {
    const cart = this.instance.cart.get();
    const { strings, locale } = this.instance.options;
    const shown = cart.lines.slice(0, 5).map((line) =>
      fillTemplate(strings['persist.share.line'], { quantity: formatNumber(line.quantity, locale), title: line.title }));
    if (cart.lines.length > 5) shown.push(fillTemplate(strings['persist.share.more'], { count: formatNumber(cart.lines.length - 5, locale) }));
    const text = fillTemplate(strings['persist.share.message'], {
      items: listText(shown, locale), total: this.instance.formatMoney(cart.subtotal), link: url,
    });
    const subject = strings['persist.share.subject'];
    return {
      url,
      text,
      subject,
      mailto: `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(text)}`,
      whatsapp: `https://wa.me/?text=${encodeURIComponent(text)}`,
    };
  }

  // Applies a ?cartkeep= value: {ok, format, changed, notices, step, coupon, cart} or {ok: false, problem}.
  applyLink(value) {
    return this.enqueue(async () => {
      const result = await this.applyLinkValue(String(value ?? ''));
      if (result.ok) restoreCoupon(this.instance, result.coupon);
      if (result.ok) await this.saveNow();
      return result;
    });
  }

  // What the resume banner shows: null or {reason: returning | changes | link | link-invalid, notices, step,
  // resumeUrl, onResumePage, cart}. onResumePage: the shopper is already where Resume would go.
  banner() {
    const state = this.bannerState;
    if (!state) return null;
    const cart = this.instance.cart.get();
    if ((state.reason === 'returning' || state.reason === 'link') && !cart.lines.length && !state.notices.length) return null;
    const resumeUrl = this.resumeUrl(state.step);
    return { ...structuredClone(state), resumeUrl, onResumePage: isCurrentPage(resumeUrl), cart };
  }

  dismissBanner() {
    this.clearBanner();
  }

  // The banner's resume button: goes to the page of the saved step (options.persistence.resumeUrls).
  resume() {
    const step = this.bannerState ? this.bannerState.step : '';
    const url = this.resumeUrl(step);
    this.clearBanner();
    this.instance.events.emit('resume', { step, url });
    if (url && typeof location !== 'undefined') {
      try {
        const target = new URL(url, typeof document !== 'undefined' ? document.baseURI : location.href);
        if (target.href !== location.href) navigate(this.instance, target.href, 'resume-banner');
      } catch (error) {
        this.instance.reportError(error, { source: 'resume-banner', url });
      }
    }
  }

  // ---- storage -------------------------------------------------------------------------------------

  async openAdapter() {
    if (!this.options.enabled) {
      this.useMemory('disabled');
      return;
    }
    const kind = this.custom ? 'custom' : this.options.storage;
    const opened = await openStorage(kind, this.custom);
    if (opened.adapter) {
      this.adapter = opened.adapter;
      const memory = kind === 'memory';
      this.setState({ storage: opened.adapter.kind, saved: !memory, reason: memory ? 'memory' : null });
      return;
    }
    // No such storage here (Node, an old browser): quietly in memory. A storage that refuses: say so.
    const browser = typeof window !== 'undefined';
    this.useMemory(opened.unavailable ? 'unavailable' : 'storage-failed',
      opened.error || (opened.unavailable && browser ? new Error(`${kind} storage is not available in this browser`) : null));
  }

  useMemory(reason, error, seed) {
    const map = new Map();
    if (typeof seed === 'string') map.set(this.keys.cart, seed);
    this.adapter = memoryStorage(map);
    this.setState({ storage: 'memory', saved: false, reason });
    if (error) {
      const code = reason === 'quota' ? 'storage-quota' : 'storage-unavailable';
      this.reportError(new CartKeepError(code, `the cart is kept in memory only, not saved on this device: ${error.message || error}`,
        'options.persistence.storage'));
    }
  }

  async read(key) {
    try {
      const value = await this.adapter.get(key);
      return typeof value === 'string' ? value : null;
    } catch (error) {
      this.useMemory('storage-failed', error);
      return null;
    }
  }

  async write(text) {
    try {
      await this.adapter.set(this.keys.cart, text);
      this.lastWritten = text;
      return true;
    } catch (error) {
      if (!isQuotaError(error)) {
        this.useMemory('storage-failed', error, text);
        return false;
      }
      // Storage is full: make room (our damaged copy, then spent history), then try once more.
      await this.removeQuietly(this.keys.damaged);
      const compacted = await this.call('persistCompact', this.now());
      try {
        await this.adapter.set(this.keys.cart, compacted.text);
        this.lastWritten = compacted.text;
        this.instance.events.emit('persistence-compacted', { bytes: compacted.bytes, dropped: compacted.dropped });
        return true;
      } catch (again) {
        this.useMemory(isQuotaError(again) ? 'quota' : 'storage-failed', again, compacted.text);
        return false;
      }
    }
  }

  async removeQuietly(key) {
    try {
      await this.adapter.remove(key);
    } catch {
      // nothing to free, or storage gone: either way nothing is kept
    }
  }

  // A snapshot that cannot be read is kept aside (one copy) for support, never read again, and reported.
  async quarantine(text, problem) {
    if (typeof text === 'string') {
      try {
        await this.adapter.set(this.keys.damaged, text);
      } catch {
        // no room for the copy: the report below still names the problem
      }
    }
    this.reportError(new CartKeepError(problem.code, problem.message, problem.path), { key: this.keys.cart, keptAs: this.keys.damaged });
  }

  // ---- saving and syncing ----------------------------------------------------------------------------

  async saveNow() {
    if (!this.started || this.stopped) return this.status();
    const stored = await this.read(this.keys.cart);
    // Storage still holds what this tab wrote last: the core has all of it, so it need not decode and merge
    // it again (the larger part of a save's cost). Another tab's write differs and is merged as usual.
    const unchanged = stored !== null && stored === this.lastWritten;
    const result = await this.changeCart('persistSave', [unchanged ? '' : stored ?? '', this.now()],
      (answer) => (answer.changed ? 'sync' : null));
    if (result.storedProblem) await this.quarantine(stored, result.storedProblem);
    await this.write(result.text);
    this.channel.post({ type: 'state', text: result.text }, this.adapter);
    return this.status();
  }

  // A snapshot the core made with the shopper's change, as if storage still held what this tab wrote last:
  // written as it is when that is so, merged with what storage holds (persistSave) when another tab wrote since.
  // `count`: shownCount when it was made. When the core has changed the cart since, the later cart (which holds
  // this one) is stored by the task that made it (a later change, a save), or, another tab's, by saving now:
  // writing this one would put an older cart over it.
  saveSnapshot(snapshot, count) {
    if (!this.started || this.stopped) return Promise.resolve(this.status());
    return this.enqueue(async () => {
      if (count !== this.shownCount) return this.shown.stored ? this.status() : this.saveNow();
      const stored = await this.read(this.keys.cart);
      if (stored !== null && stored !== this.lastWritten) return this.saveNow();
      await this.write(snapshot.text);
      this.channel.post({ type: 'state', text: snapshot.text }, this.adapter);
      return this.status();
    });
  }

  async receive(text) {
    if (!this.started || this.stopped) return;
    let result;
    try {
      result = await this.changeCart('persistMerge', [text, this.now()],
        (answer) => (answer.changed ? (answer.forgotten ? 'forget' : 'sync') : null));
    } catch (error) {
      if (!(error instanceof CartKeepError) || !error.code.startsWith('snapshot-')) throw error;
      this.reportError(error, { source: 'sync' }); // another tab's message that cannot be merged: not merged
      return;
    }
    if (result.forgotten) this.clearBanner();
    if (result.forgotten) this.instance.events.emit('forget', { source: 'other-tab' });
    if (result.behind) await this.saveNow(); // the other tab lacks our edits: store and tell everyone
  }

  // ---- resume links ----------------------------------------------------------------------------------

  linkFromLocation() {
    if (typeof location === 'undefined' || typeof URL !== 'function') return null;
    let url;
    try {
      url = new URL(location.href);
    } catch {
      return null;
    }
    const value = url.searchParams.get(this.options.link.param);
    if (value === null) return null;
    // Applied once: reloading or bookmarking the page must not add the items again.
    url.searchParams.delete(this.options.link.param);
    try {
      history.replaceState(history.state, '', url.href);
    } catch {
      // a sandboxed page: the link stays in the address bar, and merging makes a second apply harmless
    }
    return this.applyLinkValue(value);
  }

  // The link's own problem (damaged, too long, from a newer version) is a result, {ok: false, problem}, and
  // an `error` event; the core answers it as the error it is.
  async applyLinkValue(value) {
    let result;
    try {
      result = { ok: true, ...(await this.changeCart('resumeLinkApply', [value, this.now()],
        (answer) => (answer.changed ? 'resume-link' : null))) };
    } catch (error) {
      if (!(error instanceof CartKeepError) || !LINK_PROBLEMS.has(error.code)) throw error;
      result = { ok: false, problem: { code: error.code, path: error.path, message: error.reason } };
    }
    if (!result.ok) {
      this.reportError(new CartKeepError(result.problem.code, result.problem.message, result.problem.path), { source: 'resume-link' });
      this.setBanner({ reason: 'link-invalid', notices: [], step: '' });
    } else {
      this.setBanner({ reason: 'link', notices: result.notices, step: result.step });
    }
    this.instance.events.emit('resume-link', structuredClone(result));
    return result;
  }

  linkUrl(value, step) {
    const base = this.options.link.url || this.stepUrl(step) ||
      (typeof location !== 'undefined' ? location.href : 'http://localhost/');
    const url = new URL(base, typeof document !== 'undefined' ? document.baseURI : 'http://localhost/');
    url.hash = '';
    url.searchParams.set(this.options.link.param, value);
    return url.href;
  }

  // The page of a checkout step. The step comes from a stored snapshot or a link, so only the merchant's own
  // entries count ("constructor" or "__proto__" must not find Object's).
  stepUrl(step) {
    const urls = this.options.resumeUrls;
    return (typeof step === 'string' && Object.hasOwn(urls, step) && typeof urls[step] === 'string') ? urls[step] : '';
  }

  resumeUrl(step) {
    return this.stepUrl(step) || this.stepUrl('cart');
  }

  // ---- banner state (kept for this tab's session, so it survives moving between pages) -------------

  setBanner(state) {
    this.bannerState = { reason: state.reason, notices: state.notices || [], step: state.step || '' };
    const area = storageArea('session');
    try {
      if (area) area.setItem(this.keys.banner, JSON.stringify(this.bannerState));
    } catch {
      // the banner shows on this page only
    }
    this.instance.events.emit('banner', this.banner());
  }

  readPendingBanner() {
    const area = storageArea('session');
    try {
      const parsed = area ? JSON.parse(area.getItem(this.keys.banner) || 'null') : null;
      if (!parsed || typeof parsed.reason !== 'string' || !Array.isArray(parsed.notices)) return null;
      return { reason: parsed.reason, notices: parsed.notices.filter((n) => n && typeof n === 'object'), step: String(parsed.step || '') };
    } catch {
      return null;
    }
  }

  clearBanner() {
    const had = this.bannerState !== null;
    this.bannerState = null;
    const area = storageArea('session');
    try {
      if (area) area.removeItem(this.keys.banner);
    } catch {
      // nothing stored
    }
    if (had) this.instance.events.emit('banner', null);
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  now() {
    return Math.floor(Number(this.clock()));
  }

  call(name, ...args) {
    return this.instance.session.request(name, ...args);
  }

  // A core call that may change the cart on its own: the cart it answers with is published (as `actionOf(answer)`,
  // or not when that is null) before anything else runs, and shopper actions made meanwhile wait for it
  // (the cart follower's `pending`), since the shopper made them on the cart before it. Resolves with the answer.
  changeCart(name, args, actionOf) {
    let settle;
    const settled = new Promise((resolve) => { settle = resolve; });
    this.unseen.add(settled); // before the call leaves: an action made from here on comes after it in the core
    const answered = this.call(name, ...args).then((answer) => {
      const action = actionOf(answer);
      if (action) this.publishCart(answer.cart, action);
      this.track(name, args, answer);
      return answer;
    }).finally(() => {
      this.unseen.delete(settled);
      settle();
    });
    return answered;
  }

  // Keeps `shown` in step with a call of changeCart's: a whole snapshot replaces it; a merged state that holds
  // all this tab had (not behind) is the whole cart, else it is merged on top (a save follows at once).
  track(name, args, answer) {
    if (name === 'persistSave' || name === 'persistForget') this.showing({ text: answer.text, merged: [], stored: true });
    else if (name === 'resumeLinkApply' && answer.changed) this.showing({ text: null, merged: [], stored: true });
    else if (name === 'persistMerge' && answer.changed) {
      // behind: receive() saves at once
      this.showing(answer.behind ? { text: this.shown.text, merged: [...this.shown.merged, args[0]], stored: true }
        : { text: args[0], merged: [], stored: false });
    }
  }

  showing(shown) {
    this.shown = shown;
    this.shownCount += 1;
  }

  enqueue(task) {
    const next = this.queue.then(() => (this.stopped ? undefined : task()))
      .catch((error) => { this.reportError(asCartKeepError(error), { source: 'persistence' }); });
    this.queue = next;
    return next;
  }

  publishCart(cart, action) {
    this.instance.cart.replaced(cart, action);
  }

  setState(patch) {
    const next = { ...this.state, ...patch };
    if (Object.keys(next).every((key) => next[key] === this.state[key])) return;
    this.state = next;
    this.instance.events.emit('persistence', this.status());
  }

  // "Cart not saved on this device": storage failed or is missing, not a merchant's choice of memory.
  unsaved() {
    return !this.state.saved && FAILURES.has(this.state.reason);
  }

  reportError(error, context = {}) {
    if (this.instance.destroyed) return;
    this.instance.reportError(error, { source: 'persistence', ...context });
  }
}
