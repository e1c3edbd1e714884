// Display helpers: exact money formatting from integer minor units, templates and plurals from the core's strings.

// 123456 minor units with exponent 2 -> "1234.56", built as text so no float ever touches an amount.
export function minorToDecimalString(minor, exponent) {
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = exponent ? digits.slice(0, -exponent) : digits;
  const fraction = exponent ? `.${digits.slice(-exponent)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

// Intl formatters are slow to make (the first time-zone or display-name one loads ICU data): each is made once
// per key and reused.
const formatterCache = new Map();
export function cachedFormatter(key, make) {
  if (!formatterCache.has(key)) formatterCache.set(key, make());
  return formatterCache.get(key);
}

const intlLocales = new Map();

// The tag given to Intl: bare "ar" resolves to Latin digits in current CLDR, while the shop's Arabic texts
// (and the README's "١٫٥٠٠ د.ك.‏") use Arabic-Indic digits; a region or a -u-nu- extension is kept as given.
export function intlLocale(locale) {
  let tag = intlLocales.get(locale);
  if (tag === undefined) {
    tag = locale;
    try {
      const parsed = new Intl.Locale(locale);
      if (parsed.language === 'ar' && !parsed.region && !parsed.numberingSystem) tag = `${locale}-u-nu-arab`;
    } catch {
      // Not a tag Intl knows: Intl falls back on its own.
    }
    intlLocales.set(locale, tag);
  }
  return tag;
}

const formatters = new Map();

export function formatMoney(minor, { currency, currencyExponent, locale }) {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(intlLocale(locale), {
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
  return cachedFormatter(`number|${locale}`, () => new Intl.NumberFormat(intlLocale(locale))).format(value);
}

// "{title} added" + {title: "Mug"}; values are inserted as text, never as markup.
export function fillTemplate(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (match, name) => (Object.hasOwn(values, name) ? String(values[name]) : match));
}

export function pluralText(strings, key, count, locale) {
  const category = cachedFormatter(`plural|${locale}`, () => new Intl.PluralRules(intlLocale(locale))).select(count);
  const template = strings[`${key}.${category}`] ?? strings[`${key}.other`] ?? '';
  return fillTemplate(template, { count: formatNumber(count, locale) });
}
