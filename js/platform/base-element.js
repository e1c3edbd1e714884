// Base for <cartkeep-*> elements: shadow DOM styled with a constructable sheet (allowed under a strict
// style-src CSP), follows the current instance, re-renders on the events it names, all text via textContent.
import { lastView } from './last-view.js';
import { latestAnswer, supersedeAnswers } from './latest-answer.js';
import { rememberedHeight, trackLayout, untrackLayout } from './layout-memory.js';
import { currentInstance, watchInstance } from './widget-registry.js';

// Every widget takes the page's font and colours; the shop tunes the rest with the --cartkeep-* custom
// properties (README, "Theming"). An unset property leaves the inherited value (accent-color inherits).
export const themeStyles = `:host{font:inherit;color:inherit}
  button,input,select,textarea{font:inherit;color:inherit}
  input:not([type=radio]):not([type=checkbox]),select{box-sizing:border-box;min-height:2.25em;padding:.35em .6em;
    border:1px solid var(--cartkeep-border,color-mix(in srgb,currentColor 35%,transparent));
    border-radius:var(--cartkeep-control-radius,.4em);background:var(--cartkeep-surface,transparent)}
  button{white-space:nowrap;border-radius:var(--cartkeep-control-radius,.4em)}
  input[type=radio],input[type=checkbox],progress{accent-color:var(--cartkeep-accent)}
  :focus-visible{outline:3px solid var(--cartkeep-focus,var(--cartkeep-accent,Highlight));outline-offset:2px}
`;

const HTMLElementBase = typeof HTMLElement === 'undefined' ? class {} : HTMLElement;

// Style sheets are parsed once and shared: the theme's by every widget, each class's own by its instances
// (parsing them per element, or the theme once per class, was most of the widgets' start-up time on the main
// thread).
const styleSheets = new WeakMap();
function parsedSheet(text) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  return sheet;
}
let themeSheet = null;
function styleSheetsOf(widgetClass) {
  let sheets = styleSheets.get(widgetClass);
  if (!sheets) {
    themeSheet ||= parsedSheet(themeStyles);
    sheets = [themeSheet, parsedSheet(widgetClass.styles)];
    styleSheets.set(widgetClass, sheets);
  }
  return sheets;
}

export class CartKeepElement extends HTMLElementBase {
  static styles = '';
  static events = ['cart-change'];

  connectedCallback() {
    if (!this.shadowRoot) {
      this.attachShadow({ mode: 'open' });
      this.shadowRoot.adoptedStyleSheets = styleSheetsOf(this.constructor);
    }
    this.stopWatching = watchInstance((instance) => this.follow(instance));
    trackLayout(this);
    this.follow(currentInstance());
  }

  disconnectedCallback() {
    this.closeView();
    untrackLayout(this);
    if (this.stopWatching) this.stopWatching();
    this.follow(null);
  }

  follow(instance) {
    if (this.standing && this.standing.instance !== instance) this.closeView();
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

  // A widget with `load(instance)` (a promise of what it shows: the engine may answer from a worker) keeps
  // what it shows until the answer arrives, then renders it with render(root, instance, loaded); an answer
  // that a newer update superseded is dropped. Without `load`, render(root, instance) runs at once.
  update() {
    if (this.instance && this.load) {
      const instance = this.instance;
      latestAnswer(this, () => this.load(instance)).then((answer) => {
        if (!answer) return;
        this.shadowRoot.replaceChildren();
        this.toggleAttribute('data-last-view', false);
        this.render(this.shadowRoot, instance, answer.error ? { error: answer.error } : answer.value);
      });
      return;
    }
    supersedeAnswers(this);
    this.shadowRoot.replaceChildren();
    this.toggleAttribute('data-last-view', false);
    if (this.instance) {
      this.render(this.shadowRoot, this.instance);
      return;
    }
    // Until the engine is ready (or for good, when it cannot start): what this widget showed last in this
    // visit, inert; else the height it had on this page last time (CSP-safe CSSOM style).
    const shown = lastView(this);
    if (shown) {
      this.shadowRoot.append(...shown);
      this.toggleAttribute('data-last-view', true);
      return;
    }
    const height = rememberedHeight(this);
    if (height) {
      const placeholder = document.createElement('div');
      placeholder.setAttribute('part', 'placeholder');
      placeholder.setAttribute('aria-hidden', 'true');
      placeholder.style.blockSize = `${height}px`;
      this.shadowRoot.append(placeholder);
    }
  }

  render() {}

  // The standing view this widget shows (js/engine/views.js): registered when the spec first differs from the
  // one registered (the widget connects, its attributes change), then read from the page's copy, which the
  // core's answers keep current. Returns the view's handle.
  standingView(instance, spec) {
    const text = JSON.stringify(spec);
    if (this.standing && this.standing.instance === instance && this.standing.text === text) return this.standing.handle;
    this.closeView();
    const handle = instance.views.open(spec, () => this.update());
    this.standing = { instance, text, handle };
    return handle;
  }

  closeView() {
    if (this.standing) this.standing.handle.close();
    this.standing = null;
  }
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
