// A UK store with the quote options filled in (VAT 20% included, four zones, two coupons, a delivery
// calendar), shared by the quote tests and the benchmark.
export const ukCatalog = [
  { id: 'mug', title: 'Enamel Mug', price: 850, category: 'Kitchen', weight: 300 },
  { id: 'lantern', title: 'White Metal Lantern', price: 1999, category: 'Lights', weight: 900 },
  { id: 'book', title: 'Recipe Book', price: 1299, category: 'Books', weight: 600, taxCategory: 'zero' },
  { id: 'sofa', title: 'Garden Sofa', price: 24900, category: 'Garden', weight: 30000, shippingClass: 'bulky' },
];

export function ukQuoteOptions() {
  return {
    rounding: { mode: 'half-up', level: 'line' },
    tax: { pricesIncludeTax: true, shippingTaxable: true },
    shipping: {
      defaultDestination: { country: 'GB' },
      countries: ['GB', 'IE', 'FR', 'DE', 'US', 'BR'],
      zones: [
        { id: 'uk-hi', name: 'UK Highlands & Islands', countries: ['GB'], postcodes: ['HS', 'IV', 'KW', 'ZE'],
          tax: { standard: '20', zero: 0 },
          methods: [{ id: 'standard', name: 'Standard', rate: { type: 'flat', amount: 895 }, transitDays: { min: 3, max: 5 } }] },
        { id: 'uk', name: 'United Kingdom', countries: ['GB'], tax: { standard: '20', zero: 0 },
          methods: [
            { id: 'standard', name: 'Standard', rate: { type: 'flat', amount: 395 }, freeAbove: 4000, transitDays: { min: 2, max: 3 },
              classes: { bulky: { surcharge: 2500, label: 'Two-person delivery' } } },
            { id: 'express', name: 'Express', rate: { type: 'flat', amount: 795 }, transitDays: { min: 1, max: 1 },
              classes: { bulky: { excluded: true } } },
          ] },
        { id: 'eu', name: 'European Union', countries: ['IE', 'FR', 'DE'],
          methods: [{ id: 'standard', name: 'International', rate: { type: 'per-item', base: 999, amount: 150 }, transitDays: { min: 4, max: 7 } }] },
        { id: 'row', name: 'Rest of the world', countries: ['US'],
          methods: [{ id: 'standard', name: 'Worldwide', rate: { type: 'flat', amount: 1999 }, transitDays: { min: 6, max: 10 },
            classes: { bulky: { excluded: true } } }] },
      ],
    },
    coupons: [
      { code: 'WELCOME10', type: 'percentage', rate: 10, minSubtotal: 2000, expires: '2030-12-31' },
      { code: 'FREESHIP', type: 'free-shipping', methods: ['standard'], stacking: 'combinable' },
    ],
    delivery: { processingDays: 1, cutoff: '14:00', businessDays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: ['2024-12-25'], timeZone: 'Europe/London' },
  };
}
