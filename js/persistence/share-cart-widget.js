// <cartkeep-share-cart>: the cart's resume link to keep or send: Copy link (clipboard), Email (mailto:) and
// WhatsApp to oneself (a wa.me link with the cart summary). The link carries the products, quantities and the
// saved stage (checkout step, coupon), so it brings the shopper back to the same place on any device.
// Shows "Cart not saved on this device" when storage failed: the link is then the way to keep the cart.
// Attributes: step="checkout" (the link opens that step instead of the saved one), heading-level (default 2).
import { CartKeepError } from '../engine/errors.js';
import { el } from '../platform/base-element.js';
import { PersistElement, persistStyles, unsavedNote } from './persist-view.js';

let uid = 0;

export class ShareCartElement extends PersistElement {
  static styles = `${persistStyles}
    .title{font-weight:700;margin-bottom:.5em}
    label{display:block;font-size:.9em;margin-bottom:.25em}
    .link{margin-bottom:.6em}
    .status{min-height:1.3em;margin:.5em 0 0;font-size:.9em}`;

  static events = ['restore', 'cart-change', 'persistence', 'quote-change']; // the stage and coupon are part of the link

  // The link to share: {shared} or {error} (link-too-long for a cart no link can hold).
  async load(instance) {
    const persistence = this.persistence();
    if (!persistence || !instance.cart.count()) return null;
    const step = this.getAttribute('step');
    try {
      // A standing view the core keeps current: every cart action brings the new link with it.
      const view = this.standingView(instance, { kind: 'resume-link', request: step ? { step } : {} });
      return { shared: persistence.shareFrom(persistence.linkFrom(await view.current())) };
    } catch (error) {
      return { error };
    }
  }

  render(root, instance, loaded) {
    const { strings } = instance.options;
    const persistence = this.persistence();
    if (!persistence) return;
    const level = Math.min(6, Math.max(1, Number.parseInt(this.getAttribute('heading-level') || '2', 10) || 2));
    const box = el('section', { class: 'box', part: 'share' },
      el('p', { class: 'title', part: 'title', role: 'heading', 'aria-level': level }, strings['persist.share.title']));
    root.append(box);
    const note = unsavedNote(instance);
    if (note) box.append(note);
    if (!instance.cart.count()) {
      box.append(el('p', { part: 'empty' }, strings['persist.share.empty']));
      return;
    }
    const { shared, error } = loaded || {};
    if (!shared && !error) return; // asked while the cart was empty: the change that filled it renders again
    if (error) {
      const tooLong = error instanceof CartKeepError && error.code === 'link-too-long';
      box.append(el('p', { part: 'error', 'data-code': error.code || null }, strings[tooLong ? 'persist.share.too-long' : 'errors.generic']));
      if (!tooLong) instance.reportError(error, { source: 'share-cart' });
      return;
    }
    const id = `cartkeep-share-link-${(this.uid ??= ++uid)}`;
    // A URL reads left to right in every locale, so the box shows the start of the link in right-to-left pages too.
    const input = el('input', { id, type: 'url', dir: 'ltr', readonly: true, value: shared.url, part: 'link', spellcheck: 'false' });
    const status = el('p', { class: 'status', part: 'status', role: 'status', 'aria-live': 'polite' });
    const copy = el('button', { type: 'button', class: 'primary', part: 'copy' }, strings['persist.share.copy']);
    copy.addEventListener('click', () => this.copy(shared.url, input, status));
    box.append(
      el('div', { class: 'link' }, el('label', { for: id }, strings['persist.share.link-label']), input),
      el('div', { class: 'actions', part: 'actions' },
        copy,
        el('a', { class: 'action', part: 'email', href: shared.mailto, onclick: () => this.shared('email') }, strings['persist.share.email']),
        el('a', { class: 'action', part: 'whatsapp', href: shared.whatsapp, target: '_blank', rel: 'noopener noreferrer',
          onclick: () => this.shared('whatsapp') }, strings['persist.share.whatsapp'])),
      status);
  }

  // The clipboard can refuse (no permission, an insecure page): the link is then selected to copy by hand.
  async copy(url, input, status) {
    const { strings } = this.instance.options;
    let copied = false;
    try {
      if (navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
        await navigator.clipboard.writeText(url);
        copied = true;
      }
    } catch {
      copied = false;
    }
    if (!copied) {
      input.focus();
      input.select();
    }
    status.textContent = strings[copied ? 'persist.share.copied' : 'persist.share.copy-failed'];
    status.setAttribute('data-outcome', copied ? 'copied' : 'select');
    this.shared('copy', copied);
  }

  // `share` event: {method: copy | email | whatsapp, copied?}; never the link itself.
  shared(method, copied) {
    if (this.instance) this.instance.events.emit('share', method === 'copy' ? { method, copied } : { method });
  }
}
