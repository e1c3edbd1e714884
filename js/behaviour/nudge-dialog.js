// The nudge dialog: a native modal <dialog> in a shadow root (focus stays inside, the page behind is inert,
// Esc closes), labelled and described for screen readers, right-to-left from the options, all text from
// options.strings via textContent. Offers: reassurance (total with delivery from instance.quote when there
// is one), save the cart (a resume link), a time-limited coupon with a countdown, help (chat, WhatsApp,
// phone, email). Returns { close(outcome) }; onClose(outcome) hears "accepted" or "dismissed" once.
import { fillTemplate, formatNumber, intlLocale } from '../platform/format.js';
import { el } from '../platform/base-element.js';
import { navigate } from '../platform/navigate.js';

const STYLES = `:host{all:initial;font:inherit}
  dialog{box-sizing:border-box;max-width:min(28rem,calc(100vw - 2rem));width:100%;border:none;border-radius:.75rem;padding:1.5rem;
    font:inherit;line-height:1.45;color:#1d1d1d;background:var(--cartkeep-surface,#fff);box-shadow:0 1rem 3rem rgba(0,0,0,.3)}
  dialog::backdrop{background:rgba(20,20,20,.45)}
  h2{font-size:1.25rem;margin:0 2rem .5rem 0}
  :host([dir=rtl]) h2{margin:0 0 .5rem 2rem}
  p{margin:.4rem 0}
  ul{list-style:none;padding:0;margin:.75rem 0}
  li{margin:.35rem 0}
  .close{position:absolute;top:.75rem;inset-inline-end:.75rem;border:none;background:none;font-size:1.5rem;line-height:1;cursor:pointer;
    min-width:2.75rem;min-height:2.75rem;border-radius:.4rem;color:inherit}
  .actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1.25rem}
  .primary,.secondary,a.help{font:inherit;white-space:nowrap;border-radius:var(--cartkeep-control-radius,.4rem);padding:.65rem 1rem;min-height:2.75rem;cursor:pointer;text-decoration:none;
    display:inline-flex;align-items:center;justify-content:center}
  .primary{background:var(--cartkeep-accent,#1f6f4a);color:var(--cartkeep-accent-fg,#fff);border:none;font-weight:700}
  .secondary{background:transparent;color:inherit;border:1px solid var(--cartkeep-border,#999)}
  a.help{border:1px solid var(--cartkeep-accent,#1f6f4a);color:var(--cartkeep-accent,#1f6f4a);width:100%;box-sizing:border-box}
  .code{font:700 1.2rem ui-monospace,monospace;letter-spacing:.08em;padding:.4rem .7rem;border:2px dashed #999;border-radius:.4rem;display:inline-block}
  .countdown{font-variant-numeric:tabular-nums;color:#8a1c1c;font-weight:600}
  input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #999;border-radius:.4rem}
  :focus-visible{outline:3px solid var(--cartkeep-focus,var(--cartkeep-accent,#1a5fb4));outline-offset:2px}`;

function clock(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(total / 60);
  const s = String(total % 60).padStart(2, '0');
  return `${m}:${s}`;
}

async function quoteFacts(instance) {
  // instance.quote is another feature; use it when it is there, and never let it break the nudge.
  try {
    if (typeof instance.quote !== 'function') return {};
    const quote = await instance.quote({});
    const method = quote && (quote.method || (Array.isArray(quote.methods) ? quote.methods.find((m) => m.selected) || quote.methods[0] : null));
    const delivery = (quote && quote.delivery) || (method && method.delivery) || null;
    const date = delivery && (delivery.latest || delivery.earliest);
    return { total: quote && Number.isFinite(quote.total) ? quote.total : null, date: date || null };
  } catch {
    return {};
  }
}

// The offer's code goes into the shopper's quote choices (kept with the saved cart, so checkout has it too).
// False when there is no quote or the store's coupon rules refuse the code: the code is still on screen.
async function applyCoupon(instance, code) {
  try {
    if (typeof instance.quote !== 'function' || typeof instance.quote.applyCoupon !== 'function') return false;
    return (await instance.quote.applyCoupon(code)).applied;
  } catch {
    return false;
  }
}

// Waits for the saved cart to be written (at most a second), so the next page restores what was just chosen.
function savedBeforeLeaving(instance) {
  const persistence = instance.persistence;
  if (!persistence || typeof persistence.save !== 'function') return Promise.resolve();
  return Promise.race([persistence.save().catch(() => {}), new Promise((resolve) => { setTimeout(resolve, 1000); })]);
}

function formatDate(iso, locale) {
  const date = new Date(`${String(iso).slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return null;
  return new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(date);
}

async function resumeLink(instance, offer) {
  try {
    const persistence = instance.persistence;
    if (persistence && typeof persistence.resumeLink === 'function') {
      const link = await persistence.resumeLink();
      if (link && (typeof link === 'string' || link.url)) return typeof link === 'string' ? link : link.url;
    }
  } catch {
    // fall through to the configured URL
  }
  return new URL(offer.resumeUrl || location.pathname, location.href).href;
}

// What the dialog shows besides the core's decision, asked before it opens so it opens complete: the quote
// for a reassurance offer, the resume link for a save offer without the share widget.
export async function prepareNudge(instance, nudge) {
  const offer = nudge.offer;
  if (offer.type === 'reassurance' && (offer.showTotal || offer.showDelivery)) return { quote: await quoteFacts(instance) };
  if (offer.type === 'save' && !(typeof customElements !== 'undefined' && customElements.get('cartkeep-share-cart') && instance.persistence)) {
    return { link: await resumeLink(instance, offer) };
  }
  return {};
}

// prepared: prepareNudge()'s answer for this nudge.
export function showNudgeDialog(instance, nudge, { onClose, prepared = {} } = {}) {
  const { strings, direction, locale } = instance.options;
  const offer = nudge.offer;
  const host = document.createElement('div');
  host.setAttribute('data-cartkeep-nudge', nudge.rule);
  host.dir = direction;
  host.lang = locale;
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLES);
  root.adoptedStyleSheets = [sheet];
  const timers = [];
  const listeners = []; // instance listeners to remove on close
  let closed = false;
  const titleId = 'cartkeep-nudge-title';
  const bodyId = 'cartkeep-nudge-body';
  const dialog = el('dialog', { part: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': bodyId, dir: direction, lang: locale });

  function close(outcome) {
    if (closed) return;
    closed = true;
    for (const timer of timers.splice(0)) clearInterval(timer);
    for (const off of listeners.splice(0)) off();
    document.removeEventListener('visibilitychange', onVisibility);
    if (dialog.open) dialog.close();
    host.remove();
    if (onClose) onClose(outcome);
  }

  const checkoutUrl = offer.checkoutUrl;
  const accept = el('button', { type: 'button', class: 'primary', part: 'accept' }, strings['nudge.continue']);
  accept.addEventListener('click', () => {
    close('accepted');
    if (checkoutUrl) navigate(instance, checkoutUrl, 'nudge');
  });
  const dismiss = el('button', { type: 'button', class: 'secondary', part: 'dismiss' }, strings['nudge.dismiss']);
  dismiss.addEventListener('click', () => close('dismissed'));
  const closeButton = el('button', { type: 'button', class: 'close', part: 'close', 'aria-label': strings['nudge.close'] }, '×');
  closeButton.addEventListener('click', () => close('dismissed'));
  // Esc: the native dialog fires `cancel`; we close it ourselves so the outcome is recorded.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    close('dismissed');
  });
  // A click on the backdrop (outside the dialog box) dismisses too.
  dialog.addEventListener('click', (event) => { if (event.target === dialog) close('dismissed'); });

  const title = el('h2', { id: titleId });
  const body = el('div', { id: bodyId });
  const actions = el('div', { class: 'actions' });

  if (offer.type === 'reassurance') {
    title.textContent = strings['nudge.reassurance.title'];
    body.append(el('p', {}, strings['nudge.reassurance.body']));
    const facts = el('ul', { part: 'facts' });
    const quote = prepared.quote || {};
    if (offer.showTotal) {
      if (quote.total !== null && quote.total !== undefined) {
        facts.append(el('li', { 'data-total': quote.total }, fillTemplate(strings['nudge.reassurance.total'], { total: instance.formatMoney(quote.total) })));
      } else {
        const subtotal = instance.cart.subtotal();
        facts.append(el('li', { 'data-subtotal': subtotal }, fillTemplate(strings['nudge.reassurance.subtotal'], { total: instance.formatMoney(subtotal) })));
      }
    }
    if (offer.showDelivery && quote.date) {
      const date = formatDate(quote.date, locale);
      if (date) facts.append(el('li', { 'data-delivery': quote.date }, fillTemplate(strings['nudge.reassurance.delivery'], { date })));
    }
    if (offer.returnsDays) facts.append(el('li', {}, fillTemplate(strings['nudge.reassurance.returns'], { days: formatNumber(offer.returnsDays, locale) })));
    if (facts.childElementCount) body.append(facts);
    actions.append(accept, dismiss);
  } else if (offer.type === 'save' && customElements.get('cartkeep-share-cart') && instance.persistence) {
    // The share-cart widget: copy, email, WhatsApp to oneself. Using any of them accepts the offer.
    title.textContent = strings['nudge.save.title'];
    const share = document.createElement('cartkeep-share-cart');
    share.setAttribute('part', 'share');
    share.setAttribute('heading-level', '3');
    const offShare = instance.on('share', (detail) => {
      if (detail && detail.method === 'copy' && detail.copied) instance.announce(strings['nudge.save.copied']);
      close('accepted');
    });
    listeners.push(offShare);
    body.append(el('p', {}, strings['nudge.save.body']), share);
    actions.append(dismiss);
  } else if (offer.type === 'save') {
    title.textContent = strings['nudge.save.title'];
    const link = prepared.link;
    const input = el('input', { type: 'url', readonly: true, value: link, 'aria-label': strings['nudge.save.link'], part: 'link' });
    const copy = el('button', { type: 'button', class: 'primary', part: 'copy' }, strings['nudge.save.copy']);
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(link);
      } catch {
        input.select();
      }
      copy.textContent = strings['nudge.save.copied'];
      instance.announce(strings['nudge.save.copied']);
      close('accepted');
    });
    body.append(el('p', {}, strings['nudge.save.body']), input);
    actions.append(copy, dismiss);
  } else if (offer.type === 'coupon') {
    const discount = offer.percentOff
      ? new Intl.NumberFormat(intlLocale(locale), { style: 'percent' }).format(offer.percentOff / 100)
      : instance.formatMoney(offer.amountOff);
    title.textContent = fillTemplate(strings['nudge.coupon.title'], { discount });
    const countdown = el('p', { class: 'countdown', part: 'countdown', role: 'timer', 'aria-live': 'off' });
    const code = el('span', { class: 'code', part: 'code' }, offer.code);
    // On checkout the code applies to the order on screen; elsewhere it applies and the shopper goes on to checkout.
    const onCheckout = nudge.page === 'checkout';
    body.append(el('p', {}, strings[onCheckout ? 'nudge.coupon.bodyCheckout' : 'nudge.coupon.body']),
      el('p', { 'aria-label': fillTemplate(strings['nudge.coupon.code'], { code: offer.code }) }, code), countdown);
    const copy = el('button', { type: 'button', class: 'primary', part: 'copy' }, strings[onCheckout ? 'nudge.coupon.apply' : 'nudge.coupon.copy']);
    copy.addEventListener('click', async () => {
      const applied = await applyCoupon(instance, offer.code);
      if (!onCheckout) {
        try {
          await navigator.clipboard.writeText(offer.code);
        } catch {
          // the code is on screen, and applied when the quote took it
        }
      }
      instance.announce(applied ? fillTemplate(strings['nudge.coupon.applied'], { code: offer.code }) : strings['nudge.coupon.copied']);
      close('accepted');
      if (checkoutUrl && !onCheckout) {
        await savedBeforeLeaving(instance); // the applied code travels to checkout with the saved cart
        navigate(instance, checkoutUrl, 'nudge');
      }
    });
    // The countdown runs only while the dialog is open and the page visible.
    const render = () => {
      const left = offer.expiresAt - Date.now();
      countdown.textContent = left > 0 ? fillTemplate(strings['nudge.coupon.countdown'], { time: clock(left) }) : strings['nudge.coupon.expired'];
      if (left <= 0) copy.disabled = true;
      return left > 0;
    };
    const start = () => {
      if (timers.length || !render()) return;
      timers.push(setInterval(() => { if (!render()) stop(); }, 1000));
    };
    const stop = () => { for (const timer of timers.splice(0)) clearInterval(timer); };
    host.startTimers = start;
    host.stopTimers = stop;
    start();
    actions.append(copy, dismiss);
  } else if (offer.type === 'help') {
    title.textContent = strings['nudge.help.title'];
    body.append(el('p', {}, strings['nudge.help.body']));
    const links = el('ul', { part: 'links' });
    const link = (href, text, kind) => {
      const a = el('a', { class: 'help', href, 'data-help': kind, rel: 'noopener', target: kind === 'chat' || kind === 'whatsapp' ? '_blank' : null }, text);
      a.addEventListener('click', () => close('accepted'));
      links.append(el('li', {}, a));
    };
    if (offer.chatUrl) link(offer.chatUrl, strings['nudge.help.chat'], 'chat');
    if (offer.whatsapp) link(`https://wa.me/${offer.whatsapp.replace(/\D/g, '')}`, strings['nudge.help.whatsapp'], 'whatsapp');
    if (offer.phone) link(`tel:${offer.phone.replace(/[^\d+]/g, '')}`, fillTemplate(strings['nudge.help.phone'], { phone: offer.phone }), 'phone');
    if (offer.email) link(`mailto:${offer.email}`, strings['nudge.help.email'], 'email');
    body.append(links);
    actions.append(dismiss);
  }

  const onVisibility = () => {
    if (!host.stopTimers) return;
    if (document.visibilityState === 'hidden') host.stopTimers();
    else host.startTimers();
  };
  document.addEventListener('visibilitychange', onVisibility);

  dialog.append(closeButton, title, body, actions);
  root.append(dialog);
  document.body.append(host);
  dialog.showModal();
  // Focus the main action, not the close button: the shopper can act at once; Tab stays in the dialog.
  (actions.querySelector('.primary') || actions.querySelector('button') || closeButton).focus();
  return { close, element: host };
}
