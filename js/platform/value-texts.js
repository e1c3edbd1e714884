// Texts of the core's message values that need Intl data the page would otherwise load for them (dates, date
// ranges, durations, times of day, country names, lists): the engine's worker formats them with the same code
// (message.js) and sends them beside its answer, so the page makes no date, list or display-name formatter of
// its own. The page formats a value itself when no text came for it (the engine in its thread, a new value).
const KINDS = ['date', 'dateRange', 'minutes', 'clock', 'country', 'list'];
const MAX_DEPTH = 8;
const MAX_KEPT = 500;

const textKey = (locale, value) => `${locale}|${JSON.stringify(value)}`;
const hasOwnText = (value) => value !== null && typeof value === 'object' && KINDS.some((kind) => Object.hasOwn(value, kind));

// The engine's side: {key: text} for every such value inside `answer` ({key, values} messages at any depth, and
// the dates of a delivery window {earliest, latest}, which the cost preview words per shipping method),
// formatted by format(value); null when there is none.
export function collectTexts(answer, locale, format) {
  let texts = null;
  const add = (value) => {
    const key = textKey(locale, value);
    texts ||= {};
    if (!Object.hasOwn(texts, key)) texts[key] = format(value);
  };
  const walk = (node, depth) => {
    if (node === null || typeof node !== 'object' || depth > MAX_DEPTH) return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, depth + 1);
      return;
    }
    if (typeof node.key === 'string' && node.values && typeof node.values === 'object') {
      for (const value of Object.values(node.values)) if (hasOwnText(value)) add(value);
    }
    if (typeof node.earliest === 'string' && typeof node.latest === 'string') {
      add({ date: node.earliest });
      add({ dateRange: [node.earliest, node.latest] });
    }
    for (const child of Object.values(node)) walk(child, depth + 1);
  };
  walk(answer, 0);
  return texts;
}

// Country names for the codes a store ships to (the destination picker lists them), in the same form.
export function countryTexts(codes, locale, format) {
  const texts = {};
  for (const code of codes) texts[textKey(locale, { country: code })] = format({ country: code });
  return texts;
}

// The page's side: the texts the engine sent, kept for the page's life (all dropped past MAX_KEPT: a page
// meets a few dozen dates and countries).
const known = new Map();
export function rememberTexts(texts) {
  if (texts === null || typeof texts !== 'object') return;
  if (known.size > MAX_KEPT) known.clear();
  for (const [key, text] of Object.entries(texts)) if (typeof text === 'string') known.set(key, text);
}

export function knownText(locale, value) {
  return known.get(textKey(locale, value));
}
