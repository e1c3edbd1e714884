// What every part of the shop's script shares: the shop's constants, this page, and the state that the
// catalogue and CartKeep fill in.
export const SHOP_NAME = 'Hearth & Twine';
export const PAGE_SIZE = 24;
export const MAX_QUERY = 80;
export const CATEGORY_ORDER = ['Candles & Lights', 'Kitchen & Dining', 'Home Decor', 'Bags', 'Christmas', 'Party',
  'Toys & Games', 'Stationery & Cards', 'Storage', 'Garden', 'Gifts'];
export const CATEGORY_BLURBS = {
  'Candles & Lights': 'Hanging hearts, lanterns and T-light holders to make any evening glow.',
  'Kitchen & Dining': 'Regency teacups, cake stands and everything for a proper afternoon tea.',
  'Home Decor': 'Signs, frames, clocks and wicker hearts with a little wit and a lot of charm.',
  Bags: 'Jumbo shoppers, lunch bags and Charlotte bags in our best-loved prints.',
  Christmas: 'Paper chains, bunting and decorations for a vintage Christmas.',
  Party: 'Bunting, paper plates and parasols: everything for a garden party.',
  'Toys & Games': 'Traditional games and felt crafts for rainy afternoons.',
  'Stationery & Cards': 'Ribbons, cards and stationery sets for thoughtful notes.',
  Storage: 'Tins, baskets, knobs and cabinets to keep things beautifully tidy.',
  Garden: 'Cheerful things for gardeners and potting sheds.',
  Gifts: 'Hot water bottles, hand warmers and little treats for someone special.',
};

export const page = document.body.getAttribute('data-page') || '';
export const params = new URLSearchParams(window.location.search);

export const state = {
  catalog: [],
  byId: new Map(),
  categories: [],
  cart: 'loading', // 'loading' | 'ready' | 'unavailable'
  instance: null,
};

// What the page renderer wants to hear from CartKeep; a renderer replaces the ones it needs.
export const pageHooks = { ready() {}, unavailable() {}, cartChange() {} };
