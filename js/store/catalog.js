// instance.catalog: read-only views of the validated catalog.
export class CatalogApi {
  constructor(session) {
    this.session = session;
    this.cache = null;
  }

  get(id) {
    return this.session.call('product', String(id));
  }

  products() {
    if (!this.cache) this.cache = this.session.call('products');
    return this.cache.map((product) => ({ ...product, tags: [...product.tags] }));
  }
}
