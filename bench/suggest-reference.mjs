// A plain JS implementation of CartKeep's suggestion scoring, for bench/suggest.bench.mjs (not shipped; the demo's
// e2e test reads the committed index with its parseIndex):
// the same item index, catalog features, anchors and formula as core/suggest/suggest_model.cpp and
// core/suggest/suggest.cpp ("picked for you" from viewed products: neighbours, content, popularity prior,
// diversity, reasons), every floating-point operation in the same order so the scores can be compared.
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const BANDS = 64;
const PARAMS = { tagShare: 0.55, categoryShare: 0.25, brandShare: 0.05, priceShare: 0.15, maxTagShare: 0.25, secondStepShare: 1,
  siblingShare: 1, predecessors: 24 };
const MIN_LIKENESS = 0.3;

// The binary index (core/suggest/item_index.hpp, format 3); trusts its input (the wasm validates it).
export function parseIndex(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  const n = view.getUint32(16, true);
  const edgeCounts = [view.getUint32(20, true), view.getUint32(24, true), view.getUint32(60, true)];
  const scoreBits = view.getUint8(30);
  const decimal = view.getUint8(31) === 1;
  const catalogVersion = decoder.decode(bytes.subarray(64, 64 + view.getUint16(56, true)));
  let at = 64 + view.getUint16(56, true) + view.getUint16(58, true);
  const ids = new Array(n);
  let previous = 0n;
  let previousText = new Uint8Array(0);
  for (let i = 0; i < n; i += 1) {
    if (decimal) {
      let step = 0n;
      for (let shift = 0n; ; shift += 7n) {
        const byte = bytes[at++];
        step |= BigInt(byte & 0x7f) << shift;
        if (!(byte & 0x80)) break;
      }
      previous += step;
      ids[i] = previous.toString();
    } else {
      const shared = bytes[at];
      const rest = bytes[at + 1];
      const id = new Uint8Array(shared + rest);
      id.set(previousText.subarray(0, shared));
      id.set(bytes.subarray(at + 2, at + 2 + rest), shared);
      at += 2 + rest;
      ids[i] = decoder.decode(id);
      previousText = id;
    }
  }
  const popularity = new Float64Array(n);
  for (let i = 0; i < n; i += 1) popularity[i] = view.getUint16(at + 2 * i, true) / 65535.0;
  at += 2 * n;
  const offsetsOf = edgeCounts.map((count) => {
    const offsets = new Uint32Array(n + 1);
    if (!count) return offsets;
    for (let i = 0; i < n; i += 1) offsets[i + 1] = offsets[i] + bytes[at + i];
    at += n;
    return offsets;
  });
  // Per kind: the Rice parameter, then each item's positions ascending (the first a zigzag step from the item,
  // the rest gaps) and their scores, least significant bit first; each list read back best first.
  const scoreTop = 2 ** scoreBits - 1;
  const tables = offsetsOf.map((offsets, kind) => {
    const count = edgeCounts[kind];
    const items = new Uint32Array(count);
    const qs = new Uint8Array(count);
    if (!count) return { offsets, items, qs };
    const r = bytes[at];
    let bit = (at + 1) * 8;
    const take = (width) => {
      let value = 0;
      for (let b = 0; b < width; b += 1, bit += 1) if (bytes[bit >> 3] & (1 << (bit & 7))) value += 2 ** b;
      return value;
    };
    const rice = () => {
      let quotient = 0;
      while (take(1)) quotient += 1;
      return quotient * 2 ** r + take(r);
    };
    for (let i = 0; i < n; i += 1) {
      const list = [];
      let position = i;
      for (let e = offsets[i]; e < offsets[i + 1]; e += 1) {
        const code = rice();
        if (e === offsets[i]) {
          const z = code + 1;
          position += z % 2 ? (z + 1) / 2 : -z / 2;
        } else {
          position += 1 + code;
        }
        list.push({ item: position });
      }
      for (const entry of list) entry.q = Math.floor((take(scoreBits) * 255 + Math.floor(scoreTop / 2)) / scoreTop);
      list.sort((a, b) => b.q - a.q || a.item - b.item);
      list.forEach((entry, k) => { items[offsets[i] + k] = entry.item; qs[offsets[i] + k] = entry.q; });
    }
    at = Math.ceil(bit / 8);
    return { offsets, items, qs };
  });
  return { catalogVersion, ids, popularity, tables, end: at }; // end: the bytes the reader accounted for
}

const trimLower = (text) => String(text ?? '').replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '').replace(/[A-Z]/g, (c) => c.toLowerCase());

function priceBand(price) {
  let band = 0;
  let threshold = 1;
  while (price >= threshold && band + 1 < BANDS) {
    band += 1;
    const next = threshold <= Math.floor(MAX_SAFE / 8) ? Math.floor((threshold * 8) / 5) : MAX_SAFE;
    threshold = Math.max(threshold + 1, next);
  }
  return band;
}

const decodeScore = (q) => {
  const x = q / 255.0;
  return x * x;
};

export class ReferenceModel {
  // weights: {neighbours, viewedTogether, viewedNext, content, popularity, diversity, viewHalfLifeMs}, as options.suggestions.
  constructor(catalog, indexBytes, weights) {
    this.weights = weights;
    const n = catalog.length;
    this.catalog = catalog;
    this.n = n;
    this.position = new Map(catalog.map((p, i) => [p.id, i]));
    const intern = (table, key) => {
      let id = table.get(key);
      if (id === undefined) table.set(key, (id = table.size));
      return id;
    };
    const categories = new Map();
    const brands = new Map();
    const tagIds = new Map();
    const df = [];
    this.category = new Int32Array(n).fill(-1);
    this.brand = new Int32Array(n).fill(-1);
    this.band = new Int32Array(n);
    this.price = new Float64Array(n);
    this.tags = new Array(n);
    this.tagNorm = new Float64Array(n);
    this.outOfStock = new Uint8Array(n);
    for (let p = 0; p < n; p += 1) {
      const product = catalog[p];
      const category = trimLower(product.category);
      const brand = trimLower(product.brand);
      if (category) this.category[p] = intern(categories, category);
      if (brand) this.brand[p] = intern(brands, brand);
      this.price[p] = product.price;
      this.band[p] = priceBand(product.price);
      this.outOfStock[p] = product.stock === 0 ? 1 : 0;
      const own = [];
      for (const tag of product.tags || []) {
        const key = trimLower(tag);
        if (key) own.push(intern(tagIds, key));
      }
      const unique = [...new Set(own)].sort((a, b) => a - b);
      this.tags[p] = Uint32Array.from(unique);
      for (const t of unique) df[t] = (df[t] || 0) + 1;
    }
    const tagCount = tagIds.size;
    this.idf2 = new Float64Array(tagCount);
    this.skipped = new Uint8Array(tagCount);
    const skipAbove = Math.max(PARAMS.maxTagShare * n, 50.0);
    for (let t = 0; t < tagCount; t += 1) {
      this.idf2[t] = 1.0 / df[t];
      this.skipped[t] = df[t] > skipAbove ? 1 : 0;
    }
    const postings = Array.from({ length: tagCount }, () => []);
    for (let p = 0; p < n; p += 1) {
      let norm = 0;
      for (const t of this.tags[p]) {
        if (this.skipped[t]) continue;
        norm += this.idf2[t];
        postings[t].push(p);
      }
      this.tagNorm[p] = Math.sqrt(norm);
    }
    this.postings = postings.map((list) => Uint32Array.from(list));
    this.categoryWeight = new Float64Array(categories.size);
    this.brandWeight = new Float64Array(brands.size);
    this.bandWeight = new Float64Array(BANDS);

    // The index mapped onto the catalog.
    const index = parseIndex(indexBytes);
    this.index = index;
    this.toIndex = new Int32Array(n).fill(-1);
    this.toCatalog = new Int32Array(index.ids.length).fill(-1);
    const byId = new Map(index.ids.map((id, i) => [id, i]));
    this.prior = new Float64Array(n);
    for (let p = 0; p < n; p += 1) {
      const item = byId.get(catalog[p].id);
      if (item === undefined) continue;
      this.toIndex[p] = item;
      this.toCatalog[item] = p;
      this.prior[p] = Math.sqrt(index.popularity[item]);
    }
    // Per index item, its strongest viewed-next rules into it (q descending, then item), at most PARAMS.predecessors.
    const next = index.tables[2];
    const into = Array.from({ length: index.ids.length }, () => []);
    for (let from = 0; from < index.ids.length; from += 1)
      for (let e = next.offsets[from]; e < next.offsets[from + 1]; e += 1) into[next.items[e]].push([next.qs[e], from]);
    this.predecessors = into.map((list) =>
      list.sort((a, b) => (a[0] !== b[0] ? b[0] - a[0] : a[1] - b[1])).slice(0, PARAMS.predecessors));
    this.neighbour = new Float64Array(n);
    this.viewed = new Float64Array(n);
    this.next = new Float64Array(n);
    this.tagAcc = new Float64Array(n);
    this.best = new Float64Array(n);
    this.bestAnchor = new Int32Array(n).fill(-1);
  }

  content(a, b) {
    const ta = this.tags[a];
    const tb = this.tags[b];
    let tag = 0;
    if (this.tagNorm[a] > 0 && this.tagNorm[b] > 0) {
      let i = 0;
      let j = 0;
      let shared = 0;
      while (i < ta.length && j < tb.length) {
        if (ta[i] < tb[j]) i += 1;
        else if (tb[j] < ta[i]) j += 1;
        else {
          if (!this.skipped[ta[i]]) shared += this.idf2[ta[i]];
          i += 1;
          j += 1;
        }
      }
      tag = shared / this.tagNorm[a] / this.tagNorm[b];
    }
    const gap = Math.abs(this.band[a] - this.band[b]);
    return PARAMS.tagShare * tag + PARAMS.categoryShare * (this.category[a] >= 0 && this.category[a] === this.category[b] ? 1 : 0) +
      PARAMS.brandShare * (this.brand[a] >= 0 && this.brand[a] === this.brand[b] ? 1 : 0) +
      PARAMS.priceShare * (gap === 0 ? 1.0 : gap === 1 ? 0.5 : 0.0);
  }

  // Anchors from viewed products ({productId, at, dwellMs}, oldest first), as Suggestions::anchorsFor does
  // for "picked for you" with no cart, cart adds or purchases.
  anchors(views, now) {
    const viewed = [];
    const at = new Map();
    for (let i = views.length - 1; i >= 0; i -= 1) {
      const p = this.position.get(views[i].productId);
      if (p === undefined) continue;
      const seconds = Math.min(Math.max(views[i].dwellMs, 0), 30000);
      const age = now - views[i].at;
      const decay = age <= 0 ? 1.0 : 2 ** (-age / this.weights.viewHalfLifeMs);
      const v = (0.25 + 0.75 * (seconds / 30000.0)) * decay;
      const found = at.get(p);
      if (found === undefined) {
        at.set(p, viewed.length);
        viewed.push([p, v]);
      } else viewed[found][1] += v;
    }
    const anchors = [];
    // Most recent first: the latest product counts 1, the one before 1/2, then 1/3 (SessionProfile::positionWeight).
    for (let rank = 0; rank < viewed.length; rank += 1) {
      const [p, v] = viewed[rank];
      const weight = 1.0 * Math.min(2.0, v) * (1.0 / (1.0 + rank));
      if (weight > 0) anchors.push({ product: p, weight });
    }
    anchors.sort((a, b) => b.weight - a.weight); // stable, as std::stable_sort
    return anchors.slice(0, 30);
  }

  // The `count` best eligible products, best first (ties: catalog order).
  top(anchors, excluded, count) {
    const { neighbours: wn, viewedTogether: wv, viewedNext: wx, content: wc, popularity: wp } = this.weights;
    let total = 0;
    for (const a of anchors) total += a.weight;
    this.categoryWeight.fill(0);
    this.brandWeight.fill(0);
    this.bandWeight.fill(0);
    for (let k = 0; k < anchors.length; k += 1) {
      const { product, weight: w } = anchors[k];
      if (this.category[product] >= 0) this.categoryWeight[this.category[product]] += w;
      if (this.brand[product] >= 0) this.brandWeight[this.brand[product]] += w;
      const band = this.band[product];
      this.bandWeight[band] += w;
      if (band > 0) this.bandWeight[band - 1] += 0.5 * w;
      if (band + 1 < BANDS) this.bandWeight[band + 1] += 0.5 * w;
      const norm = this.tagNorm[product];
      if (norm > 0) {
        for (const t of this.tags[product]) {
          if (this.skipped[t]) continue;
          const c = (w * this.idf2[t]) / norm;
          for (const p of this.postings[t]) this.tagAcc[p] += c;
        }
      }
      const item = this.toIndex[product];
      if (item < 0) continue;
      for (let kind = 0; kind < 3; kind += 1) {
        const { offsets, items, qs } = this.index.tables[kind];
        const acc = kind === 0 ? this.neighbour : kind === 1 ? this.viewed : this.next;
        const share = kind === 0 ? wn : kind === 1 ? wv : wx;
        // One more viewed-next step from `from` (the second step, or a sibling via a predecessor), `skip` aside.
        const reach = (from, carried, skip) => {
          for (let f = offsets[from]; f < offsets[from + 1]; f += 1) {
            if (items[f] === skip) continue;
            const q = this.toCatalog[items[f]];
            if (q < 0) continue;
            const reached = carried * decodeScore(qs[f]);
            this.next[q] += reached;
            if (share * reached > this.best[q]) {
              this.best[q] = share * reached;
              this.bestAnchor[q] = k;
            }
          }
        };
        for (let e = offsets[item]; e < offsets[item + 1]; e += 1) {
          const p = this.toCatalog[items[e]];
          if (p < 0) continue;
          const c = w * decodeScore(qs[e]);
          acc[p] += c;
          const weighted = share * c;
          if (weighted > this.best[p]) {
            this.best[p] = weighted;
            this.bestAnchor[p] = k;
          }
          if (kind !== 2 || PARAMS.secondStepShare <= 0) continue;
          reach(items[e], PARAMS.secondStepShare * c, -1);
        }
        if (kind !== 2 || PARAMS.siblingShare <= 0) continue;
        for (const [qIn, before] of this.predecessors[item]) reach(before, PARAMS.siblingShare * w * decodeScore(qIn), item);
      }
    }
    const better = (a, b) => (a.score !== b.score ? a.score > b.score : a.product < b.product);
    const heap = []; // kept sorted best first: count is small
    for (let p = 0; p < this.n; p += 1) {
      const nb = this.neighbour[p];
      const vt = this.viewed[p];
      const nx = this.next[p];
      const tg = this.tagAcc[p];
      const best = this.best[p];
      const bestAnchor = this.bestAnchor[p];
      this.neighbour[p] = 0;
      this.viewed[p] = 0;
      this.next[p] = 0;
      this.tagAcc[p] = 0;
      this.best[p] = 0;
      this.bestAnchor[p] = -1;
      if (excluded[p]) continue;
      const priorPart = wp * this.prior[p];
      let score = priorPart;
      if (total > 0) {
        const content = PARAMS.tagShare * (this.tagNorm[p] > 0 ? tg / this.tagNorm[p] : 0.0) +
          PARAMS.categoryShare * (this.category[p] >= 0 ? this.categoryWeight[this.category[p]] : 0.0) +
          PARAMS.brandShare * (this.brand[p] >= 0 ? this.brandWeight[this.brand[p]] : 0.0) +
          PARAMS.priceShare * this.bandWeight[this.band[p]];
        score += (wn * nb + wv * vt + wx * nx + wc * content) / total;
      }
      score *= 1.0; // no boosts
      if (!(score > 0)) continue;
      if (heap.length === count) {
        const worst = heap[count - 1]; // candidates come in catalog order: a tie never beats it
        if (!(score > worst.score)) continue;
      }
      const candidate = { product: p, score, neighbour: total > 0 ? best / total : 0.0, anchor: bestAnchor, prior: priorPart };
      let i = heap.length < count ? heap.length : count - 1;
      if (heap.length < count) heap.push(candidate);
      while (i > 0 && better(candidate, heap[i - 1])) {
        heap[i] = heap[i - 1];
        i -= 1;
      }
      heap[i] = candidate;
    }
    return heap;
  }

  // "Picked for you": top `limit` with diversity and reasons, from viewed products only.
  pickedForYou(views, now, limit, strings) {
    const anchors = this.anchors(views, now);
    const excluded = Uint8Array.from(this.outOfStock);
    for (const v of views) {
      const p = this.position.get(v.productId);
      if (p !== undefined) excluded[p] = 1;
    }
    const candidates = this.top(anchors, excluded, Math.min(this.n, limit * 3));
    const used = new Uint8Array(candidates.length);
    const perCategory = new Map();
    const chosen = [];
    while (chosen.length < limit) {
      let best = candidates.length;
      let bestScore = 0;
      for (let i = 0; i < candidates.length; i += 1) {
        if (used[i]) continue;
        let score = candidates[i].score;
        const category = this.category[candidates[i].product];
        if (category >= 0) for (let repeat = perCategory.get(category) || 0; repeat > 0; repeat -= 1) score *= this.weights.diversity;
        if (best === candidates.length || score > bestScore) {
          best = i;
          bestScore = score;
        }
      }
      if (best === candidates.length) break;
      used[best] = 1;
      const category = this.category[candidates[best].product];
      if (category >= 0) perCategory.set(category, (perCategory.get(category) || 0) + 1);
      chosen.push(candidates[best]);
    }
    let total = 0;
    for (const a of anchors) total += a.weight;
    return chosen.map((s, i) => {
      let bestContent = 0;
      let contentAnchor = -1;
      for (let k = 0; k < anchors.length && total > 0; k += 1) {
        const likeness = this.content(anchors[k].product, s.product);
        if (likeness < MIN_LIKENESS) continue;
        const c = (this.weights.content * anchors[k].weight * likeness) / total;
        if (c > bestContent) {
          bestContent = c;
          contentAnchor = k;
        }
      }
      let anchor = -1;
      if (s.anchor >= 0 && s.neighbour >= bestContent && s.neighbour > s.prior) anchor = s.anchor;
      else if (contentAnchor >= 0 && bestContent > s.prior) anchor = contentAnchor;
      const product = this.catalog[s.product];
      const reason = anchor >= 0
        ? { code: 'viewed', text: strings['suggest.reason.viewed'].replaceAll('{title}', this.catalog[anchors[anchor].product].title), productId: this.catalog[anchors[anchor].product].id }
        : { code: 'popular', text: strings['suggest.reason.popular'], productId: null };
      return { productId: product.id, title: product.title, price: product.price, position: i + 1, score: s.score, reason };
    });
  }
}
