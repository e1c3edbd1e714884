// instance.catalog: read-only views of the validated catalog. The catalog never changes after init, which
// answers it as the core's JSON text; it is parsed on the first read, so a page that never reads the catalog
// never pays for it, and every read after that answers at once.
export class CatalogApi {
  constructor(productsJson) {
    this.json = productsJson;
    this.parsed = null;
  }

  read() {
    if (!this.parsed) {
      const list = JSON.parse(this.json);
      this.parsed = { list, byId: new Map(list.map((product) => [product.id, product])) };
      this.json = null;
    }
    return this.parsed;
  }

  // The product with this id, or null when the catalog has none.
  get(id) {
    const product = this.read().byId.get(String(id));
    return product ? structuredClone(product) : null;
  }

  products() {
    return this.read().list.map((product) => ({ ...product, tags: [...product.tags] }));
  }
}
