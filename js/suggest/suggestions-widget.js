// <cartkeep-suggestions placement="bought-together" product-id="…" limit="8" gap="350">: an accessible
// carousel (WAI-ARIA carousel pattern: a labelled region, slides as groups "2 of 8", previous/next buttons,
// arrow keys) of instance.suggest() results, with lazy images, an add-to-cart button per product, and
// `suggestion-impression` / `suggestion-click` events. Every text is set with textContent.
// placement="free-shipping" takes the gap from the `gap` attribute (minor units) or from the quote.
import { fillTemplate, formatNumber } from '../platform/format.js';
import { renderMessage } from '../platform/message.js';
import { CartKeepElement, el } from '../platform/base-element.js';
import { latestAnswer, supersedeAnswers } from '../platform/latest-answer.js';

let nextId = 0;

// How close to the screen a widget first asks for its suggestions (and with that the index starts loading):
// a viewport ahead, so what the shopper scrolls to is ready when it arrives.
const NEAR_SCREEN = '100%';

export class SuggestionsElement extends CartKeepElement {
  static styles = `:host{display:block;font:inherit;color:inherit}
    :host([hidden]){display:none}
    .head{display:flex;align-items:center;justify-content:space-between;gap:.75em;margin:0 0 .6em}
    h2,h3,h4{font-size:1.15em;margin:0}
    .controls{display:flex;gap:.35em}
    .controls button{min-width:2.25em;min-height:2.25em;border:1px solid var(--cartkeep-border,color-mix(in srgb,currentColor 35%,transparent));border-radius:50%;background:var(--cartkeep-surface,transparent);cursor:pointer}
    .controls button:disabled{opacity:.35;cursor:default}
    .track{margin:0;padding:.15em .1em .6em;display:flex;gap:.9em;overflow-x:auto;scroll-snap-type:x mandatory;
      scroll-padding-inline:.1em;overscroll-behavior-x:contain;scrollbar-width:thin}
    @media (prefers-reduced-motion:no-preference){.track{scroll-behavior:smooth}}
    .item{flex:0 0 var(--cartkeep-card-width,11.5em);scroll-snap-align:start;display:flex;flex-direction:column;gap:.3em;
      border:1px solid var(--cartkeep-border,color-mix(in srgb,currentColor 20%,transparent));border-radius:var(--cartkeep-radius,.6em);padding:.6em;background:var(--cartkeep-card-bg,#fff)}
    .media{display:block;aspect-ratio:1/1;border-radius:.4em;overflow:hidden;background:#f3f3f3}
    img{display:block;width:100%;height:100%;object-fit:cover}
    .title{font-weight:600;color:inherit;text-decoration:none;line-height:1.25}
    .title:hover,.title:focus-visible{text-decoration:underline}
    .reason{margin:0;font-size:.82em;color:var(--cartkeep-muted,inherit);opacity:.85}
    .price{margin:auto 0 0;font-weight:700;font-variant-numeric:tabular-nums}
    .add{font:inherit;min-height:2.4em;border:0;border-radius:.4em;background:var(--cartkeep-accent,#1f6f4a);color:var(--cartkeep-accent-fg,#fff);font-weight:600;cursor:pointer}
    .add:disabled{background:#999;cursor:default}
`;

  static events = ['cart-change', 'suggestions-change', 'suggestions-ready', 'quote-change'];
  static observedAttributes = ['placement', 'product-id', 'limit', 'gap'];

  constructor() {
    super();
    this.uid = `cks${(nextId += 1)}`;
    this.seen = new Set();       // products whose impression was reported
    this.signature = null;       // what is on screen, to skip identical re-renders
    this.near = false;           // has come within NEAR_SCREEN of the screen (stays true)
  }

  attributeChangedCallback(name, previous, value) {
    if (previous === value) return;
    if (name === 'placement' || name === 'product-id') this.seen.clear();
    this.signature = null;
    if (this.shadowRoot && this.instance) this.update();
  }

  disconnectedCallback() {
    this.stopWatchingNearness();
    if (this.observer) this.observer.disconnect();
    this.observer = null;
    if (this.sizeObserver) this.sizeObserver.disconnect();
    this.sizeObserver = null;
    super.disconnectedCallback();
  }

  request() {
    const placement = this.getAttribute('placement') || 'picked-for-you';
    const request = { placement };
    const root = document.body || document.documentElement;
    const productId = this.getAttribute('product-id') || (root && root.getAttribute('data-cartkeep-product')) || '';
    if (productId) request.productId = productId;
    const limit = this.getAttribute('limit');
    if (limit !== null && limit !== '') request.limit = Number(limit);
    const gap = this.getAttribute('gap');
    if (gap !== null && gap !== '') request.gap = Number(gap);
    return request;
  }

  // Asks for the suggestions; what is on screen stays until they arrive (an answer a newer update superseded
  // is dropped). Re-renders only when the suggestions changed; keeps the scroll position and the keyboard focus.
  async update() {
    if (!this.instance) {
      supersedeAnswers(this);
      this.signature = null;
      this.shadowRoot.replaceChildren();
      return;
    }
    const instance = this.instance;
    this.watchNearness();
    const request = this.request();
    // "Bought together" waits for its product (a page may name it after loading its own data).
    // "Complete your order" has nothing to complete in an empty cart.
    const nothingToComplete = request.placement === 'complete-order' && instance.cart.count() === 0;
    let result = null;
    if (nothingToComplete || (request.placement === 'bought-together' && !request.productId)) {
      supersedeAnswers(this);
      this.closeView();
    } else if (!this.near) {
      return; // far from the screen: nothing to ask yet, and nothing shown that could move the page
    } else {
      // A standing view the core keeps current: registered once per request, then read from the page's copy.
      const answer = await latestAnswer(this, () => instance.suggest.fromView(() => this.standingView(instance, { kind: 'suggest', request })));
      if (!answer) return;
      if (answer.error) instance.reportError(answer.error, { source: 'cartkeep-suggestions', placement: request.placement });
      else result = answer.value;
    }
    this.show(result);
  }

  show(result) {
    const signature = result ? JSON.stringify([result.source, result.title, result.gap, result.items.map((i) => [i.productId, i.price, i.stock, i.reason.text])]) : '';
    if (signature === this.signature) return;
    this.signature = signature;
    const track = this.shadowRoot.querySelector('.track');
    const scroll = track ? track.scrollLeft : 0;
    const focus = this.focusPosition();
    this.shadowRoot.replaceChildren();
    if (this.observer) this.observer.disconnect();
    this.observer = null;
    if (this.sizeObserver) this.sizeObserver.disconnect();
    this.sizeObserver = null;
    this.hidden = !result || !result.items.length;
    this.watchNearness();
    if (this.hidden) return;
    this.result = result;
    this.renderResult(this.shadowRoot, this.instance, result);
    const fresh = this.shadowRoot.querySelector('.track');
    if (fresh && scroll) fresh.scrollLeft = scroll;
    this.restoreFocus(focus);
    this.watchSize(fresh);
    this.observeImpressions();
  }

  // Until the widget first comes near the screen: a hidden widget has no box, so its parent stands for its
  // place in the page. Coming near loads the index (even while there is nothing to show: the cart that fills
  // it is likely to come) and asks for the suggestions.
  watchNearness() {
    if (this.near || !this.instance) return;
    if (typeof IntersectionObserver === 'undefined') {
      this.near = true;
      return;
    }
    const target = (this.hidden && this.parentElement) || this;
    if (this.nearObserver && this.nearTarget === target) return;
    this.stopWatchingNearness();
    this.nearTarget = target;
    this.nearObserver = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      this.stopWatchingNearness();
      this.near = true;
      if (!this.instance) return;
      this.instance.suggest.prepare();
      this.update();
    }, { rootMargin: NEAR_SCREEN });
    this.nearObserver.observe(target);
  }

  stopWatchingNearness() {
    if (this.nearObserver) this.nearObserver.disconnect();
    this.nearObserver = null;
    this.nearTarget = null;
  }

  focusPosition() {
    const active = this.shadowRoot.activeElement;
    if (!active) return null;
    const item = active.closest('.item');
    return { index: item ? Number(item.dataset.index) : -1, part: active.getAttribute('part') };
  }

  restoreFocus(focus) {
    if (!focus) return;
    const items = this.shadowRoot.querySelectorAll('.item');
    if (focus.index < 0 || !items.length) {
      const same = this.shadowRoot.querySelector(`[part="${focus.part}"]`);
      if (same) same.focus({ preventScroll: true });
      return;
    }
    const item = items[Math.min(focus.index, items.length - 1)];
    const target = item.querySelector(`[part="${focus.part}"]:not(:disabled)`) || item.querySelector('a');
    if (target) target.focus({ preventScroll: true });
  }

  renderResult(root, instance, result) {
    const { strings, locale } = instance.options;
    const placement = result.placement;
    const level = Math.min(6, Math.max(2, Number(this.getAttribute('heading-level')) || 2));
    const titleId = `${this.uid}-title`;
    const trackId = `${this.uid}-track`;
    const title = fillTemplate(result.title || '', { amount: result.gap !== undefined && result.gap !== null ? instance.formatMoney(result.gap) : '' });
    const rtl = instance.options.direction === 'rtl';
    const step = (direction) => {
      const track = root.querySelector('.track');
      const distance = Math.max(track.clientWidth * 0.9, 1);
      track.scrollBy({ left: (rtl ? -direction : direction) * distance });
    };
    const previous = el('button', { type: 'button', part: 'previous', 'aria-controls': trackId, 'aria-label': strings['suggest.previous'], onclick: () => step(-1) },
      el('span', { class: 'arrow', 'aria-hidden': 'true' }, '‹'));
    const next = el('button', { type: 'button', part: 'next', 'aria-controls': trackId, 'aria-label': strings['suggest.next'], onclick: () => step(1) },
      el('span', { class: 'arrow', 'aria-hidden': 'true' }, '›'));
    const list = el('div', { class: 'track', id: trackId, part: 'track', onscroll: () => this.updateControls(), onkeydown: (event) => this.onKey(event, rtl) });
    const count = result.items.length;
    result.items.forEach((item, index) => {
      const detail = { placement, productId: item.productId, position: item.position, source: result.source, reason: item.reason.code };
      const open = () => instance.events.emit('suggestion-click', { ...detail, action: 'open' });
      const soldOut = item.stock === 0;
      const media = item.image
        ? el('img', { src: item.image, alt: '', loading: 'lazy', decoding: 'async', width: 240, height: 240 })
        : null;
      list.append(el('div', {
        class: 'item', part: 'item', role: 'group', 'data-index': index, 'data-product-id': item.productId,
        'aria-roledescription': strings['suggest.slide'],
        'aria-label': fillTemplate(strings['suggest.position'], { position: formatNumber(index + 1, locale), count: formatNumber(count, locale) }),
      },
      item.url ? el('a', { class: 'media', href: item.url, tabindex: '-1', 'aria-hidden': 'true', onclick: open }, media) : el('div', { class: 'media' }, media),
      item.url ? el('a', { class: 'title', part: 'link', href: item.url, onclick: open }, item.title) : el('span', { class: 'title', part: 'link' }, item.title),
      el('p', { class: 'reason', part: 'reason' }, renderMessage(item.reason.message, instance.options)),
      el('p', { class: 'price', part: 'price', 'data-price': item.price }, instance.formatMoney(item.price)),
      el('button', {
        type: 'button', class: 'add', part: 'add', disabled: soldOut,
        'aria-label': soldOut ? `${item.title}: ${strings['suggest.sold-out']}` : fillTemplate(strings['suggest.add-label'], { title: item.title }),
        onclick: () => this.add(instance, item, detail),
      }, soldOut ? strings['suggest.sold-out'] : strings['suggest.add'])));
    });
    const heading = el(`h${level}`, { id: titleId, part: 'title' }, title);
    root.append(el('section', { part: 'carousel', 'aria-roledescription': strings['suggest.carousel'], 'aria-labelledby': titleId, 'data-placement': placement, 'data-source': result.source },
      el('div', { class: 'head' }, heading, el('div', { class: 'controls', part: 'controls' }, previous, next)),
      list));
  }

  async add(instance, item, detail) {
    instance.events.emit('suggestion-click', { ...detail, action: 'add' });
    try {
      await instance.cart.add(item.productId, 1);
      instance.announce(fillTemplate(instance.options.strings['cart.added'], { title: item.title }));
    } catch (error) {
      instance.reportError(error, { source: 'cartkeep-suggestions', productId: item.productId });
      const strings = instance.options.strings;
      instance.announce(fillTemplate(strings[`errors.${error.code}`] ?? strings['errors.generic'], { title: item.title }));
    }
  }

  // Arrow keys move between products (mirrored right to left), Home and End jump to the ends.
  onKey(event, rtl) {
    const keys = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1, Home: -Infinity, End: Infinity };
    if (!Object.hasOwn(keys, event.key)) return;
    const items = [...this.shadowRoot.querySelectorAll('.item')];
    const current = event.target.closest && event.target.closest('.item');
    if (!current) return;
    const index = Number(current.dataset.index);
    const move = keys[event.key];
    const target = move === -Infinity ? 0 : move === Infinity ? items.length - 1 : Math.min(items.length - 1, Math.max(0, index + move));
    const part = event.target.getAttribute('part') || 'link';
    const focusable = items[target].querySelector(`[part="${part}"]:not(:disabled)`) || items[target].querySelector('[part="link"]');
    if (focusable) {
      event.preventDefault();
      focusable.focus();
      focusable.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }

  // The arrows follow the track's size once the browser has laid it out: reading sizes right after rendering
  // would force a layout in the middle of the page's start-up.
  watchSize(track) {
    if (!track) return;
    if (typeof ResizeObserver !== 'function') {
      this.updateControls();
      return;
    }
    this.sizeObserver = new ResizeObserver(() => this.updateControls());
    this.sizeObserver.observe(track);
  }

  updateControls() {
    const track = this.shadowRoot.querySelector('.track');
    if (!track) return;
    const offset = Math.abs(track.scrollLeft); // negative in right-to-left layouts
    const max = track.scrollWidth - track.clientWidth;
    const previous = this.shadowRoot.querySelector('[part="previous"]');
    const next = this.shadowRoot.querySelector('[part="next"]');
    if (previous) previous.disabled = offset <= 1;
    if (next) next.disabled = offset >= max - 1;
    const controls = this.shadowRoot.querySelector('.controls');
    if (controls) controls.hidden = max <= 1;
  }

  // An impression is half of a product card on screen, once per product while the widget shows the same
  // placement and product.
  observeImpressions() {
    const instance = this.instance;
    const result = this.result;
    const report = (li) => {
      const item = result.items[Number(li.dataset.index)];
      if (!item || this.seen.has(item.productId)) return;
      this.seen.add(item.productId);
      instance.events.emit('suggestion-impression', {
        placement: result.placement, productId: item.productId, position: item.position, source: result.source, reason: item.reason.code,
      });
    };
    const items = this.shadowRoot.querySelectorAll('.item');
    if (typeof IntersectionObserver === 'undefined') {
      items.forEach(report);
      return;
    }
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) if (entry.isIntersecting) report(entry.target);
    }, { threshold: 0.5 });
    items.forEach((li) => this.observer.observe(li));
  }
}
