// instance.catalog: read-only views of the validated catalog. The catalog never changes after init, so each
// product is asked of the core once (an add-to-cart click names the product it announces).
export class CatalogApi {
  constructor(session) {
    this.session = session;
    this.cache = null;
    this.byId = new Map();
  }

  get(id) {
    const key = String(id);
    if (!this.byId.has(key)) this.byId.set(key, this.session.call('product', key));
    return structuredClone(this.byId.get(key));
  }

  products() {
    if (!this.cache) this.cache = this.session.call('products');
    return this.cache.map((product) => ({ ...product, tags: [...product.tags] }));
  }
}
