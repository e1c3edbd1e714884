// The merchant's page of the demo: renders instance.metrics() (this browser's recorded sessions, or a file of
// collected events) as a table of key figures, a drop-off funnel drawn in SVG, the nudge uplift with its
// confidence interval, and traffic sources. Every figure comes from the CartKeep core; this file only formats.
// Built with DOM APIs and textContent only: labels and sources are data, never markup (strict CSP, no inline code).
(() => {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 });
  const decimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
  const points = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
  const count = new Intl.NumberFormat('en-GB');
  const DASH = '—';

  function h(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    return node;
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // "Not enough data" in the shop's language (options.strings['metrics.noData']), set once CartKeep is ready.
  let NO_DATA = 'Not enough data';
  // A rate needs something to be a rate of: with no base (null from the core) it says so instead of a dash.
  const rate = (value) => (value === null || value === undefined ? NO_DATA : percent.format(value));
  const duration = (ms) => {
    if (ms === null || ms === undefined) return DASH;
    if (ms < 1000) return `${count.format(ms)} ms`;
    if (ms < 120000) return `${decimal.format(ms / 1000)} s`;
    return `${decimal.format(ms / 60000)} min`;
  };
  const summary = (s, format) => (s && s.count ? `${format(s.medianMs)} median · ${format(s.p90Ms)} 90th percentile · ${count.format(s.count)} measured` : NO_DATA);

  // What the figures were counted from, by metrics().scope: said above the table and on the rows it changes.
  const SCOPES = {
    device: { line: 'this browser’s events recorded while measurement was allowed (consented events only)', nudges: 'nudges decided while measurement was allowed' },
    page: { line: 'this page’s events only (all local events of this page: before consent nothing is kept from page to page)', nudges: 'nudges decided on this page' },
    given: { line: 'every event in the file', nudges: 'nudges decided in the file’s events' },
  };

  // [id, label, what exactly it counts, value]. Every figure is counted from the same events (the source line
  // above the table says which: this browser's consented events, this page's events, or a file), and each row
  // says what it counts, so two figures never seem to contradict each other.
  function kpiRows(m, money) {
    const amount = (v) => (v === null || v === undefined ? NO_DATA : money(v));
    const centre = (c) => (c && c.median !== null ? `${decimal.format(c.median)} median · ${decimal.format(c.mean)} mean` : NO_DATA);
    return [
      ['sessions', 'Sessions', 'visits with at least one recorded page view', count.format(m.sessions)],
      ['carts-created', 'Carts created', 'carts that received a first item', count.format(m.carts.created)],
      ['carts-completed', 'Carts completed (purchased)', 'carts that ended in an order', count.format(m.carts.completed)],
      ['abandonment-rate', 'Abandonment rate', 'of the carts that ended (bought or abandoned), the share never bought; carts still open are not counted', rate(m.carts.abandonmentRate)],
      ['abandoned-carts', 'Abandoned carts', 'carts reported abandoned: items left and no activity for the abandonment time', count.format(m.abandoned.carts)],
      ['abandoned-items', 'Abandoned items', 'items in the abandoned carts', count.format(m.abandoned.items)],
      ['abandoned-value', 'Abandoned cart value', 'value of the abandoned carts', amount(m.abandoned.value)],
      ['recovered-carts', 'Carts recovered', 'abandoned carts bought later (share of abandoned carts)',
        m.abandoned.carts ? `${count.format(m.recovered.carts)} (${rate(m.recovered.rate)})` : `${count.format(m.recovered.carts)} (${NO_DATA}: no abandoned carts)`],
      ['recovered-revenue', 'Revenue recovered', 'orders of the recovered carts', amount(m.recovered.revenue)],
      ['orders', 'Orders', 'recorded purchases', count.format(m.orders.count)],
      ['revenue', 'Revenue', 'order totals, delivery included', amount(m.orders.revenue)],
      ['average-order', 'Average order value', 'revenue ÷ orders', amount(m.orders.averageValue)],
      ['time-to-checkout', 'Time from cart to checkout', 'from the first item to the checkout page', summary(m.timeToCheckout, duration)],
      ['path-pages', 'Path to purchase: pages', 'pages seen in the visits that ended in an order', centre(m.pathLength.pages)],
      ['path-steps', 'Path to purchase: checkout steps', 'checkout steps recorded before the order', centre(m.pathLength.steps)],
      ['add-to-cart-response', 'Add-to-cart response time', 'from the click to the updated cart', summary(m.addToCartResponse, duration)],
      ['checkout-load', 'Checkout page load time', 'checkout pages only', summary(m.checkoutLoad, duration)],
      ['nudges', 'Nudges shown · held out · accepted · dismissed', (SCOPES[m.scope] || SCOPES.given).nudges,
        [m.nudges.shown, m.nudges.heldOut, m.nudges.accepted, m.nudges.dismissed].map((n) => count.format(n)).join(' · ')],
    ];
  }

  function renderKpis(m, money) {
    const rows = kpiRows(m, money).map(([id, label, counts, value]) =>
      h('tr', { 'data-kpi': id }, h('th', { scope: 'row' }, label, h('small', { class: 'kpi-counts' }, counts)), h('td', {}, value)));
    $('kpi-table').tBodies[0].replaceChildren(...rows);
  }

  // "−40%" for a drop-off; "+100%" when a stage counts more than the one before (a session can create two carts);
  // nothing when nothing changed (never "−0%", also not for a change that rounds to zero).
  const change = (dropOff) => {
    if (dropOff === null || dropOff === undefined) return '';
    const shown = percent.format(Math.abs(dropOff));
    if (shown === percent.format(0)) return '';
    return dropOff > 0 ? `  −${shown}` : `  +${shown}`;
  };

  // The funnel as horizontal bars: one row per stage, the bar's length its share of the largest stage.
  function renderFunnel(stages) {
    const figure = $('funnel');
    for (const old of figure.querySelectorAll('svg, ol')) old.remove();
    const rowHeight = 34;
    const labelWidth = 190;
    const barWidth = 360;
    const width = labelWidth + barWidth + 130;
    const height = Math.max(1, stages.length) * rowHeight;
    const top = Math.max(1, ...stages.map((s) => s.count));
    const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'funnel-chart', role: 'img', 'aria-labelledby': 'funnel-title funnel-caption' });
    stages.forEach((stage, i) => {
      const y = i * rowHeight;
      const length = Math.round((stage.count / top) * barWidth);
      const row = svg('g', { class: 'funnel-row', 'data-stage': stage.id, 'data-count': stage.count });
      row.append(svg('text', { x: labelWidth - 10, y: y + 22, class: 'funnel-label', 'text-anchor': 'end' }, stage.label));
      row.append(svg('rect', { x: labelWidth, y: y + 6, width: Math.max(length, stage.count ? 2 : 0), height: rowHeight - 12, rx: 3, class: 'funnel-bar' }));
      const drop = change(stage.dropOff);
      row.append(svg('text', { x: labelWidth + length + 8, y: y + 22, class: 'funnel-count' }, `${count.format(stage.count)}${drop}`));
      chart.append(row);
    });
    // The same figures as text for screen readers (the chart is an image to them).
    const list = h('ol', { class: 'visually-hidden' }, ...stages.map((s) => h('li', {}, `${s.label}: ${count.format(s.count)}${
      !change(s.dropOff) ? '' : s.dropOff > 0 ? `, ${percent.format(s.dropOff)} dropped off` : `, ${percent.format(-s.dropOff)} more`}`)));
    figure.prepend(chart, list);
  }

  // Nudge uplift: conversion of carts shown a nudge minus carts held out, with its interval on a points axis.
  function renderUplift(u) {
    const box = $('uplift');
    const arm = (name, a) => h('p', { 'data-arm': name },
      `${name === 'treatment' ? 'Shown a nudge' : 'Held out (no nudge)'}: ${count.format(a.converted)} of ${count.format(a.carts)} carts bought` +
      (a.rate === null ? '' : ` (${rate(a.rate)}, interval ${rate(a.interval[0])} to ${rate(a.interval[1])})`));
    const level = percent.format(u.level);
    const parts = [arm('treatment', u.treatment), arm('holdout', u.holdout)];
    if (u.difference === null) {
      parts.push(h('p', { 'data-uplift': 'none' }, 'No comparison yet: uplift needs carts in both groups (shown a nudge and held out).'));
      box.replaceChildren(...parts);
      return;
    }
    const pts = (v) => points.format(v * 100);
    parts.push(h('p', { class: 'uplift-figure', 'data-uplift': 'difference' },
      `Uplift ${pts(u.difference)} points, ${level} interval ${pts(u.interval[0])} to ${pts(u.interval[1])} points`));
    parts.push(h('p', { 'data-uplift': 'verdict' }, u.significant
      ? (u.difference > 0 ? 'The interval is above zero: nudges help.' : 'The interval is below zero: nudges hurt.')
      : 'The interval includes zero: no difference shown yet.'));
    if (!u.sufficient) parts.push(h('p', { class: 'uplift-note' }, 'Too few carts in a group for a firm conclusion yet.'));

    // -100 .. +100 points, zero in the middle; the interval as a line, the difference as a dot.
    const width = 600;
    const x = (v) => Math.round(((Math.max(-1, Math.min(1, v)) + 1) / 2) * (width - 40)) + 20;
    const plot = svg('svg', { viewBox: `0 0 ${width} 70`, class: 'uplift-chart', role: 'img',
      'aria-label': `Uplift ${pts(u.difference)} points, interval ${pts(u.interval[0])} to ${pts(u.interval[1])}` });
    plot.append(svg('line', { x1: 20, x2: width - 20, y1: 40, y2: 40, class: 'uplift-axis' }));
    plot.append(svg('line', { x1: x(0), x2: x(0), y1: 15, y2: 60, class: 'uplift-zero' }));
    for (const v of [-1, -0.5, 0, 0.5, 1]) plot.append(svg('text', { x: x(v), y: 68, 'text-anchor': 'middle', class: 'uplift-tick' }, pts(v)));
    plot.append(svg('line', { x1: x(u.interval[0]), x2: x(u.interval[1]), y1: 30, y2: 30, class: 'uplift-interval' }));
    plot.append(svg('circle', { cx: x(u.difference), cy: 30, r: 6, class: 'uplift-point' }));
    parts.push(plot);
    box.replaceChildren(...parts);
  }

  function renderTraffic(rows) {
    const body = $('traffic-table').tBodies[0];
    if (!rows.length) {
      body.replaceChildren(h('tr', {}, h('td', { colspan: 5 }, 'No sessions yet.')));
      return;
    }
    body.replaceChildren(...rows.map((r) => h('tr', { 'data-source': `${r.source}/${r.medium}` },
      h('th', { scope: 'row' }, `${r.source} / ${r.medium}`), h('td', {}, count.format(r.sessions)), h('td', {}, count.format(r.carts)),
      h('td', {}, count.format(r.completed)), h('td', {}, rate(r.abandonmentRate)))));
  }

  function render(instance, metrics, fileName) {
    const money = (v) => instance.formatMoney(v);
    const source = metrics.scope === 'given' ? `every event in ${fileName}` : (SCOPES[metrics.scope] || SCOPES.given).line;
    $('metrics-source').textContent = `Counted from: ${source}`;
    $('metrics-source').dataset.scope = metrics.scope;
    renderKpis(metrics, money);
    renderFunnel(metrics.funnel);
    renderUplift(metrics.uplift);
    renderTraffic(metrics.traffic);
    document.body.setAttribute('data-metrics', 'ready'); // for tests and for people: the figures are in
  }

  function status(text) {
    const node = $('merchant-status');
    node.textContent = text;
    node.hidden = !text;
  }

  function showConsent(instance) {
    const c = instance.consent.get();
    const texts = {
      granted: 'Allowed: CartKeep records this browser’s shopping events on this device (nothing is sent anywhere: the demo has no endpoint).',
      denied: c.source === 'gpc'
        ? 'Denied by Global Privacy Control in this browser: nothing is recorded.'
        : 'Denied: nothing is recorded or stored beyond the cart itself.',
      pending: 'Not allowed yet: nothing is recorded beyond the cart itself until you allow it.',
    };
    $('consent-state').textContent = texts[c.state] || c.state;
    $('consent-state').setAttribute('data-state', c.state);
    $('consent-grant').disabled = c.state === 'granted';
  }

  async function start() {
    let instance;
    try {
      instance = await window.CartKeep.ready;
    } catch (error) {
      status(`CartKeep could not start here (${error.code || error.message}), so there is nothing to show.`);
      return;
    }
    NO_DATA = instance.options.strings['metrics.noData'] || NO_DATA;
    const showDevice = async () => {
      render(instance, await instance.metrics());
      showConsent(instance);
    };
    $('consent-grant').addEventListener('click', async () => { await instance.consent.set('granted'); showDevice(); });
    $('consent-deny').addEventListener('click', async () => {
      await instance.consent.set('denied');
      await instance.tracking.forget();
      showDevice();
    });
    $('show-device').addEventListener('click', () => { status(''); showDevice(); });
    $('events-file').addEventListener('change', async (event) => {
      const file = event.target.files && event.target.files[0];
      if (!file) return;
      try {
        const metrics = await instance.metrics({ events: JSON.parse(await file.text()) });
        render(instance, metrics, file.name);
        status('');
      } catch (error) {
        // The core names what is wrong and where (e.g. "metrics.events[3].time: ..."); shown as text.
        status(`That file could not be read: ${error.message}`);
      }
      event.target.value = '';
    });
    showDevice();
  }

  start();
})();
