// An independent JS implementation of CartKeep's quote with dinero.js, for the oracle test and the
// benchmark. It reads the same options JSON, for the subset the oracle generates: zones by country with
// flat rates and free-above thresholds, tax per zone and category (inclusive or exclusive, shipping taxed
// or not), percentage and fixed coupons (category restrictions, stacking), percentage fees, and both
// rounding levels with half-up, half-even, up and down.
//
// Every multiplication by a rate and every rounding is done by dinero.js (multiply + transformScale with
// its halfUp/halfEven/up/down divide operations). With {strict: true} (the benchmark) sums and line totals
// are dinero add/subtract/multiply too; by default (the oracle, 800,000 carts) they are exact integer
// additions guarded by Number.isSafeInteger, which is ~5x faster and cannot round.
import { add as dineroAdd, dinero, down, halfEven, halfUp, multiply, subtract as dineroSubtract, toSnapshot, transformScale, up } from 'dinero.js';

const ROUNDING = { 'half-up': halfUp, 'half-even': halfEven, up, down };
const EXPONENTS = { JPY: 0, GBP: 2, KWD: 3, EUR: 2, USD: 2 };
const MILLION = 1000000;

// "12.5" -> 125000 millionths, without floats.
export function millionths(percent) {
  const [whole, fraction = ''] = String(percent).split('.');
  return Number(whole) * 10000 + Number(fraction.padEnd(4, '0'));
}

function safe(value) {
  if (!Number.isSafeInteger(value)) throw new RangeError(`amount ${value} is beyond 2^53`);
  return value;
}

export function prepareStore(options, { strict = false } = {}) {
  const exponent = EXPONENTS[options.currency];
  const currency = { code: options.currency, base: 10, exponent };
  const money = (amount) => dinero({ amount, currency });
  const zero = money(0);
  const rounding = options.rounding || {};
  const add = strict ? dineroAdd : (a, b) => money(safe(amountOf(a) + amountOf(b)));
  const subtract = strict ? dineroSubtract : (a, b) => money(safe(amountOf(a) - amountOf(b)));
  const times = strict ? multiply : (a, n) => money(safe(amountOf(a) * n));
  return {
    options,
    add,
    subtract,
    times,
    currency,
    exponent,
    money,
    zero,
    calculator: zero.calculator,
    round: ROUNDING[rounding.mode || 'half-even'],
    orderLevel: rounding.level === 'order',
    inclusive: options.tax?.pricesIncludeTax ?? true,
    shippingTaxable: options.tax?.shippingTaxable ?? true,
    shippingCategory: options.tax?.shippingCategory ?? 'standard',
    products: new Map(options.catalog.map((p) => [p.id, { ...p, money: money(p.price) }])),
    coupons: new Map((options.coupons || []).map((c) => [c.code.toUpperCase(), c])),
    zones: options.shipping.zones.map((z) => ({
      ...z,
      taxRates: Object.fromEntries(Object.entries(z.tax || {}).map(([k, v]) => [k, millionths(v)])),
      method: z.methods[0],
    })),
  };
}

const amountOf = (d) => toSnapshot(d).amount;

// d * rate (millionths), rounded back to the currency's scale by dinero's own division.
function applyRate(store, d, rate) {
  return transformScale(multiply(d, { amount: rate, scale: 6 }), store.exponent, store.round);
}

// The tax inside a tax-inclusive amount: d * r / (1 + r), rounded with the same dinero divide operation.
function includedPortion(store, d, rate) {
  const product = amountOf(multiply(d, rate));
  return store.money(store.round(product, MILLION + rate, store.calculator));
}

function taxOn(store, d, rate) {
  return store.inclusive ? includedPortion(store, d, rate) : applyRate(store, d, rate);
}

// Largest remainder: floor shares, then the leftover units to the largest remainders (ties: lower index),
// with dinero's calculator (dinero's own allocate gives leftovers to the largest ratios instead).
function allocateLargestRemainder(store, d, weights) {
  const { add } = store;
  const { calculator } = store;
  const amount = amountOf(d);
  const total = weights.reduce((a, b) => a + b, 0);
  if (amount === 0 || total === 0) return weights.map(() => store.zero);
  const floors = weights.map((w) => calculator.integerDivide(calculator.multiply(amount, w), total));
  const remainders = weights.map((w) => calculator.modulo(calculator.multiply(amount, w), total));
  let left = amount - floors.reduce((a, b) => a + b, 0);
  const order = weights.map((w, i) => i).filter((i) => weights[i] > 0).sort((a, b) => remainders[b] - remainders[a] || a - b);
  const extra = weights.map(() => 0);
  for (const i of order) {
    if (left <= 0) break;
    extra[i] = 1;
    left -= 1;
  }
  const parts = weights.map((w, i) => store.money(floors[i] + extra[i]));
  return parts;
}

function covers(coupon, product) {
  if (!coupon.products?.length && !coupon.categories?.length) return true;
  return Boolean(coupon.products?.includes(product.id) || (product.category && coupon.categories?.includes(product.category)));
}

// Returns [total, subtotal, discount, shipping, fees, tax, taxIncluded, shippable], like quote.batch().
export function quoteWithDinero(store, request) {
  const { money, zero, add, subtract } = store;
  const lines = request.lines.map(({ productId, quantity }) => {
    const product = store.products.get(productId);
    const lineTotal = store.times(product.money, quantity);
    return { product, lineTotal, net: lineTotal, discount: zero, tax: zero };
  });
  const subtotal = lines.reduce((sum, l) => add(sum, l.lineTotal), zero);

  // Coupons in order; every code in the oracle is valid, so only eligibility and stacking decide.
  let discount = zero;
  let firstAccepted = null;
  let exclusiveTaken = false;
  const seen = new Set();
  for (const code of request.coupons || []) {
    const key = code.toUpperCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const coupon = store.coupons.get(key);
    if (!coupon) continue;
    if (coupon.minSubtotal && amountOf(subtotal) < coupon.minSubtotal) continue;
    const eligible = lines.filter((l) => covers(coupon, l.product));
    if (!eligible.length) continue;
    const combinable = coupon.stacking === 'combinable';
    if (firstAccepted && (exclusiveTaken || !combinable)) continue;
    firstAccepted = firstAccepted || key;
    exclusiveTaken = exclusiveTaken || !combinable;
    let parts;
    if (coupon.type === 'percentage' && !store.orderLevel) {
      parts = eligible.map((l) => applyRate(store, l.net, millionths(coupon.rate)));
    } else {
      const base = eligible.reduce((sum, l) => add(sum, l.net), zero);
      let amount;
      if (coupon.type === 'percentage') amount = applyRate(store, base, millionths(coupon.rate));
      else amount = amountOf(base) < coupon.amount ? base : money(coupon.amount);
      parts = allocateLargestRemainder(store, amount, eligible.map((l) => amountOf(l.net)));
    }
    eligible.forEach((l, i) => {
      l.net = subtract(l.net, parts[i]);
      l.discount = add(l.discount, parts[i]);
      discount = add(discount, parts[i]);
    });
  }
  const merchandise = lines.reduce((sum, l) => add(sum, l.net), zero);

  const country = request.destination?.country || store.options.shipping.defaultDestination.country;
  const zone = store.zones.find((z) => z.countries.includes('*') || z.countries.includes(country));
  if (!zone) return null;
  const method = zone.method;
  let shipping = money(method.rate.amount);
  if (method.freeAbove !== undefined && amountOf(merchandise) >= method.freeAbove) shipping = zero;

  let fees = zero;
  for (const fee of store.options.fees || []) {
    if (fee.paymentMethods?.length && !fee.paymentMethods.includes(request.paymentMethod)) continue;
    if (fee.type === 'fixed') fees = add(fees, money(fee.amount));
    else fees = add(fees, applyRate(store, fee.base === 'order' ? add(merchandise, shipping) : merchandise, millionths(fee.rate)));
  }

  let tax = zero;
  if (Object.keys(zone.taxRates).length) {
    const groups = new Map();
    const addBase = (category, base) => {
      const rate = zone.taxRates[category];
      const group = groups.get(rate) || { base: zero, tax: zero };
      group.base = add(group.base, base);
      if (!store.orderLevel) group.tax = add(group.tax, taxOn(store, base, rate));
      groups.set(rate, group);
    };
    for (const l of lines) addBase(l.product.taxCategory || 'standard', l.net);
    if (store.shippingTaxable && amountOf(shipping) > 0) addBase(store.shippingCategory, shipping);
    for (const [rate, group] of groups) {
      if (store.orderLevel) group.tax = taxOn(store, group.base, rate);
      if (rate > 0) tax = add(tax, group.tax);
    }
  }
  const addedTax = store.inclusive ? zero : tax;
  const total = add(add(add(subtract(subtotal, discount), shipping), fees), addedTax);
  return [amountOf(total), amountOf(subtotal), amountOf(discount), amountOf(shipping), amountOf(fees),
    store.inclusive ? 0 : amountOf(tax), store.inclusive ? amountOf(tax) : 0, true];
}
