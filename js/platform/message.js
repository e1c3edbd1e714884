// Shopper-facing text from the core: every feature's text arrives as {key, values} (a quote's labels and coupon
// messages, persistence's notices, suggestion reasons), and this is the one place it becomes text, from
// options.strings, with each value formatted for the locale. Always plain text, never markup.
import { cachedFormatter, fillTemplate, formatMoney, formatNumber, intlLocale } from './format.js';
import { knownText } from './value-texts.js';

function dateFromIso(text) {
  const [y, m, d] = text.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function dateFormat(locale) {
  return cachedFormatter(`date|${locale}`, () => new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }));
}

export function formatDuration(minutes, locale) {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const unit = (value, name) => cachedFormatter(`unit|${locale}|${name}`, () => new Intl.NumberFormat(intlLocale(locale), { style: 'unit', unit: name, unitDisplay: 'short' })).format(value);
  const parts = [];
  if (hours) parts.push(unit(hours, 'hour'));
  if (rest || !hours) parts.push(unit(rest, 'minute'));
  return cachedFormatter(`list|${locale}|unit`, () => new Intl.ListFormat(intlLocale(locale), { type: 'unit', style: 'narrow' })).format(parts);
}

export function countryName(code, locale) {
  if (!code) return '';
  try {
    return cachedFormatter(`region|${locale}`, () => new Intl.DisplayNames(intlLocale(locale), { type: 'region' })).of(code) || code;
  } catch {
    return code;
  }
}

// One value from the core's message data: {money}, {number}, {date}, {dateRange}, {minutes}, {clock}, {country},
// {list}, {percent}; a plain string or number goes in as it is. A text the engine sent (value-texts.js) is used
// as it is.
export function formatValue(value, options) {
  const { locale } = options;
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  const known = knownText(locale, value);
  if (known !== undefined) return known;
  if ('money' in value) return formatMoney(value.money, options);
  if ('number' in value) return formatNumber(value.number, locale);
  if ('date' in value) return dateFormat(locale).format(dateFromIso(value.date));
  if ('dateRange' in value) {
    const [from, to] = value.dateRange.map(dateFromIso);
    return from.getTime() === to.getTime() ? dateFormat(locale).format(from) : dateFormat(locale).formatRange(from, to);
  }
  if ('minutes' in value) return formatDuration(value.minutes, locale);
  if ('clock' in value) {
    // A local time of day (minutes after midnight), e.g. the cut-off "14:00", in the locale's own style.
    const at = new Date(Date.UTC(2000, 0, 1, Math.floor(value.clock / 60), value.clock % 60));
    return cachedFormatter(`clock|${locale}`, () => new Intl.DateTimeFormat(intlLocale(locale), { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' })).format(at);
  }
  if ('country' in value) return countryName(value.country, locale);
  if ('list' in value) return cachedFormatter(`list|${locale}`, () => new Intl.ListFormat(intlLocale(locale), { type: 'conjunction' })).format(value.list.map(String));
  if ('percent' in value) {
    // Display only: the rate is an exact decimal string from the core; no amount is computed here.
    const digits = (value.percent.split('.')[1] || '').length;
    return new Intl.NumberFormat(intlLocale(locale), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits })
      .format(Number(value.percent) / 100);
  }
  return '';
}

// {key, values} -> text from options.strings.
export function renderMessage(message, options) {
  if (!message) return '';
  const template = options.strings[message.key] ?? message.key;
  const values = {};
  for (const [name, value] of Object.entries(message.values || {})) values[name] = formatValue(value, options);
  return fillTemplate(template, values);
}
