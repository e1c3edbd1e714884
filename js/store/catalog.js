// instance.catalog: read-only views of the validated catalog. The catalog never changes after init, so it is
// asked of the core once, when the instance starts, and every read after that answers at once.
export class CatalogApi {
  constructor(products) {
    this.list = products;
    this.byId = new Map(products.map((product) => [product.id, product]));
  }

  static async load(session) {
    return new CatalogApi(await session.request('products'));
  }

  // The product with this id, or null when the catalog has none.
  get(id) {
    const product = this.byId.get(String(id));
    return product ? structuredClone(product) : null;
  }

  products() {
    return this.list.map((product) => ({ ...product, tags: [...product.tags] }));
  }
}
