// The home page: the hero and category tiles, then the listing (all gifts, a category or search results),
// sorted, a page of products at a time.
import { productCard, renderNav } from '../components.js';
import { $, setTitle } from '../dom.js';
import { CATEGORY_BLURBS, MAX_QUERY, PAGE_SIZE, params, state } from '../state.js';

export function renderHome() {
  const rawCategory = params.get('category');
  const rawQuery = (params.get('q') || '').trim().slice(0, MAX_QUERY);
  const category = rawCategory === null ? '' : rawCategory;
  const knownCategory = state.categories.includes(category);
  const searchInput = $('site-search');
  if (searchInput) searchInput.value = rawQuery;
  renderNav(knownCategory ? category : (category ? null : ''));

  const filtered = Boolean(category || rawQuery);
  $('hero').hidden = filtered;
  $('home-suggestions').hidden = filtered;
  // The category tiles are in the page from the first frame (index.html); a filtered listing goes without them.
  $('category-tiles').hidden = filtered;

  let products = state.catalog;
  if (category) products = knownCategory ? products.filter((product) => product.category === category) : [];
  const words = rawQuery.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length) {
    products = products.filter((product) => {
      const haystack = `${product.title} ${product.category} ${product.tags.join(' ')} ${product.id}`.toLowerCase();
      return words.every((word) => haystack.includes(word));
    });
  }

  const title = $('listing-title');
  if (rawQuery) title.textContent = `Results for “${rawQuery}”`;
  else if (category && knownCategory) title.textContent = category;
  else if (category) title.textContent = 'Category not found';
  else title.textContent = 'Bestsellers';
  setTitle(category && knownCategory ? category : rawQuery ? `Search: ${rawQuery}` : '');

  const sortSelect = $('sort');
  const sortValues = [...sortSelect.options].map((option) => option.value);
  const sort = sortValues.includes(params.get('sort')) ? params.get('sort') : 'popular';
  sortSelect.value = sort;
  const sorted = sortProducts(products, sort);

  let shown = 0;
  const grid = $('product-grid');
  const more = $('load-more');
  const summary = $('listing-summary');
  const empty = $('empty-state');
  grid.replaceChildren();

  const where = category && knownCategory ? ` in ${category}` : '';
  summary.textContent = `${sorted.length} ${sorted.length === 1 ? 'product' : 'products'}${where}`;
  if (category && knownCategory && CATEGORY_BLURBS[category] && !rawQuery) summary.textContent += ` · ${CATEGORY_BLURBS[category]}`;

  empty.hidden = sorted.length > 0;
  if (!sorted.length) {
    if (category && !knownCategory) empty.textContent = `We don’t have a “${category}” category. Try one of the categories above.`;
    else if (rawQuery) empty.textContent = `Nothing matches “${rawQuery}”. Try a shorter word, like “heart” or “bag”.`;
    else empty.textContent = 'No products here yet.';
  }

  const showMore = () => {
    const next = sorted.slice(shown, shown + PAGE_SIZE);
    grid.append(...next.map(productCard));
    shown += next.length;
    more.hidden = shown >= sorted.length;
    more.textContent = `Show more (${sorted.length - shown} more)`;
  };
  more.onclick = () => {
    const focusIndex = shown;
    showMore();
    const link = grid.children[focusIndex] && grid.children[focusIndex].querySelector('.product-card-title a');
    if (link) link.focus();
  };
  showMore();

  sortSelect.onchange = () => {
    const next = new URLSearchParams(window.location.search);
    if (sortSelect.value === 'popular') next.delete('sort'); else next.set('sort', sortSelect.value);
    const query = next.toString();
    window.history.replaceState(null, '', query ? `?${query}` : window.location.pathname);
    params.delete('sort');
    if (sortSelect.value !== 'popular') params.set('sort', sortSelect.value);
    renderHome();
  };
}

function sortProducts(products, sort) {
  const list = products.slice();
  if (sort === 'price-asc') list.sort((a, b) => a.price - b.price);
  else if (sort === 'price-desc') list.sort((a, b) => b.price - a.price);
  else if (sort === 'name') list.sort((a, b) => a.title.localeCompare(b.title, 'en-GB'));
  return list; // 'popular': catalogue order (most ordered first); Array#sort is stable
}
