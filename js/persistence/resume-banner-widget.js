// <cartkeep-resume-banner>: greets a returning shopper ("Welcome back: your cart, 3 items, £42.10, is saved.")
// with Resume and Dismiss, lists what changed since the cart was saved (price changed from X to Y, out of
// stock, no longer sold, unknown ids from a link), and says when a cart link could not be read. Hidden when
// there is nothing to say. New banners are read out through the page's polite live region.
// Attribute: return-focus="selector" (default "main"): where keyboard focus goes after Dismiss or Resume.
import { describeNotice } from './persistence.js';
import { fillTemplate, pluralText } from '../platform/format.js';
import { el } from '../platform/base-element.js';
import { PersistElement, persistStyles, unsavedNote } from './persist-view.js';

const MESSAGES = {
  returning: 'persist.banner.welcome',
  changes: 'persist.banner.changes',
  link: 'persist.banner.link',
  'link-invalid': 'persist.banner.link-invalid',
};

export class ResumeBannerElement extends PersistElement {
  static styles = `${persistStyles}
    .box{border-inline-start:.3rem solid var(--cartkeep-accent,#1f6f4a)}
    .message{font-weight:600}
    .notices{font-size:.95em}`;

  static events = ['banner', 'cart-change', 'persistence'];

  render(root, instance) {
    const persistence = this.persistence();
    const banner = persistence ? persistence.banner() : null;
    this.hidden = !banner;
    if (!banner) {
      this.announced = null;
      return;
    }
    const { strings, locale } = instance.options;
    const cart = banner.cart;
    const message = fillTemplate(strings[MESSAGES[banner.reason]] ?? strings['persist.banner.changes'], {
      items: pluralText(strings, 'cart.count', cart.count, locale),
      total: instance.formatMoney(cart.subtotal),
    });
    const notices = banner.notices.map((notice) => describeNotice(notice, instance));
    const box = el('section', {
      class: 'box', part: 'banner', 'aria-label': strings['persist.banner.label'], 'data-reason': banner.reason,
    }, el('p', { class: 'message', part: 'message' }, message));
    if (notices.length) {
      const list = el('ul', { class: 'notices', part: 'notices' });
      banner.notices.forEach((notice, i) => list.append(el('li', { 'data-kind': notice.kind, 'data-product-id': notice.productId ?? null }, notices[i])));
      box.append(list);
    }
    const note = unsavedNote(instance);
    if (note) box.append(note);
    const actions = el('div', { class: 'actions', part: 'actions' });
    if (banner.reason !== 'link-invalid' && cart.lines.length) {
      actions.append(el('button', { type: 'button', class: 'primary', part: 'resume', onclick: () => this.act(() => persistence.resume()) },
        strings['persist.banner.resume']));
    }
    actions.append(el('button', { type: 'button', class: 'secondary', part: 'dismiss', onclick: () => this.act(() => persistence.dismissBanner()) },
      strings['persist.banner.dismiss']));
    box.append(actions);
    root.append(box);

    // Read the banner out once when it appears or its news change; not again when only the cart's total moves.
    const news = JSON.stringify([banner.reason, banner.notices]);
    if (news !== this.announced) {
      this.announced = news;
      instance.announce([message, ...notices].join(' '));
    }
  }

  // Resume and Dismiss remove the banner: keyboard focus moves on to the page instead of being lost.
  act(action) {
    const hadFocus = this.shadowRoot.activeElement !== null;
    action();
    if (!hadFocus || typeof document === 'undefined') return;
    let target = null;
    try {
      target = document.querySelector(this.getAttribute('return-focus') || 'main');
    } catch {
      // not a selector: the browser keeps focus where it can
    }
    if (!target) return;
    if (!target.hasAttribute('tabindex') && !target.matches('a[href],button,input,select,textarea')) target.setAttribute('tabindex', '-1');
    target.focus();
  }
}
