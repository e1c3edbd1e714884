// Where the shopper is (checkout step, coupon) travels with the saved cart and with resume links, so a link or
// a return visit brings them back to the same stage. This file reads the stage from the page and the quote,
// records it with persistence.setContext(), and puts a saved or linked coupon back into instance.quote.
// Steps: the page's checkout step (declaredCheckoutStep), else the options.persistence.resumeUrls entry
// whose page this is; pages that are no step (a product page) leave the saved step as it was.
import { declaredCheckoutStep } from '../platform/page-context.js';

function pageStep(resumeUrls) {
  if (typeof document === 'undefined' || typeof location === 'undefined') return null;
  const marked = declaredCheckoutStep();
  if (marked !== null) return marked;
  for (const [step, url] of Object.entries(resumeUrls || {})) {
    try {
      const target = new URL(url, document.baseURI);
      if (target.origin === location.origin && target.pathname === location.pathname) return step;
    } catch {
      // a URL the core accepted but this page cannot resolve: not this page
    }
  }
  return null;
}

function firstCoupon(instance) {
  try {
    return instance.quote.coupons()[0] || '';
  } catch {
    return '';
  }
}

// A coupon from a link or the saved cart goes back into the quote when the shopper has none yet.
export function restoreCoupon(instance, coupon) {
  if (!coupon || typeof instance.quote !== 'function' || firstCoupon(instance)) return;
  // A store that no longer offers the coupon refuses it: the cart itself is what matters.
  Promise.resolve().then(() => instance.quote.applyCoupon(coupon)).catch(() => {});
}

// Starts following the stage; returns a function that stops it. `link` is this page's ?cartkeep= result.
export function trackStage(persistence, { restored, link }) {
  const instance = persistence.instance;
  let known = { step: '', coupon: '', ...(restored && restored.context) };
  const record = (patch) => {
    const next = { ...known, ...patch };
    if (next.step === known.step && next.coupon === known.coupon) return;
    known = next;
    persistence.setContext(patch).then((stage) => { known = stage; }, (error) => {
      // a step name or coupon code the snapshot cannot hold: the cart is still saved, without the stage
      persistence.reportError(error, { source: 'persistence-stage' });
    });
  };

  // The step is recorded once there is a cart to save: a visitor without one gets nothing stored.
  let pendingStep = null;
  if (link && link.ok) {
    known = { step: link.step || '', coupon: link.coupon || '' }; // the core recorded the link's stage
  } else {
    pendingStep = pageStep(persistence.options.resumeUrls);
  }
  const recordStep = () => {
    if (pendingStep === null || instance.cart.count() === 0) return;
    const step = pendingStep;
    pendingStep = null;
    record({ step });
  };
  recordStep();
  restoreCoupon(instance, known.coupon);

  const offs = [
    instance.events.on('cart-change', recordStep),
    instance.events.on('quote-change', (detail) => {
      if (detail && detail.reason === 'coupon') record({ coupon: firstCoupon(instance) });
    }),
  ];
  return () => offs.forEach((off) => off());
}
