#!/usr/bin/env node
// Builds demo/data/catalog.json from the real UCI Online Retail order log (CC0):
//   node tools/demo-catalog/build-catalog.mjs [path/to/onlineretail.csv.gz] [--out demo/data/catalog.json]
// The ~300 most-ordered products (by distinct invoices) with their real names and their usual UK price.
// Everything derived (category, tags, weight, stock) comes from fixed rules and a hash of the StockCode,
// so the same input always gives a byte-identical file. No npm dependencies.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// CARTKEEP_ONLINE_RETAIL names the log elsewhere (as for tools/suggest-index/build-demo-index.sh).
export const DEFAULT_DATASET = process.env.CARTKEEP_ONLINE_RETAIL || resolve(repoRoot, '../shared/data/online-retail/onlineretail.csv.gz');
export const DEFAULT_OUTPUT = resolve(repoRoot, 'demo/data/catalog.json');
export const BRAND = 'Hearth & Twine';
export const CURRENCY = 'GBP';

// ---------------------------------------------------------------------------------------------- CSV

// RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. Returns an array of rows.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // BOM
  while (i < n) {
    const c = text[i];
    if (c === '"' && field === '') {
      // quoted field
      i += 1;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) { field += text.slice(i); i = n; break; }
        field += text.slice(i, q);
        if (text[q + 1] === '"') { field += '"'; i = q + 2; } else { i = q + 1; break; }
      }
    } else if (c === ',') {
      row.push(field); field = ''; i += 1;
    } else if (c === '\n' || c === '\r') {
      row.push(field); field = '';
      rows.push(row); row = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      // plain run up to the next delimiter
      let j = i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 44 || d === 10 || d === 13) break; // , \n \r
        j += 1;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// -------------------------------------------------------------------------------------------- money

// "2.95" -> 295, "2.1" -> 210, "12" -> 1200, "0.005" -> null (not a whole number of pence).
// Parsed as a decimal string: no floating point ever touches the amount.
export function parsePence(text) {
  const match = /^\s*(\d+)(?:\.(\d*))?\s*$/.exec(String(text));
  if (!match) return null;
  const whole = match[1];
  let fraction = match[2] || '';
  if (fraction.length > 2) {
    if (/[^0]/.test(fraction.slice(2))) return null;
    fraction = fraction.slice(0, 2);
  }
  fraction = fraction.padEnd(2, '0');
  const pence = Number(BigInt(whole) * 100n + BigInt(fraction));
  return Number.isSafeInteger(pence) ? pence : null;
}

// ------------------------------------------------------------------------------------------- titles

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);
const UPPER_WORDS = new Set(['UK', 'USA', 'LED', 'DIY', 'OK', 'ABC', 'XL', 'XXL', 'N.Y.', 'NYC', 'I']);
const UNITS = new Set(['cm', 'mm', 'm', 'g', 'kg', 'ml', 'l', 'pc', 'pcs', 's', 'th', 'st', 'nd', 'rd']);
// A few abbreviations of the source that read badly when title-cased.
const WORD_FIXES = new Map([
  ['HLDR', 'Holder'], ['ASSTD', 'Assorted'], ['ASST', 'Assorted'], ['ANT', 'Antique'], ['WHT', 'White'],
  ['BLK', 'Black'], ['SML', 'Small'], ['LGE', 'Large'], ['MED', 'Medium'], ['DES', 'Design'],
  ['CHILDRENS', "Children's"], ['GARDENERS', "Gardener's"], ['OF4', 'of 4'], ['POLKADOT', 'Polka Dot'],
  ['CAKESTAND', 'Cake Stand'], ['DOILEY', 'Doily'], ['SCOTTY', 'Scottie'], ['PC', 'Piece'],
]);

function capitalise(word) {
  // "50'S" -> "50's", "T" -> "T", "GIRL'S" -> "Girl's"
  const lower = word.toLowerCase();
  const first = lower.search(/[a-z]/);
  if (first === -1) return lower;
  if (/\d/.test(lower)) {
    // "20CM" -> "20cm", "3D" -> "3D", "50'S" -> "50's"
    const letters = lower.replace(/^[\d.,'’]+/, '');
    if (UNITS.has(letters.replace(/^['’]/, ''))) return lower;
    return word.toUpperCase();
  }
  return lower.slice(0, first) + lower[first].toUpperCase() + lower.slice(first + 1);
}

function casePart(part) {
  if (part === '') return part;
  if (UPPER_WORDS.has(part.toUpperCase())) return part.toUpperCase();
  return capitalise(part);
}

// "WHITE HANGING HEART T-LIGHT HOLDER" -> "White Hanging Heart T-Light Holder";
// "SET/20 RED RETROSPOT PAPER NAPKINS" -> "Set/20 Red Retrospot Paper Napkins"; "S/4" stays "S/4".
export function titleCase(description) {
  const cleaned = String(description)
    .replace(/\s+/g, ' ')
    .replace(/\s*,\s*/g, ', ')
    .replace(/\s*\+\s*/g, ' + ')
    .trim()
    .replace(/[.,\s]+$/, '');
  const words = cleaned.split(' ').filter(Boolean);
  return words.map((word, index) => {
    const bare = word.replace(/,$/, '');
    const comma = word.endsWith(',') ? ',' : '';
    if (WORD_FIXES.has(bare)) return WORD_FIXES.get(bare) + comma;
    const last = index === words.length - 1;
    if (index > 0 && !last && SMALL_WORDS.has(bare.toLowerCase())) return bare.toLowerCase() + comma;
    // keep separators: T-LIGHT -> T-Light, PINK/WHITE -> Pink/White, S/4 -> S/4, TEA,COFFEE -> Tea, Coffee
    return bare.split(/([-/&])/).map((part) => (/^[-/&]$/.test(part) ? part : casePart(part))).join('') + comma;
  }).join(' ');
}

// ------------------------------------------------------------------------------------------ categories

// First matching rule wins; the order settles overlaps ("Christmas Tree Top Angel" is Christmas, not Home
// Decor; "Gardeners Kneeling Pad Cup of Tea" is Garden, not Kitchen). Matched on whole words of the
// upper-case description.
export const CATEGORY_RULES = [
  ['Christmas', /\b(CHRISTMAS|XMAS|ADVENT|SANTA|REINDEER|SNOWFLAKE|SNOWMAN|BAUBLES?|SLEIGH|NATIVITY|TREE TOP|CRACKERS?|ANGELS?)\b/],
  ['Gifts', /\b(HOT WATER BOTTLE|HOTTIE|HAND WARMER|PLASTERS|SEWING KIT|CARD WALLET|SILK FAN|KEYRING|KEY RING|MONEY BANK|PASSPORT)\b/],
  ['Candles & Lights', /\b(T-LIGHTS?|TEALIGHTS?|CANDLES?|CANDLEHOLDER|CANDLESTICK|LANTERNS?|NIGHT LIGHT|LIGHTS|LAMP|LAMPSHADE|LIGHT GARLAND)\b/],
  ['Garden', /\b(GARDEN|GARDENERS|PLANT|PLANTER|SHED|WATERING|BIRD ?HOUSE|BIRD FEEDER|FLOWER POT|TROWEL|SEED|PARASOL)\b/],
  ['Bags', /\b(BAGS?|SHOPPER|HANDBAG|PURSE|TOTE)\b/],
  ['Toys & Games', /\b(GAMES?|TOYS?|DOLL|DOMINOES|HARMONICA|SKIPPING|SPINNING TOPS|KNITTING NANCY|PLAYHOUSE|SKITTLES|BINGO|SNAKES|LADDERS|COLOURING|MODELLING|PAINT SET|GLIDERS|FELTCRAFT|FELT CRAFT|CRAFT|SNAP CARDS|CATCH CUP|JIGSAW|PUZZLE|MARBLES|YO-YO|KITE|CRAYONS|BUILDING BLOCK)\b/],
  ['Home Decor', /\b(SIGN|DOORMAT|CLOCK)\b/],
  ['Party', /\b(BUNTING|PARTY|PAPER PLATES|PAPER CUPS|PARASOLS|BALLOONS?|PAPER CHAIN|DOILIES|CONFETTI|STRAWS)\b/],
  ['Stationery & Cards', /\b(CARDS?|NOTEBOOKS?|STATIONERY|PENCILS?|PENS?|ERASERS?|STICKERS?|WRAP|GIFT TAGS|TAGS|RIBBONS?|MEMO|SHOPPING LIST|JOURNAL|ENVELOPES?|NOTELETS|TISSUES)\b/],
  ['Kitchen & Dining', /\b(LUNCH BOX|SNACK BOX(ES)?|CAKE TINS|SPICE TINS|BISCUIT TIN|TEA, ?COFFEE|TEA COFFEE)\b/],
  ['Storage', /\b(STORAGE|CABINET|DRAWERS?|CHEST|TIDY|CONTAINER|BASKET|KNICK KNACK|MINI CASES|TRINKET|BOX OF|BOXES|CRATE|HOOK|HANGER|COAT RACK|PEGS)\b/],
  ['Kitchen & Dining', /\b(CAKE|CAKES|TEA|TEACUP|SAUCER|TEAPOT|PLATES?|BOWLS?|CUPS?|MUGS?|NAPKINS|JAM|BAKING|COOKIE|CUTTERS?|SPOONS?|LUNCH|SNACK|CUTLERY|TINS?|KITCHEN|SCALES|OVEN|APRON|EGG|BREAD|JUG|TEA TOWELS?|POPCORN|WASHING UP|RECIPE|MOULDS|BISCUIT|COFFEE|SUGAR|GLASSES|TUMBLER|BOTTLES|CAKESTAND|TRAY)\b/],
  ['Home Decor', /\b(FRAME|WICKER|DECORATION|ORNAMENT|CUSHION|KNOB|CHALKBOARD|BLACK ?BOARD|MIRROR|VASE|WREATH|HEART|STAR|BIRD|GARLAND|PHOTO|DOORSTOP|QUILT|THROW)\b/],
];
export const FALLBACK_CATEGORY = 'Gifts';

export function categorise(description) {
  const text = String(description).toUpperCase().replace(/\s+/g, ' ');
  for (const [category, pattern] of CATEGORY_RULES) if (pattern.test(text)) return category;
  return FALLBACK_CATEGORY;
}

export function slugify(text) {
  return String(text).toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

// --------------------------------------------------------------------------------------------- tags

const TAG_STOP = new Set([...SMALL_WORDS, 'set', 'pack', 'design', 'designs', 'assorted', 'i', 'me', 'so', 'am',
  'it', 'is', 'you', 'your', 'our', 'this', 'that', 'one', 'two', 'three', 'four', 'six', 'pc', 'piece', 'box', 'please']);

export function tagsFor(description, category) {
  const tags = [];
  const add = (tag) => { if (tag && !tags.includes(tag)) tags.push(tag); };
  for (const raw of String(description).toLowerCase().split(/[\s/,+.]+/)) {
    const word = raw.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').replace(/['’]s$/, '');
    if (word.length < 3 || /\d|['’]/.test(word) || TAG_STOP.has(word)) continue;
    add(WORD_FIXES.has(word.toUpperCase()) ? WORD_FIXES.get(word.toUpperCase()).toLowerCase().replace(/['’]s$/, '') : word);
  }
  add(slugify(category));
  return tags.slice(0, 10);
}

// ------------------------------------------------------------------------------- weights and stock

// FNV-1a: a small stable hash, so derived values never depend on Math.random or iteration order.
export function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// Grams: specific things first, then a range per category; size words scale the result.
const WEIGHT_RULES = [
  [/\b(CABINET)\b/, 2400, 3200], [/\b(BREAD BIN)\b/, 1600, 2000], [/\b(SCALES)\b/, 1300, 1700],
  [/\b(CAKE ?STAND|CAKESTAND)\b/, 1100, 1500], [/\b(DOORMAT)\b/, 1100, 1400], [/\b(CLOCK)\b/, 350, 520],
  [/\b(HOT WATER BOTTLE|HOTTIE)\b/, 380, 520], [/\b(TEA SET|TEAPOT)\b/, 700, 1100], [/\b(PICNIC BASKET)\b/, 600, 1100],
  [/\b(SIGN)\b/, 180, 320], [/\b(CAKE CASES|BAKING CASES|NAPKINS|DOILIES|PAPER)\b/, 40, 120],
  [/\b(CARDS?|TAGS|TISSUES|RIBBONS?)\b/, 30, 90], [/\b(HAND WARMER|PLASTERS)\b/, 60, 120], [/\b(KNOB)\b/, 40, 90],
  [/\b(TRINKET)\b/, 120, 260], [/\b(PEGS|HOOK)\b/, 150, 450], [/\b(CHEST|CONTAINER|CRATE)\b/, 900, 1600],
];
const CATEGORY_WEIGHTS = {
  'Candles & Lights': [180, 450], Bags: [120, 320], 'Kitchen & Dining': [250, 650], Christmas: [60, 260],
  'Stationery & Cards': [40, 200], 'Home Decor': [250, 900], Garden: [300, 1200], Party: [80, 250],
  'Toys & Games': [90, 400], Storage: [400, 1400], Gifts: [100, 350],
};

export function weightFor(id, description, category) {
  const text = description.toUpperCase();
  const h = hash32(`weight:${id}`);
  const [low, high] = (WEIGHT_RULES.find(([pattern]) => pattern.test(text)) || [null, ...CATEGORY_WEIGHTS[category]]).slice(1);
  let grams = low + (h % (high - low + 1));
  if (/\b(JUMBO|LARGE|GIANT)\b/.test(text)) grams = Math.round(grams * 1.5);
  else if (/\b(SMALL|MINI)\b/.test(text)) grams = Math.round(grams * 0.6);
  return Math.max(10, Math.round(grams / 5) * 5);
}

// Most products well stocked, a few nearly gone, two sold out: ranked by a hash, never by chance.
// The best sellers (the first `protectedCount`) always stay in stock, so the demo's hero items work.
export function assignStock(ids, { soldOut = 2, low = 10, protectedCount = 20 } = {}) {
  const stock = new Map();
  const candidates = ids.slice(protectedCount).map((id) => ({ id, h: hash32(`stock:${id}`) }))
    .sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1));
  candidates.slice(0, soldOut).forEach(({ id }) => stock.set(id, 0));
  candidates.slice(soldOut, soldOut + low).forEach(({ id, h }) => stock.set(id, 1 + (h % 5)));
  for (const id of ids) if (!stock.has(id)) stock.set(id, 24 + (hash32(`level:${id}`) % 217));
  return stock;
}

// ---------------------------------------------------------------------------------------- catalog

const PRODUCT_CODE = /^\d{5}/; // POST, DOT, M, C2, BANK CHARGES, gift_0001_20, DCGS... are not products

function mostCommon(counter) {
  // highest count; ties go to the smaller key, so the result never depends on input order
  let best = null;
  let bestCount = -1;
  for (const [key, count] of counter) {
    if (count > bestCount || (count === bestCount && key < best)) { best = key; bestCount = count; }
  }
  return best;
}

function bump(map, key, value) {
  let counter = map.get(key);
  if (!counter) { counter = new Map(); map.set(key, counter); }
  counter.set(value, (counter.get(value) || 0) + 1);
}

// Core logic: CSV text of the order log -> array of catalog products (CartKeep catalog schema).
export function buildCatalog(csvText, { limit = 300 } = {}) {
  const rows = parseCsv(csvText);
  const header = rows.shift().map((name) => name.trim());
  const col = (name) => {
    const index = header.indexOf(name);
    if (index === -1) throw new Error(`online retail CSV: missing column ${name} (header: ${header.join(',')})`);
    return index;
  };
  const [cInvoice, cCode, cDesc, cQty, cPrice, cCountry] =
    ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'UnitPrice', 'Country'].map(col);

  const invoices = new Map(); // code -> Set of invoice numbers
  const descriptions = new Map(); // code -> Map(description -> lines)
  const ukPrices = new Map(); // code -> Map(pence -> lines), UK sales only
  const anyPrices = new Map(); // fallback when a product never sold in the UK
  for (const row of rows) {
    if (row.length < header.length) continue;
    const invoice = row[cInvoice].trim();
    const code = row[cCode].trim().toUpperCase();
    if (!invoice || invoice.startsWith('C') || !PRODUCT_CODE.test(code)) continue; // cancellations, fees
    const quantity = Number(row[cQty]);
    if (!Number.isInteger(quantity) || quantity <= 0) continue; // returns, stock adjustments
    const pence = parsePence(row[cPrice]);
    let set = invoices.get(code);
    if (!set) { set = new Set(); invoices.set(code, set); }
    set.add(invoice);
    if (!pence) continue; // free samples, "damaged", "?" lines carry price 0 and junk descriptions
    const description = row[cDesc].replace(/\s+/g, ' ').trim();
    if (/[A-Z]{3}/.test(description)) bump(descriptions, code, description);
    bump(anyPrices, code, pence);
    if (row[cCountry].trim() === 'United Kingdom') bump(ukPrices, code, pence);
  }

  const ranked = [...invoices.entries()]
    .filter(([code]) => descriptions.has(code) && (ukPrices.has(code) || anyPrices.has(code)))
    .map(([code, set]) => ({ code, orders: set.size }))
    .sort((a, b) => b.orders - a.orders || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .slice(0, limit);

  const stock = assignStock(ranked.map(({ code }) => code));
  return ranked.map(({ code }) => {
    const description = mostCommon(descriptions.get(code));
    const category = categorise(description);
    const slug = slugify(category);
    return {
      id: code,
      title: titleCase(description),
      price: mostCommon(ukPrices.get(code) || anyPrices.get(code)),
      currency: CURRENCY,
      category,
      tags: tagsFor(description, category),
      brand: BRAND,
      weight: weightFor(code, description, category),
      stock: stock.get(code),
      image: `images/${slug}.svg`,
      url: `product.html?id=${encodeURIComponent(code)}`,
    };
  });
}

// One product per line: small diffs when the rules change, still valid JSON.
export function serializeCatalog(products) {
  return `[\n${products.map((product) => `  ${JSON.stringify(product)}`).join(',\n')}\n]\n`;
}

export function readDataset(path = DEFAULT_DATASET) {
  const bytes = readFileSync(path);
  const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return text.toString('utf8');
}

export function buildCatalogFile(datasetPath = DEFAULT_DATASET, options) {
  return serializeCatalog(buildCatalog(readDataset(datasetPath), options));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let input = DEFAULT_DATASET;
  let output = DEFAULT_OUTPUT;
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--out') output = resolve(args[(i += 1)]);
    else if (args[i] === '--help' || args[i] === '-h') {
      console.log('usage: node tools/demo-catalog/build-catalog.mjs [onlineretail.csv[.gz]] [--out demo/data/catalog.json]');
      process.exit(0);
    } else input = resolve(args[i]);
  }
  let text;
  try {
    text = buildCatalogFile(input);
  } catch (error) {
    console.error(`build-catalog: ${error.code === 'ENOENT' ? `dataset not found: ${input}` : error.message}`);
    process.exit(1);
  }
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, text);
  const products = JSON.parse(text);
  const counts = {};
  for (const p of products) counts[p.category] = (counts[p.category] || 0) + 1;
  console.log(`wrote ${products.length} products to ${output}`);
  for (const [category, count] of Object.entries(counts).sort()) console.log(`  ${category.padEnd(20)} ${count}`);
}
