// <cartkeep-save-status>: "Cart not saved on this device" while storage has failed and the cart lives in
// memory only (private mode, storage disabled or full); hidden otherwise, or "Your cart is saved on this
// device." with the show-saved attribute. The host carries state="unsaved" | "saved" | "memory" for styling.
import { el } from '../platform/base-element.js';
import { PersistElement, persistStyles } from './persist-view.js';

export class SaveStatusElement extends PersistElement {
  static styles = `${persistStyles}
    :host{display:inline-block}
    p{margin:0}`;

  static events = ['persistence'];

  render(root, instance) {
    const persistence = this.persistence();
    if (!persistence) return;
    const { strings } = instance.options;
    const status = persistence.status();
    const state = persistence.unsaved() ? 'unsaved' : status.saved ? 'saved' : 'memory';
    this.setAttribute('state', state);
    const showSaved = this.hasAttribute('show-saved') && state === 'saved';
    this.hidden = state !== 'unsaved' && !showSaved;
    if (this.hidden) return;
    const text = strings[state === 'unsaved' ? 'persist.status.unsaved' : 'persist.status.saved'];
    root.append(el('p', { class: state === 'unsaved' ? 'unsaved' : '', part: 'status', 'data-reason': status.reason }, text));
    // Say it once when the cart stops being saved; the text stays on screen.
    if (state === 'unsaved' && this.spoken !== status.reason) instance.announce(text);
    this.spoken = state === 'unsaved' ? status.reason : null;
  }
}
