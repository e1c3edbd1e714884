// Types for CartKeep's public API (dist/cartkeep.mjs, and the global CartKeep of dist/cartkeep.js).

export type MinorUnits = number;

export interface Product {
  id: string;
  title: string;
  /** Plain text; '' when none. */
  description: string;
  /** Price in integer minor units of the store currency (pence for GBP). */
  price: MinorUnits;
  currency: string;
  category: string;
  tags: string[];
  brand: string;
  /** Grams; 0 when unknown. */
  weight: number;
  /** Units in stock; null when stock is not tracked. */
  stock: number | null;
  /** Relative or http(s) URL; '' when none. */
  image: string;
  /** Relative or http(s) URL; '' when none. */
  url: string;
  /** Shipping class named by shipping methods ("bulky"); '' when none. */
  shippingClass: string;
  /** Key of each zone's tax rates; default "standard". */
  taxCategory: string;
}

export interface CartLine {
  productId: string;
  title: string;
  quantity: number;
  unitPrice: MinorUnits;
  lineTotal: MinorUnits;
  image: string;
  url: string;
  stock: number | null;
}

export interface CartSnapshot {
  /** Increases with every change. */
  revision: number;
  /** Units over all lines. */
  count: number;
  currency: string;
  subtotal: MinorUnits;
  lines: CartLine[];
}

export interface Options {
  /** ISO 4217 code of the store currency, e.g. "GBP". */
  currency: string;
  /** The products, or the URL of a JSON file holding them. */
  catalog: Array<Partial<Product> & { id: string; title: string; price: MinorUnits }> | string;
  /** BCP 47 tag; defaults to <html lang>, then the browser's language. */
  locale?: string;
  /** "auto" (from the locale), "ltr" or "rtl". */
  direction?: 'auto' | 'ltr' | 'rtl';
  cart?: { maxQuantityPerLine?: number; maxLines?: number };
  /** A text per key: a string, or per locale {"en": "...", "ar": "..."} (the store locale, then its language). */
  strings?: Record<string, string | Record<string, string>>;
  debug?: boolean;
  /** URL of cartkeep.wasm, relative to the script; default: next to the script. */
  wasmUrl?: string;
  /** URL of the engine's worker script, relative to the script; default: cartkeep.worker.js next to the script. */
  workerUrl?: string;
  /** Returns the URL of a file the loader needs: 'cartkeep.wasm' or 'cartkeep.worker.js'. */
  locateFile?: (file: string, scriptUrl: string) => string;
  /** The wasm bytes, for Node or when the merchant ships them otherwise. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Quote options: see docs/quote.md. */
  rounding?: { mode?: 'half-up' | 'half-even' | 'up' | 'down'; level?: 'line' | 'order' };
  tax?: { pricesIncludeTax?: boolean; shippingTaxable?: boolean; shippingCategory?: string };
  shipping?: {
    zones: ShippingZoneOptions[]; defaultDestination?: Partial<Destination>; countries?: string[];
    /** Accepted postcode shapes per country ("A9 9AA": A letter, 9 digit, X either), replacing the built-in ones. */
    postcodePatterns?: Record<string, string[]>;
  };
  fees?: Array<{ id: string; name: MerchantText; type: 'fixed' | 'percentage'; amount?: MinorUnits; rate?: Percent; base?: 'subtotal' | 'order'; paymentMethods?: string[] }>;
  coupons?: CouponOptions[];
  delivery?: { processingDays?: number; cutoff?: string; businessDays?: Array<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'>; holidays?: string[]; timeZone?: string };
  /** Suggestions: see docs/suggest.md. */
  suggestions?: SuggestionOptions;
  /** Saved cart, tabs in step, resume links: see docs/persistence.md; false turns saving off. */
  persistence?: PersistenceOptions | boolean;
  /** The event stream: endpoint, batching, dataLayer, abandonment, checkout steps (docs/events.md). */
  events?: EventsOptions | false;
  /** Consent for measurement: a mode, or {mode, gpc, signal, ...} (docs/events.md). */
  consent?: ConsentOptions['mode'] | ConsentOptions;
  /** Dwell, exit intent, risk (docs/behaviour.md). */
  behaviour?: BehaviourOptions;
  /** The nudge playbook and its caps (docs/behaviour.md). */
  nudges?: NudgeOptions;
  [feature: string]: unknown;
}

// ---- behaviour: dwell, exit intent, risk, nudges (docs/behaviour.md) -------------------------------------
export type RiskSignal = 'exitIntent' | 'cartDwell' | 'repeatCartViews' | 'itemRemovals' | 'couponHunting' | 'costPreviewIdle' | 'tabAway';
export type ExitReason = 'trajectory' | 'top-exit' | 'scroll-up' | 'back-button' | 'tab-return' | 'idle';
export interface BehaviourOptions {
  enabled?: boolean;
  idleAfterMs?: number;
  /** false: no DOM sensors; the page forwards observations with instance.behaviour.observe(). */
  sensors?: boolean;
  /** Keep the raw observations for instance.behaviour.recorded() (allocates per event). */
  record?: boolean;
  pages?: { cart?: string[]; checkout?: string[]; product?: string[]; productParam?: string; [type: string]: string[] | string | undefined };
  exitIntent?: {
    enabled?: boolean; sensitivity?: 'low' | 'normal' | 'high'; predictive?: boolean; topMarginPx?: number;
    armDelayMs?: number; armDepthPx?: number; tabReturn?: boolean; tabReturnMinMs?: number; scrollUp?: boolean;
    scrollUpSpeed?: number; backButtonGuard?: boolean; idleTimeoutMs?: number; idleOnDesktop?: boolean;
  };
  risk?: {
    weights?: Partial<Record<RiskSignal, number>>; cartDwellMs?: number; repeatCartViews?: number; itemRemovals?: number;
    costPreviewIdleMs?: number; tabAwayMs?: number; step?: number;
  };
}
export type NudgeOffer =
  | { type: 'reassurance'; returnsDays?: number; checkoutUrl?: string }
  | { type: 'save'; resumeUrl?: string }
  | { type: 'coupon'; code: string; percentOff?: number; amountOff?: MinorUnits; expiresInMinutes?: number }
  | { type: 'help'; chatUrl?: string; whatsapp?: string; phone?: string; email?: string };
export interface NudgeRule {
  id?: string;
  offer: NudgeOffer;
  triggers?: ExitReason[];
  reasons?: RiskSignal[];
  minRisk?: number;
  onRisk?: boolean;
  minCartValue?: MinorUnits;
  minItems?: number;
  pages?: string[];
  visitShare?: number;
  maxPerSession?: number;
  maxPerDays?: { count: number; days: number };
}
export interface NudgeOptions {
  enabled?: boolean;
  /** Share of visitors (0-0.5) who never see a nudge, by a hash of the visitor id. */
  holdout?: number;
  salt?: string;
  maxPerSession?: number;
  maxPerDays?: { count: number; days: number };
  minGapMs?: number;
  quietDaysAfterConversion?: number;
  playbook?: NudgeRule[];
}
export interface DwellTimes { activeMs: number; idleMs: number; hiddenMs: number }
export interface DwellReport {
  total: DwellTimes;
  pages: Array<DwellTimes & { path: string; type: string; productId: string; enteredAt: number; current: boolean }>;
  products: Record<string, DwellTimes>;
  cards: Record<string, DwellTimes>;
}
export interface RiskReport { score: number; reasons: Array<{ signal: RiskSignal; strength: number; contribution: number }> }
export interface ExitIntentDetail { t: number; reason: ExitReason; x: number; y: number; speed: number; awayMs: number; page: string }
export interface NudgeDetail { id: string; rule: string; trigger: ExitReason | 'risk'; offer: NudgeOffer; risk: number }
/** One observation: [t, kind, ...] (docs/behaviour.md, "Observations"). */
export type Observation = [number, string, ...unknown[]];
export interface BehaviourApi {
  dwell(): Promise<DwellReport>;
  risk(): Promise<RiskReport>;
  summary(): Promise<{ caps: Record<string, unknown>; dwell: DwellReport; nudges: { heldOut: boolean; decided: number; accepted: number; dismissed: number; converted: boolean; [key: string]: unknown }; [key: string]: unknown }>;
  /** The frequency-cap state (stored in localStorage only with consent). */
  caps(): Promise<{ visitor: string; session: string; visits: number; shown: Array<[string, number]>; convertedAt: number | null; [key: string]: unknown }>;
  /** The page tells CartKeep about checkout progress it cannot see. */
  progress(): Promise<void>;
  /** The order was placed: no nudge in this session, nor for quietDaysAfterConversion. */
  converted(): Promise<void>;
  /** Resolves once the core has taken it and its decisions are out as events. */
  observe(observation: Observation): Promise<void>;
  /** Replays observations through the core and resolves with every decision, oldest first. */
  replay(trace: Observation[] | { events: Observation[] }): Promise<Array<Record<string, unknown> & { type: string }>>;
  /** The raw observations so far (options.behaviour.record: true). */
  recorded(): Promise<Observation[]>;
}

export type SuggestionPlacement = 'bought-together' | 'complete-order' | 'free-shipping' | 'picked-for-you' | 'recently-viewed';

export interface SuggestionOptions {
  /** URL of the index built by tools/suggest-index (relative to the page); fetched in the background. */
  index?: string;
  /** Refuse an index built for another catalog version label. */
  catalogVersion?: string;
  /** Refuse an index that knows fewer than this percentage of the catalog's products (default 50). */
  minCoverage?: number;
  /** Suggestions per placement, 1-50 (default 8). */
  limit?: number;
  /** Blend weights (defaults 1, 0.5, 0.02, 0.001). */
  weights?: { neighbours?: number; viewedTogether?: number; viewedNext?: number; content?: number; popularity?: number };
  /** Score kept per product already shown from the same category, 0-1 (default 0.7; 1: off). */
  diversity?: number;
  viewHalfLifeHours?: number;
  purchaseHalfLifeDays?: number;
  /** Bought products are not suggested again for this many days (default 365; 0: never hidden). */
  hideBoughtForDays?: number;
  freeShipping?: { maxOvershootPercent?: number };
  /** Fallback popularity order without an index (then the catalog order). */
  popular?: string[];
  pins?: Array<{ productId: string; placement?: SuggestionPlacement; position?: number }>;
  /** Exactly one of productId, category, tag or brand; factor 0 hides, 1 is neutral. */
  boosts?: Array<{ productId?: string; category?: string; tag?: string; brand?: string; factor: number }>;
  /** Keep the shopper's profile in localStorage (default true). */
  rememberProfile?: boolean;
  storageKey?: string;
  maxViews?: number;
  maxPurchases?: number;
}

export interface SuggestRequest {
  placement: SuggestionPlacement;
  /** The product on screen: required for bought-together; excluded from every placement. */
  productId?: string;
  limit?: number;
  /** free-shipping: minor units still missing; default: the quote's freeShipping.remaining. */
  gap?: MinorUnits;
  /** Unix ms; default: the time of the latest event given its own `at` (a replayed log) until a live event or forget(), else Date.now(). */
  now?: number;
}

export interface SuggestionReason {
  code: 'bought-together' | 'viewed' | 'purchased' | 'similar' | 'popular' | 'featured' | 'pinned' | 'recently-viewed';
  /** Ready to show (options.strings), e.g. "Often bought with White Metal Lantern". */
  text: string;
  /** The same text as {key, values} (a `suggest.reason.*` string), the convention of every feature's messages. */
  message: QuoteMessage;
  /** The product the reason points at, or null. */
  productId: string | null;
}

export interface Suggestion {
  position: number;
  productId: string;
  title: string;
  price: MinorUnits;
  image: string;
  url: string;
  category: string;
  stock: number | null;
  /** Relevance (no unit); null for recently-viewed and for pins the ranking did not reach. */
  score: number | null;
  reason: SuggestionReason;
  /** recently-viewed only: Unix ms of the view. */
  viewedAt?: number;
}

export interface SuggestResult {
  placement: SuggestionPlacement;
  /** 'index' when a valid index is loaded, else 'popularity' (the fallback). */
  source: 'index' | 'popularity';
  /** The heading template (free-shipping: with {amount}). */
  title: string;
  gap?: MinorUnits | null;
  items: Suggestion[];
  /** Input problems that degraded the result (an unknown productId), also emitted as `error` events. */
  issues: Array<{ code: string; path: string; message: string }>;
}

export interface SuggestStatus {
  source: 'index' | 'popularity';
  index: null | { items: number; matched: number; catalog: number; coverage: number; catalogVersion: string; source: string;
    fingerprint: string; firstEvent: number; lastEvent: number; bytes: number; maxNeighbours: number };
  /** Why the last index was refused (code 'invalid-argument', or 'index-version' for an index of another format version; path 'suggestions.index'); a failed fetch is only an `error` event ('index-load-failed'). */
  error: null | { code: string; path: string; message: string };
  /** Ids in options.suggestions (pins, boosts, popular) the catalog lacks: ignored, and emitted once as `error` events. */
  issues: Array<{ code: string; path: string; message: string }>;
  profile: { views: number; cartAdds: number; purchases: number };
}

/** Attributes of <cartkeep-suggestions> (docs/suggest.md#the-widget). */
export interface SuggestionsElementAttributes {
  placement?: SuggestionPlacement;
  /** Default: <body data-cartkeep-product>. */
  'product-id'?: string;
  /** 1-50; default options.suggestions.limit. */
  limit?: string;
  /** free-shipping: minor units; default the quote's gap. */
  gap?: string;
  /** 2-6 (default 2). */
  'heading-level'?: string;
}

/** suggest() and every call that needs the core (the tracking actions, status, profile, loadIndex) return
 *  promises and reject with CartKeepError; the core answers them in the order they were made. */
export interface SuggestApi {
  (request: SuggestRequest): Promise<SuggestResult>;
  /** Settles (never rejects) once options.suggestions.index has loaded or failed. The index loads when first
   *  needed (a widget near the screen, the first suggest()); reading `ready` starts the load too. */
  readonly ready: Promise<SuggestStatus>;
  /** Starts loading options.suggestions.index if nothing has yet (one load for every caller); resolves as `ready`. */
  prepare(): Promise<SuggestStatus>;
  status(): Promise<SuggestStatus>;
  /** Loads index bytes directly (Node, tests, a merchant's own fetch); rejects with CartKeepError when refused. */
  loadIndex(bytes: ArrayBuffer | Uint8Array): Promise<SuggestStatus>;
  /** Records a product view; startView() also measures the dwell while the page is visible. */
  /** `at` (ms since 1970) records the event at its own time; suggest() then defaults `now` to it (replaying a log). */
  view(productId: string | { productId: string; dwellMs?: number; at?: number }, options?: { dwellMs?: number; at?: number }): Promise<unknown>;
  /** Returns at once the way to end the view; a view the core refuses (unknown product) is an `error` event. */
  startView(productId: string): () => void;
  /** Records an order's products (default: the cart's, read at the call). */
  purchased(productIds?: string[], options?: { at?: number }): Promise<unknown>;
  /** The stored profile: {format, views: [[id, at, dwellMs]], cartAdds: [[id, at]], purchases: [[id, at]]}. */
  profile(): Promise<{ format: number; views: Array<[string, number, number]>; cartAdds: Array<[string, number]>; purchases: Array<[string, number]> }>;
  /** Erases the profile here and in localStorage. */
  forget(): Promise<void>;
  /** The quote's free-shipping gap in minor units, or null. */
  freeShippingGap(): Promise<MinorUnits | null>;
}

export interface SuggestionEventDetail {
  placement: SuggestionPlacement;
  productId: string;
  position: number;
  source: 'index' | 'popularity';
  reason: SuggestionReason['code'];
}

/** An integer percentage (20) or an exact decimal string ("17.5"); floats are refused. */
export type Percent = number | string;

export interface RateTier { from?: number; upTo?: number; amount: MinorUnits }

/** A merchant text shown to shoppers: one string, or per locale ({"en": ..., "ar": ...}); the store locale's
 *  entry is taken, then its language's, then "en". */
export type MerchantText = string | Record<string, string>;

export interface ShippingZoneOptions {
  id: string;
  name: MerchantText;
  /** ISO 3166-1 alpha-2 codes, or "*". */
  countries: string[];
  regions?: string[];
  postcodes?: string[];
  /** Tax category -> rate; omitted: no tax in this zone. */
  tax?: Record<string, Percent>;
  methods: Array<{
    id: string;
    name: MerchantText;
    rate: { type: 'flat'; amount: MinorUnits } | { type: 'weight' | 'subtotal'; tiers: RateTier[] } | { type: 'per-item'; amount: MinorUnits; base?: MinorUnits };
    freeAbove?: MinorUnits;
    classes?: Record<string, { excluded?: boolean; surcharge?: MinorUnits; surchargePerItem?: MinorUnits; label?: MerchantText }>;
    transitDays?: { min: number; max?: number };
  }>;
}

export interface CouponOptions {
  code: string;
  type: 'percentage' | 'fixed' | 'free-shipping';
  rate?: Percent;
  amount?: MinorUnits;
  currency?: string;
  minSubtotal?: MinorUnits;
  starts?: string;
  expires?: string;
  products?: string[];
  categories?: string[];
  methods?: string[];
  stacking?: 'exclusive' | 'combinable';
  description?: MerchantText;
}

export interface NormalisedOptions {
  currency: string;
  currencyExponent: number;
  locale: string;
  direction: 'ltr' | 'rtl';
  cart: { maxQuantityPerLine: number; maxLines: number };
  strings: Record<string, string>;
  debug: boolean;
  [feature: string]: unknown;
}

/** Every error code CartKeep reports; the README's "Error codes" table gives each one's meaning. */
export type CartKeepErrorCode =
  | 'invalid-json'
  | 'invalid-options'
  | 'invalid-catalog'
  | 'invalid-argument'
  | 'unknown-product'
  | 'quantity-limit'
  | 'out-of-stock'
  | 'overflow'
  | 'not-initialised'
  | 'snapshot-corrupt'
  | 'snapshot-checksum'
  | 'snapshot-future-version'
  | 'snapshot-invalid'
  | 'snapshot-too-large'
  | 'invalid-link'
  | 'link-too-long'
  | 'link-future-version'
  | 'storage-unavailable'
  | 'storage-quota'
  | 'wasm-load-failed'
  | 'worker-failed'
  | 'config-load-failed'
  | 'catalog-load-failed'
  | 'index-load-failed'
  | 'index-version'
  | 'destroyed'
  | 'internal';

export declare class CartKeepError extends Error {
  readonly name: 'CartKeepError';
  /** Stable id, e.g. 'invalid-options', 'unknown-product', 'wasm-load-failed'. */
  readonly code: CartKeepErrorCode;
  /** Where the bad input is, e.g. 'catalog[12].price'; '' when not about input. */
  readonly path: string;
  /** The reason without the path. */
  readonly reason: string;
}

export interface CartChangeDetail {
  action: 'add' | 'set-quantity' | 'remove' | 'clear' | string;
  productId: string | null;
  cart: CartSnapshot;
}

export interface ErrorDetail {
  code: CartKeepErrorCode;
  path: string;
  message: string;
  /** With `worker-failed` from the engine (`source: 'engine'`): whether a new worker took over (true) or the
   * page is read-only from now on (false). */
  restarted?: boolean;
  [context: string]: unknown;
}

// ---------------------------------------------------------------------------------------- persistence (docs/persistence.md)

/** Where the snapshot lives; any method may return a promise. Passed as options.persistence.storage. */
export interface StorageAdapter {
  get(key: string): string | null | Promise<string | null>;
  set(key: string, value: string): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}

export interface PersistenceOptions {
  /** false: the cart lives in memory only (default true). */
  enabled?: boolean;
  /** 'local' (default), 'session', 'indexeddb', 'memory', or your own adapter. */
  storage?: 'local' | 'session' | 'indexeddb' | 'memory' | StorageAdapter;
  /** Storage keys are cartkeep:<namespace>:cart; 1-64 of A-Z a-z 0-9 _ - . (default "default"). */
  namespace?: string;
  /** A saved cart older than this is dropped, 1-400 (default 30). */
  ttlDays?: number;
  /** Keep the store's tabs in step: true, false or "auto" (in browsers; default). */
  sync?: boolean | 'auto';
  /** A restore this long after the last save greets a returning shopper (default 30). */
  returningAfterMinutes?: number;
  /** Checkout step -> page, e.g. {cart: "/cart", checkout: "/checkout"}: Resume and resume links go there. */
  resumeUrls?: Record<string, string>;
  link?: {
    /** The query parameter (default "cartkeep"). */
    param?: string;
    /** Longest link value, 64-16000 characters (default 4000). */
    maxLength?: number;
    /** merge (default): the larger quantity per line; replace: the link's cart only. */
    mode?: 'merge' | 'replace';
    /** Base of shared links; default the step's resumeUrls page, else the current page. */
    url?: string;
  };
  /** JS only: ms since 1970 (tests). */
  clock?: () => number;
}

/** A difference found when a saved or linked cart is re-priced from the current catalog; `message` is the
 * shopper's text as {key, values} (the `persist.notice.*` strings), like a quote's messages. */
export type PersistNotice = { message: QuoteMessage } & (
  | { kind: 'price-changed'; productId: string; title: string; from: MinorUnits; to: MinorUnits }
  | { kind: 'quantity-reduced'; reason: 'stock' | 'limit'; productId: string; title: string; from: number; to: number }
  | { kind: 'removed'; reason: 'unavailable' | 'out-of-stock' | 'cart-full' | 'overflow'; productId: string; title: string; quantity: number }
  | { kind: 'link-unknown'; productId: string; path: string }
  | { kind: 'link-item-invalid'; path: string; problem: string });

export interface PersistenceStatus {
  storage: 'local' | 'session' | 'indexeddb' | 'memory' | 'custom';
  saved: boolean;
  /** Why the cart is not saved: 'storage-failed' | 'quota' | 'unavailable' (shown to the shopper), 'memory', 'disabled', 'starting'; null when saved. */
  reason: string | null;
  sync: 'broadcast-channel' | 'storage-event' | 'off';
  replica: string;
}

export interface PersistStage { step: string; coupon: string }

export interface RestoreDetail {
  status: 'empty' | 'restored' | 'expired' | 'damaged';
  version: number | null;
  returning: boolean;
  savedAt: number | null;
  notices: PersistNotice[];
  context: PersistStage;
  problem: { code: CartKeepErrorCode; path: string; message: string } | null;
  cart: CartSnapshot;
}

export interface ResumeLink { url: string; value: string; length: number; step: string; coupon: string }
export interface ShareLinks { url: string; text: string; subject: string; mailto: string; whatsapp: string }

export type LinkResult =
  | { ok: true; format: 'cartkeep' | 'list'; changed: boolean; notices: PersistNotice[]; items: number; step: string; coupon: string; cart: CartSnapshot }
  | { ok: false; problem: { code: 'invalid-link' | 'link-too-long' | 'link-future-version'; path: string; message: string } };

export interface BannerState {
  reason: 'returning' | 'changes' | 'link' | 'link-invalid';
  notices: PersistNotice[];
  step: string;
  resumeUrl: string;
  /** True when the shopper is already on resumeUrl's page (the banner then offers no Resume). */
  onResumePage: boolean;
  cart: CartSnapshot;
}

export interface PersistenceApi {
  /** Resolves (never rejects) once the saved cart is restored; init() waits for it. */
  start(): Promise<void>;
  status(): PersistenceStatus;
  /** True when storage failed and the cart lives in memory: show "Cart not saved on this device". */
  unsaved(): boolean;
  restoreResult(): RestoreDetail | null;
  /** Saves now (every change is saved anyway). */
  save(): Promise<PersistenceStatus>;
  /** Wipes what CartKeep stored for this store, in every tab, and empties the cart. */
  forget(): Promise<void>;
  /** Records where the shopper is; saved with the cart and carried by resume links. */
  setContext(stage: Partial<PersistStage>): Promise<PersistStage>;
  /** Throws CartKeepError 'link-too-long'. */
  link(request?: Partial<PersistStage>): Promise<ResumeLink>;
  resumeLink(request?: Partial<PersistStage>): Promise<ResumeLink>;
  share(request?: Partial<PersistStage>): Promise<ShareLinks>;
  /** Applies a ?cartkeep= value (checksummed form or ID:QTY,ID:QTY). */
  applyLink(value: string): Promise<LinkResult>;
  banner(): BannerState | null;
  dismissBanner(): void;
  /** Goes to the saved step's page (options.persistence.resumeUrls) and closes the banner. */
  resume(): void;
}

export interface EventMap {
  ready: { version: string; options: NormalisedOptions };
  'cart-change': CartChangeDetail;
  'quote-change': { reason: 'destination' | 'coupon' | 'method' | 'payment-method'; state: ReturnType<QuoteApi['state']> };
  error: ErrorDetail;
  destroy: Record<string, never>;
  'cart-created': { id: string; time: number; cart: string; restored: boolean; source: { source: string; medium: string; campaign: string } };
  'checkout-started': Record<string, unknown>;
  'checkout-step': { id: string; time: number; cart: string; step: string; index: number | null; sinceCheckoutMs: number };
  purchase: Record<string, unknown>;
  'cart-abandoned': CartAbandonedDetail;
  'view-item': StreamEventDetail;
  'page-view': StreamEventDetail & { path: string; type: string; landing: boolean };
  'page-timing': StreamEventDetail & { type: string; loadMs: number };
  'add-to-cart': StreamEventDetail & { currency: string; value: MinorUnits; items: EventItem[]; responseMs?: number };
  'remove-from-cart': StreamEventDetail & { currency: string; value: MinorUnits; items: EventItem[] };
  'cart-restored': StreamEventDetail & { status: string; count: number; notices: number };
  'cart-resumed': StreamEventDetail & { format: string; step: string; count: number };
  'suggestion-add': StreamEventDetail & { placement: string; productId: string | null; position?: number };
  'consent-change': { state: ConsentState; source: string };
  'suggestions-ready': SuggestStatus;
  'suggestions-change': { cause: 'index' | 'profile'; source: 'index' | 'popularity' };
  'suggestion-impression': SuggestionEventDetail;
  'suggestion-click': SuggestionEventDetail & { action: 'open' | 'add' };
  restore: RestoreDetail;
  persistence: PersistenceStatus;
  banner: BannerState | null;
  resume: { step: string; url: string };
  'resume-link': LinkResult;
  share: { method: 'copy' | 'email' | 'whatsapp'; copied?: boolean };
  forget: { source: 'this-tab' | 'other-tab' };
  'persistence-compacted': { bytes: number; dropped: number };
  'exit-intent': ExitIntentDetail;
  risk: RiskReport & { t: number };
  'nudge-shown': NudgeDetail & { rendered: boolean };
  'nudge-accepted': NudgeDetail;
  'nudge-dismissed': NudgeDetail;
  'nudge-held-out': NudgeDetail;
  'nudge-skipped': { trigger: string; reason: string };
  [name: string]: unknown;
}

export interface Destination { country: string; region: string; postcode: string }

export interface QuoteRequest {
  destination?: Partial<Destination> & { country: string };
  coupon?: string;
  coupons?: string[];
  method?: string;
  paymentMethod?: string;
  /** Quote these lines instead of the cart (a product page). */
  lines?: Array<{ productId: string; quantity?: number }>;
  /** Store-local "YYYY-MM-DDTHH:MM"; default: now in options.delivery.timeZone. */
  now?: string;
}

/** Message data from the core; instance.quote.message() turns it into text. */
export interface QuoteMessage { key: string; values: Record<string, unknown> }

export interface QuoteComponent {
  kind: 'subtotal' | 'discount' | 'shipping' | 'surcharge' | 'fee' | 'tax';
  id: string;
  /** The option path of the rule that produced it, e.g. "options.shipping.zones[1].methods[0]". */
  rule: string;
  amount: MinorUnits;
  label: QuoteMessage;
  detail: Record<string, unknown> | null;
}

export interface Quote {
  currency: string;
  currencyExponent: number;
  pricesIncludeTax: boolean;
  rounding: { mode: string; level: string };
  destination: Destination;
  zone: { id: string; name: string; rule: string } | null;
  shippingConfigured: boolean;
  shippable: boolean;
  notShippable: { reason: 'no-zone' | 'excluded-products' | 'no-method'; productIds: string[]; message: QuoteMessage } | null;
  lines: Array<{ productId: string; title: string; quantity: number; unitPrice: MinorUnits; lineTotal: MinorUnits; discount: MinorUnits; net: MinorUnits; taxCategory: string; taxRate: string | null; tax: MinorUnits }>;
  count: number;
  subtotal: MinorUnits;
  discount: MinorUnits;
  shipping: MinorUnits;
  fees: MinorUnits;
  /** Tax added on top (prices without tax). */
  tax: MinorUnits;
  /** Tax contained in the prices (prices with tax). */
  taxIncluded: MinorUnits;
  /** Exactly the sum of components[].amount. */
  total: MinorUnits;
  components: QuoteComponent[];
  includedTax: QuoteComponent[];
  methods: Array<{ id: string; name: string; rule: string; available: boolean; reason: string | null; productIds: string[]; rateAmount: MinorUnits; amount: MinorUnits; free: 'threshold' | 'coupon' | null; freeAbove: MinorUnits | null; selected: boolean; delivery: { dispatch: string; earliest: string; latest: string; minutesToCutoff: number | null } | null }>;
  method: string | null;
  coupons: Array<{ code: string; status: 'applied' | 'unknown' | 'expired' | 'not-started' | 'min-subtotal' | 'not-eligible' | 'not-combinable'; applied: boolean; type: string | null; amount: MinorUnits; rule: string | null; description: string; message: QuoteMessage }>;
  freeShipping: { threshold: MinorUnits | null; method: string | null; remaining: MinorUnits; reached: boolean; byCoupon: boolean; percent: number; message: QuoteMessage } | null;
  delivery: { method: string; now: string; orderDay: string; dispatch: string; earliest: string; latest: string; minutesToCutoff: number | null; message: QuoteMessage; countdown: QuoteMessage | null; /** Why the dates start later (past the cut-off or not a working day); null when the order counts today. */ why: QuoteMessage | null } | null;
}

/** Actions ask the core (it may run in a worker): they return promises, run in the order they were made, and
 *  reject with CartKeepError. Reads answer at once from the choices the page holds. */
export interface QuoteApi {
  (request?: QuoteRequest): Promise<Quote>;
  /** Resolves once the destination saved on an earlier page is back in the quote (or dropped); never rejects. */
  readonly ready: Promise<void>;
  state(): { destination: Destination; coupons: string[]; method: string | null; paymentMethod: string | null };
  destination(): Destination;
  countries(): string[];
  setDestination(destination: Partial<Destination> & { country: string }): Promise<Quote>;
  applyCoupon(code: string): Promise<{ applied: boolean; code: string; status: string; message: string; quote: Quote }>;
  removeCoupon(code: string): Promise<Quote>;
  coupons(): string[];
  setMethod(id: string | null): Promise<Quote>;
  setPaymentMethod(id: string | null): Promise<Quote>;
  /** Totals for many requests: [total, subtotal, discount, shipping, fees, tax, taxIncluded, shippable]; a bad
   *  request gets its own {error, path, message} entry and the others are still quoted. */
  batch(requests: QuoteRequest[]): Promise<Array<[number, number, number, number, number, number, number, boolean] | { error: CartKeepErrorCode; path: string; message: string }>>;
  message(message: QuoteMessage): string;
  label(component: QuoteComponent): string;
  now(): string;
}

// ---------------------------------------------------------------------------------------- events (docs/events.md)

export type ConsentState = 'pending' | 'granted' | 'denied';

export interface EventsOptions {
  /** A relative or http(s) URL; without it nothing is sent. */
  endpoint?: string;
  batch?: { size?: number; maxBytes?: number; intervalMs?: number };
  queue?: { cap?: number; maxAgeHours?: number };
  retry?: { baseMs?: number; maxMs?: number; maxAttempts?: number };
  /** navigator.sendBeacon on pagehide (default true). */
  beacon?: boolean;
  /** true pushes GA4 ecommerce events to window.dataLayer; a string names another global array. */
  dataLayer?: boolean | string;
  abandonment?: { idleMinutes?: number; resumeUrl?: string };
  checkoutSteps?: string[];
  autoCheckout?: boolean;
  autoViewItem?: boolean;
  /** Stream names never delivered (still counted by metrics()). */
  exclude?: StreamEventName[];
  history?: boolean | { enabled?: boolean; cap?: number };
  sessionMinutes?: number;
}

export interface ConsentOptions {
  mode?: 'granted' | 'denied' | 'required-until-granted';
  /** Global Privacy Control: 'deny' (default) always denies, 'default' denies until a grant, 'ignore'. */
  gpc?: 'deny' | 'default' | 'ignore';
  /** Read a consent platform: Google consent mode commands on the dataLayer, or an IAB TCF v2 CMP. */
  signal?: 'none' | 'gcm' | 'tcf';
  gcmType?: string;
  tcfPurposes?: number[];
  rememberDays?: number;
}

export type StreamEventName = 'page-view' | 'page-timing' | 'view-item' | 'cart-created' | 'add-to-cart' | 'remove-from-cart' |
  'checkout-started' | 'checkout-step' | 'purchase' | 'cart-abandoned' | 'cart-restored' | 'cart-resumed' | 'exit-intent' | 'risk' |
  'nudge-shown' | 'nudge-accepted' | 'nudge-dismissed' | 'suggestion-impression' | 'suggestion-click' | 'suggestion-add';

/** The detail of a stream event on instance.on / cartkeep:<name>: its data plus id, time and cart. */
export type StreamEventDetail = Record<string, unknown> & { id: string; time: number; cart: string | null };

export interface ConsentInfo {
  state: ConsentState;
  /** What decided it: 'gpc' | 'api' | 'signal' | 'stored' | 'mode'. */
  source: string;
  mode: 'granted' | 'denied' | 'required-until-granted';
  gpc: boolean;
  updatedAt: number | null;
}

export interface EventItem {
  productId: string;
  title: string;
  quantity: number;
  unitPrice: MinorUnits;
}

/** A record of the event stream, as sent to options.events.endpoint (batched as {v, batch, page, sentAt, dropped?, events}). */
export interface StreamRecord {
  id: string;
  name: string;
  /** ms since 1970 */
  time: number;
  session: string;
  cart?: string;
  data: Record<string, unknown>;
}

export interface CartAbandonedDetail {
  id: string;
  time: number;
  cart: string;
  idleMs: number;
  lastActivity: number;
  stage: 'cart' | 'checkout';
  step: string | null;
  currency: string;
  count: number;
  subtotal: MinorUnits;
  items: EventItem[];
  /** A link that brings the shopper back to the same cart and stage; null when none could be made. */
  resumeLink: string | null;
  resumeLinkStatus: 'ok' | 'unavailable' | 'pending';
  /** Detected when the shopper came back (the page was closed during the idle time). */
  late: boolean;
  occurrence: number;
}

export interface PurchaseOrder {
  /** An order reference (1-64 of A-Z a-z 0-9 - _ . : # /), never personal data. */
  orderId: string;
  /** The order total in minor units; default subtotal + shipping + tax - discount. */
  value?: MinorUnits;
  shipping?: MinorUnits;
  tax?: MinorUnits;
  discount?: MinorUnits;
  coupon?: string;
  currency?: string;
  /** Empty the cart after recording the purchase (default true). */
  clearCart?: boolean;
}

export interface TimeSummary { count: number; medianMs: number | null; p90Ms: number | null; meanMs?: number | null }

export interface Metrics {
  /** What was counted: "device" this device's history stored with consent, "page" this page's events only
   *  (no consent: nothing is kept from page to page), "given" the events passed to metrics({events}). */
  scope: 'device' | 'page' | 'given';
  currency: string;
  period: { from: number | null; to: number | null };
  records: { counted: number; duplicates: number; skipped: number };
  sessions: number;
  /** abandonmentRate: of the carts that ended (bought or abandoned), the share never bought; null until one ended. */
  carts: { created: number; completed: number; abandonmentRate: number | null };
  abandoned: { carts: number; items: number; value: MinorUnits };
  recovered: { carts: number; revenue: MinorUnits; rate: number | null };
  orders: { count: number; revenue: MinorUnits; averageValue: MinorUnits | null };
  timeToCheckout: TimeSummary;
  pathLength: { count: number; pages: { median: number | null; mean: number | null }; steps: { median: number | null; mean: number | null } };
  addToCartResponse: TimeSummary;
  checkoutLoad: TimeSummary;
  traffic: Array<{ source: string; medium: string; sessions: number; carts: number; completed: number; abandonmentRate: number | null }>;
  funnel: Array<{ id: string; label: string; count: number; dropOff: number | null }>;
  nudges: { shown: number; heldOut: number; accepted: number; dismissed: number; acceptanceRate: number | null };
  uplift: {
    method: 'newcombe-hybrid-score';
    level: number;
    treatment: { carts: number; converted: number; rate: number | null; interval: [number, number] | null };
    holdout: { carts: number; converted: number; rate: number | null; interval: [number, number] | null };
    /** Conversion of carts shown a nudge minus carts held out. */
    difference: number | null;
    interval: [number, number] | null;
    significant: boolean;
    sufficient: boolean;
  };
}

export interface TrackingApi {
  /** Sends what is due now; resolves when the requests are answered. */
  flush(): Promise<void>;
  state(): Promise<Record<string, unknown>>;
  cartId(): Promise<string | null>;
  /** Forgets the stream's history, queue and journey on this device. */
  forget(): Promise<void>;
  /** Runs the abandonment check as if it were `at` (ms since 1970). */
  tick(at?: number): Promise<unknown>;
}

export interface CatalogApi {
  get(id: string): Product | null;
  products(): Product[];
}

export interface CartApi {
  /** Each change resolves with the cart once the core has answered (rejects with a CartKeepError, the cart unchanged). */
  add(productId: string, quantity?: number): Promise<CartSnapshot>;
  setQuantity(productId: string, quantity: number): Promise<CartSnapshot>;
  remove(productId: string): Promise<CartSnapshot>;
  clear(): Promise<CartSnapshot>;
  /** Reads answer at once, from the core's last answer. */
  get(): CartSnapshot;
  lines(): CartLine[];
  count(): number;
  subtotal(): MinorUnits;
}

export interface CartKeepInstance {
  readonly options: NormalisedOptions;
  readonly catalog: CatalogApi;
  readonly cart: CartApi;
  /** await instance.quote({destination, coupon, method}): the itemised total (docs/quote.md). */
  readonly quote: QuoteApi;
  /** await instance.suggest({placement, productId, limit, gap}): personalised suggestions (docs/suggest.md). */
  readonly suggest: SuggestApi;
  /** The saved cart, other tabs, resume links and the resume banner (docs/persistence.md). */
  readonly persistence: PersistenceApi;
  /** Dwell, exit intent, risk and nudges (docs/behaviour.md). */
  readonly behaviour: BehaviourApi;
  /** The abandonment risk now: instance.behaviour.risk(). */
  risk(): Promise<RiskReport>;
  /** Wipes everything CartKeep stored for this store, in every tab, and empties the cart. */
  forget(): Promise<void>;
  on<K extends keyof EventMap>(name: K, listener: (detail: EventMap[K]) => void): () => void;
  off<K extends keyof EventMap>(name: K, listener: (detail: EventMap[K]) => void): void;
  formatMoney(minor: MinorUnits): string;
  /** Lifecycle events: 'view-item' {productId}, 'checkout-started', 'checkout-step' {step, index?}, 'purchase' {...}. */
  track(name: 'view-item' | 'checkout-started' | 'checkout-step' | 'purchase', detail?: Record<string, unknown>): Promise<Record<string, unknown> | null>;
  purchase(order: PurchaseOrder): Promise<Record<string, unknown> | null>;
  /** KPIs of this device's recorded events, or of collected records (docs/events.md). */
  metrics(input?: StreamRecord[] | { events?: unknown[]; level?: number; minArm?: number; checkoutSteps?: string[] }): Promise<Metrics>;
  /** set() resolves once the core has taken the choice; get() answers at once. */
  readonly consent: { set(state: 'granted' | 'denied' | 'default'): Promise<ConsentInfo>; get(): ConsentInfo };
  readonly tracking: TrackingApi;
  destroy(): void;
}

export declare function init(options: Options): Promise<CartKeepInstance>;
/** Resolves with the first instance (auto-initialised from data-config, or the first init()). */
export declare const ready: Promise<CartKeepInstance>;
export declare const version: string;

declare const CartKeep: {
  init: typeof init;
  ready: typeof ready;
  CartKeepError: typeof CartKeepError;
  version: string;
};
export default CartKeep;

declare global {
  interface Window {
    CartKeep: typeof CartKeep;
  }
}
