// A visually hidden polite live region so screen readers hear "Mug added to your cart".
export class LiveRegion {
  constructor(direction, locale) {
    this.element = document.createElement('div');
    this.element.setAttribute('role', 'status');
    this.element.setAttribute('aria-live', 'polite');
    this.element.setAttribute('data-cartkeep-live-region', '');
    this.element.dir = direction;
    this.element.lang = locale;
    Object.assign(this.element.style, {
      position: 'absolute', width: '1px', height: '1px', overflow: 'hidden',
      clip: 'rect(0 0 0 0)', clipPath: 'inset(50%)', whiteSpace: 'nowrap',
    });
    document.body.append(this.element);
  }

  announce(text) {
    this.element.textContent = '';
    // A fresh text node after a tick makes repeated identical messages announce again.
    setTimeout(() => { if (this.element) this.element.textContent = text; }, 50);
  }

  remove() {
    this.element.remove();
    this.element = null;
  }
}
