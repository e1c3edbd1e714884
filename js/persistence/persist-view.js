// Shared by the saved-cart widgets (resume banner, share cart, save status): styles, a base that keeps
// keyboard focus on the same control across re-renders, and the "not saved on this device" note.
import { CartKeepElement, el } from '../platform/base-element.js';

export const persistStyles = `:host{display:block;font:inherit;color:inherit}
  :host([hidden]){display:none}
  .box{box-sizing:border-box;border:1px solid var(--cartkeep-border,#c9c9c9);border-radius:.5rem;padding:.75rem 1rem;
    background:var(--cartkeep-surface,#fff)}
  p{margin:0 0 .5em}
  ul{margin:.25em 0 .75em;padding-inline-start:1.25em}
  li{margin:.15em 0}
  .actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
  button,a.action{font:inherit;border-radius:.4rem;padding:.5rem .9rem;min-height:2.75rem;min-width:2.75rem;cursor:pointer;
    display:inline-flex;align-items:center;justify-content:center;text-decoration:none;box-sizing:border-box}
  .primary{background:var(--cartkeep-accent,#1f6f4a);color:#fff;border:1px solid var(--cartkeep-accent,#1f6f4a);font-weight:700}
  .secondary,a.action{background:transparent;color:inherit;border:1px solid #8a8a8a}
  .unsaved{color:#8a1c1c;font-weight:600}
  input{font:inherit;width:100%;box-sizing:border-box;padding:.45rem;border:1px solid #8a8a8a;border-radius:.4rem;direction:ltr}
  :focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}`;

export class PersistElement extends CartKeepElement {
  // Events come in bursts (a restore emits cart-change, banner and persistence; a coupon changes the quote and
  // then the saved stage): render once, after the burst, so every listener has run.
  update() {
    if (this.renderPending) return;
    this.renderPending = true;
    queueMicrotask(() => {
      this.renderPending = false;
      if (this.shadowRoot) this.renderNow();
    });
  }

  // Re-rendering replaces the shadow content; the control that had focus (by its part name) gets it back,
  // so a change from another tab never throws a keyboard user out of the widget.
  renderNow() {
    const active = this.shadowRoot.activeElement;
    const part = active && active.getAttribute('part');
    super.update();
    if (part) {
      const again = this.shadowRoot.querySelector(`[part="${part}"]`);
      if (again && typeof again.focus === 'function') again.focus();
    }
  }

  persistence() {
    const persistence = this.instance && this.instance.persistence;
    return persistence && typeof persistence.banner === 'function' ? persistence : null;
  }
}

// The visible state for a cart kept in memory only because storage failed; null when the cart is saved.
export function unsavedNote(instance) {
  const persistence = instance.persistence;
  if (!persistence || !persistence.unsaved()) return null;
  return el('p', { class: 'unsaved', part: 'unsaved', role: 'note', 'data-reason': persistence.status().reason },
    instance.options.strings['persist.status.unsaved']);
}
