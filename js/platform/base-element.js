// Base for <cartkeep-*> elements: shadow DOM styled with a constructable sheet (allowed under a strict
// style-src CSP), follows the current instance, re-renders on the events it names, all text via textContent.
import { currentInstance, watchInstance } from './widget-registry.js';

const HTMLElementBase = typeof HTMLElement === 'undefined' ? class {} : HTMLElement;

export class CartKeepElement extends HTMLElementBase {
  static styles = '';
  static events = ['cart-change'];

  connectedCallback() {
    if (!this.shadowRoot) {
      this.attachShadow({ mode: 'open' });
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(this.constructor.styles);
      this.shadowRoot.adoptedStyleSheets = [sheet];
    }
    this.stopWatching = watchInstance((instance) => this.follow(instance));
    this.follow(currentInstance());
  }

  disconnectedCallback() {
    if (this.stopWatching) this.stopWatching();
    this.follow(null);
  }

  follow(instance) {
    if (this.unsubscribe) this.unsubscribe();
    this.unsubscribe = null;
    this.instance = instance;
    if (instance) {
      const offs = this.constructor.events.map((name) => instance.on(name, () => this.update()));
      this.unsubscribe = () => offs.forEach((off) => off());
      this.dir = instance.options.direction;
      this.lang = instance.options.locale;
    }
    if (this.shadowRoot) this.update();
  }

  update() {
    this.shadowRoot.replaceChildren();
    if (this.instance) this.render(this.shadowRoot, this.instance);
  }

  render() {}
}

// Small DOM builder: el('button', {type: 'button', 'aria-label': label}, 'text', child)
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function defineElement(name, constructor) {
  if (typeof customElements !== 'undefined' && !customElements.get(name)) customElements.define(name, constructor);
}
