// A merchant's event endpoint for Chromium tests: the demo server hands it POST /collect (startDemo hooks).
// It records every request (parsed payload, content type, Sec-Fetch-Mode: "no-cors" for sendBeacon, "cors"
// for fetch) and answers with the status `answer(n)` returns for the n-th request.
export class Collector {
  constructor(path = '/collect') {
    this.path = path;
    this.reset();
    this.waiters = new Set();
  }

  reset() {
    this.received = [];
    this.answer = () => 204;
  }

  hooks() {
    return { onRequest: (url, request, response) => this.handle(url, request, response) };
  }

  handle(url, request, response) {
    if (url.pathname !== this.path) return false;
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => { text += chunk; });
    request.on('end', () => {
      const status = this.answer(this.received.length);
      let body = null;
      try { body = JSON.parse(text); } catch { /* recorded as null: a test asserts on it */ }
      this.received.push({ status, body, text, method: request.method, type: request.headers['content-type'],
        mode: request.headers['sec-fetch-mode'] });
      response.writeHead(status, status === 503 ? { 'retry-after': '0' } : {}).end();
      for (const wake of [...this.waiters]) wake();
    });
    return true;
  }

  // Resolves when check() holds, re-checked on every request that arrives; rejects after `ms`.
  until(check, what, ms = 30000) {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.summary())}`));
      }, ms);
      const wake = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
    });
  }

  events(filter = () => true) {
    return this.received.filter(filter).flatMap((r) => (r.body && Array.isArray(r.body.events) ? r.body.events : []));
  }

  ids(filter) {
    return this.events(filter).map((e) => e.id);
  }

  summary() {
    return this.received.map((r) => ({ status: r.status, mode: r.mode, names: r.body && r.body.events ? r.body.events.map((e) => e.name) : null }));
  }
}
