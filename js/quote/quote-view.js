// Shared rendering helpers for the quote widgets: every text goes through textContent (el()).
import { el } from '../platform/base-element.js';
import { intlLocale } from '../platform/format.js';

export function joinList(parts, locale) {
  try {
    return new Intl.ListFormat(intlLocale(locale), { type: 'unit', style: 'short' }).format(parts);
  } catch {
    return parts.join(', ');
  }
}

// The first letter in the locale's upper case: joined fragments ("shipping £3.95, total £24.90") start a sentence.
export function sentenceStart(text, locale) {
  const first = String.fromCodePoint(text.codePointAt(0) ?? 32);
  return text ? first.toLocaleUpperCase(locale) + text.slice(first.length) : text;
}

export function destinationText(instance, quote) {
  const country = instance.quote.message({ key: 'preview.destination', values: { destination: { country: quote.destination.country } } });
  return country;
}

export function deliveryLines(instance, quote) {
  if (!quote.delivery) return [];
  const out = [el('p', { class: 'arrives', part: 'delivery' }, instance.quote.message(quote.delivery.message))];
  if (quote.delivery.countdown) out.push(el('p', { class: 'countdown', part: 'countdown' }, instance.quote.message(quote.delivery.countdown)));
  if (quote.delivery.why) out.push(el('p', { class: 'muted why', part: 'delivery-why' }, instance.quote.message(quote.delivery.why)));
  return out;
}

export const sharedStyles = `:host{display:block;font:inherit;color:inherit}
  .muted{color:var(--cartkeep-muted,color-mix(in srgb,currentColor 75%,transparent))}
  .alert{padding:.6em .8em;border-radius:.4em;background:#fdecea;color:#7a1c12;margin:.5em 0}
  .arrives{margin:.35em 0 0;font-weight:600;color:var(--cartkeep-accent,#1f6f4a)}
  .countdown{margin:.2em 0 0;font-size:.9em}
  .amount{font-variant-numeric:tabular-nums;white-space:nowrap}`;
