// <cartkeep-destination-picker>: country (names from Intl.DisplayNames in the store locale) and postcode;
// the choice is remembered (localStorage) and every quote widget follows it.
// <cartkeep-destination-picker country-from="#country" postcode-from="#postcode">: no fields of its own; it
// follows the page's address fields (a checkout form) and fills them from the remembered destination.
import { formatValue } from '../platform/message.js';
import { fillTemplate } from '../platform/format.js';

import { CartKeepElement, el } from '../platform/base-element.js';
import { sharedStyles } from './quote-view.js';

let uid = 0;

export class DestinationPickerElement extends CartKeepElement {
  static styles = `${sharedStyles}
    form{display:flex;flex-wrap:wrap;gap:.5em;align-items:end}
    fieldset{border:none;margin:0;padding:0;display:contents}
    legend{font-weight:700;width:100%;padding:0}
    label{display:flex;flex-direction:column;gap:.2em;font-size:.9em}
    select,input{min-width:8em}
    button{padding:.4em .9em;border:1px solid var(--cartkeep-accent,currentColor);background:var(--cartkeep-surface,transparent);color:var(--cartkeep-accent,inherit);cursor:pointer;font-weight:600}
    .error{color:#7a1c12;width:100%;margin:0}`;

  static events = [];

  connectedCallback() {
    super.connectedCallback();
    if (!this.hasAttribute('country-from')) return;
    this.onFieldChange = (event) => {
      const { country, postcode } = this.fields();
      if (!(event.target === country || event.target === postcode) || !this.instance) return;
      const instance = this.instance;
      instance.quote.setDestination({ country: country ? country.value : '', postcode: postcode ? postcode.value : '' })
        .catch((failure) => instance.reportError(failure, { source: this.localName }));
    };
    document.addEventListener('change', this.onFieldChange);
  }

  disconnectedCallback() {
    if (this.onFieldChange) document.removeEventListener('change', this.onFieldChange);
    super.disconnectedCallback();
  }

  fields() {
    const find = (name) => (this.getAttribute(name) ? document.querySelector(this.getAttribute(name)) : null);
    return { country: find('country-from'), postcode: find('postcode-from') };
  }

  // The picker shows the page's copy of the destination, once the one saved on an earlier page is back.
  load(instance) {
    return instance.quote.ready;
  }

  render(root, instance) {
    const { strings, locale } = instance.options;
    if (this.hasAttribute('country-from')) {
      // Bound to the page's fields: show the remembered destination in them, render nothing here.
      const { country, postcode } = this.fields();
      const current = instance.quote.destination();
      if (country && [...(country.options || [])].some((o) => o.value === current.country)) country.value = current.country;
      if (postcode && !postcode.value && current.postcode) postcode.value = current.postcode;
      return;
    }
    const id = (this.uid ??= ++uid);
    const current = this.draft || instance.quote.destination();
    this.draft = null;
    const countries = instance.quote.countries()
      .map((code) => ({ code, name: formatValue({ country: code }, { locale }) }))
      .sort((a, b) => a.name.localeCompare(b.name, locale));
    const select = el('select', { id: `ck-country-${id}`, name: 'country', autocomplete: 'country' },
      ...countries.map(({ code, name }) => el('option', { value: code, selected: code === current.country }, name)));
    const error = el('p', { class: 'error', role: 'alert', part: 'error', id: `ck-postcode-error-${id}` }, this.error || '');
    const postcode = el('input', {
      id: `ck-postcode-${id}`, name: 'postcode', type: 'text', autocomplete: 'postal-code', value: current.postcode, size: 10,
      'aria-invalid': this.error ? 'true' : null, 'aria-describedby': this.error ? error.id : null,
    });
    root.append(el('form', {
      part: 'form',
      onsubmit: async (event) => {
        event.preventDefault();
        this.error = '';
        try {
          await instance.quote.setDestination({ country: select.value, postcode: postcode.value });
        } catch (failure) {
          instance.reportError(failure, { source: this.localName });
          this.error = failure && failure.path === 'request.destination.postcode'
            ? fillTemplate(strings['picker.postcodeInvalid'], { country: formatValue({ country: select.value }, { locale }) })
            : strings['errors.generic'];
          this.draft = { country: select.value, postcode: postcode.value }; // keep what was typed, to correct it
        }
        this.update();
      },
    }, el('fieldset', {}, el('legend', {}, strings['picker.title']),
      el('label', { for: `ck-country-${id}` }, strings['picker.country'], select),
      el('label', { for: `ck-postcode-${id}` }, strings['picker.postcode'], postcode),
      el('button', { type: 'submit' }, strings['picker.save'])), error));
  }
}
