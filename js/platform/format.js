// Display helpers: exact money formatting from integer minor units, templates and plurals from the core's strings.

// 123456 minor units with exponent 2 -> "1234.56", built as text so no float ever touches an amount.
export function minorToDecimalString(minor, exponent) {
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = exponent ? digits.slice(0, -exponent) : digits;
  const fraction = exponent ? `.${digits.slice(-exponent)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

const formatters = new Map();

export function formatMoney(minor, { currency, currencyExponent, locale }) {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: currencyExponent,
      maximumFractionDigits: currencyExponent,
    });
    formatters.set(key, formatter);
  }
  // Intl formats decimal strings exactly (ES2023); the string keeps amounts beyond 2^53 intact.
  return formatter.format(minorToDecimalString(minor, currencyExponent));
}

export function formatNumber(value, locale) {
  return new Intl.NumberFormat(locale).format(value);
}

// "{title} added" + {title: "Mug"}; values are inserted as text, never as markup.
export function fillTemplate(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

export function pluralText(strings, key, count, locale) {
  const category = new Intl.PluralRules(locale).select(count);
  const template = strings[`${key}.${category}`] ?? strings[`${key}.other`] ?? '';
  return fillTemplate(template, { count: formatNumber(count, locale) });
}
