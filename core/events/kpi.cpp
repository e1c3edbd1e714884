#include "events/kpi.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/json_fields.hpp"
#include "base/money.hpp"
#include "base/json_build.hpp"
#include "base/stable_sort.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

// ------------------------------------------------------------------------------------------ statistics

double normalQuantile(double p) noexcept {
  if (!(p > 0 && p < 1)) return p <= 0 ? -INFINITY : INFINITY;
  // Acklam's coefficients.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double low = 0.02425, high = 1 - low;
  double x;
  if (p < low) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= high) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step against the exact CDF.
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * 2.5066282746310002 * std::exp(x * x / 2);  // sqrt(2 pi)
  return x - u / (1 + x * u / 2);
}

Interval wilsonInterval(std::int64_t x, std::int64_t n, double z) noexcept {
  if (n <= 0) return {0, 1};
  const double nn = static_cast<double>(n), xx = static_cast<double>(x), z2 = z * z;
  const double centre = (xx + z2 / 2) / (nn + z2);
  const double half = z / (nn + z2) * std::sqrt(xx * (nn - xx) / nn + z2 / 4);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Interval newcombeInterval(std::int64_t x1, std::int64_t n1, std::int64_t x2, std::int64_t n2, double z) noexcept {
  const double p1 = static_cast<double>(x1) / static_cast<double>(n1);
  const double p2 = static_cast<double>(x2) / static_cast<double>(n2);
  const Interval w1 = wilsonInterval(x1, n1, z), w2 = wilsonInterval(x2, n2, z);
  const double d = p1 - p2;
  return {d - std::sqrt((p1 - w1.low) * (p1 - w1.low) + (w2.high - p2) * (w2.high - p2)),
          d + std::sqrt((w1.high - p1) * (w1.high - p1) + (p2 - w2.low) * (p2 - w2.low))};
}

double medianOf(std::vector<double> values) {
  if (values.empty()) return 0;
  stableSort(values, std::less<double>());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double nearestRank(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  stableSort(values, std::less<double>());
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size()) - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  return values[rank - 1];
}

// ------------------------------------------------------------------------------------------ records

namespace {

constexpr ErrorCode kKpiCode = ErrorCode::InvalidArgument;

struct Record {
  std::string id, name, session, cart;
  std::int64_t time = 0;
  const json* data = nullptr;
  std::string path;
};

const json kEmpty = json::object();

const json& dataOf(const Record& r) { return r.data ? *r.data : kEmpty; }

// Integer fields of data: absent gives `fallback`; anything else than a whole number is an error.
Result<std::int64_t> intField(const Record& r, const char* key, std::int64_t fallback, bool required = false) {
  const json& d = dataOf(r);
  auto found = d.find(key);
  const std::string at = jf::child(jf::child(r.path, "data"), key);
  if (found == d.end() || found->is_null()) {
    if (required) return jf::invalid(kKpiCode, at, "required for a " + r.name + " event");
    return fallback;
  }
  if (found->is_number_integer()) return found->get<std::int64_t>();
  if (found->is_number_float()) {
    const double v = found->get<double>();
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) <= 9.0e15) return static_cast<std::int64_t>(v);
  }
  return jf::invalid(kKpiCode, at, "expected an integer, " + jf::describeValue(*found));
}

Result<double> numberField(const Record& r, const char* key, double fallback) {
  const json& d = dataOf(r);
  auto found = d.find(key);
  if (found == d.end() || found->is_null()) return fallback;
  if (!found->is_number() || !std::isfinite(found->get<double>()) || found->get<double>() < 0)
    return jf::invalid(kKpiCode, jf::child(jf::child(r.path, "data"), key),
                       "expected a non-negative number, " + jf::describeValue(*found));
  return found->get<double>();
}

std::string textField(const Record& r, const char* key) {
  const json& d = dataOf(r);
  auto found = d.find(key);
  return found != d.end() && found->is_string() ? found->get<std::string>() : std::string();
}

bool boolField(const Record& r, const char* key) {
  const json& d = dataOf(r);
  auto found = d.find(key);
  return found != d.end() && found->is_boolean() && found->get<bool>();
}

Status readRecord(const json& item, const std::string& at, Record& out) {
  jf::Fields fields(kKpiCode);
  if (!item.is_object()) return jf::invalid(kKpiCode, at, "expected an event record object, " + jf::describeValue(item));
  fields.string(item, "id", at, out.id, {true, 1, 200});
  fields.string(item, "name", at, out.name, {true, 1, 64});
  CARTKEEP_TRY(fields.status());
  auto time = item.find("time");
  if (time == item.end() || !time->is_number() || !std::isfinite(time->get<double>()) || time->get<double>() < 0)
    return jf::invalid(kKpiCode, jf::child(at, "time"),
                       "expected the time in ms since 1970, " +
                           (time == item.end() ? std::string("got nothing") : jf::describeValue(*time)));
  out.time = static_cast<std::int64_t>(std::llround(time->get<double>()));
  fields.string(item, "session", at, out.session, {false, 0, 200});
  fields.string(item, "cart", at, out.cart, {false, 0, 200});
  CARTKEEP_TRY(fields.status());
  auto data = item.find("data");
  if (data != item.end() && !data->is_null()) {
    CARTKEEP_TRY(jf::expectObject(*data, jf::child(at, "data"), kKpiCode));
    out.data = &*data;
  }
  out.path = at;
  return success();
}

// Flattens records, batches ({events: [...]}) and arrays of either into records with their paths.
Status collect(const json& value, const std::string& at, std::vector<Record>& out, int depth = 0) {
  if (depth > 2) return jf::invalid(kKpiCode, at, "expected event records or batches of them");
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) CARTKEEP_TRY(collect(value[i], jf::element(at, i), out, depth + 1));
    return success();
  }
  if (value.is_object() && value.contains("events") && !value.contains("name")) {
    const std::string eat = jf::child(at, "events");
    CARTKEEP_TRY(jf::expectArray(value["events"], eat, kKpiCode));
    for (std::size_t i = 0; i < value["events"].size(); ++i) {
      Record r;
      CARTKEEP_TRY(readRecord(value["events"][i], jf::element(eat, i), r));
      out.push_back(std::move(r));
    }
    return success();
  }
  Record r;
  CARTKEEP_TRY(readRecord(value, at, r));
  out.push_back(std::move(r));
  return success();
}

struct CartFacts {
  bool created = false;
  std::int64_t createdAt = 0;
  std::string session;
  std::string source, medium;
  bool checkout = false;
  std::set<std::string> steps;
  bool purchased = false;
  std::int64_t purchaseAt = 0;
  std::int64_t purchaseValue = 0;
  bool abandoned = false;
  std::int64_t firstAbandonAt = 0;
  std::int64_t abandonCount = 0, abandonValue = 0;
  int arm = -1;  // 0 held out, 1 shown
};

struct SourceKey {
  std::string source, medium;
  bool operator<(const SourceKey& o) const { return std::tie(source, medium) < std::tie(o.source, o.medium); }
};

struct SourceFacts {
  std::int64_t sessions = 0, carts = 0, completed = 0, ended = 0;
};

// The records to count: each id once, the store's currency only, in time order (stable, so equal times keep
// their recorded order).
struct RecordSet {
  std::vector<Record> records;
  std::int64_t duplicates = 0, skipped = 0;
};

// What one pass over the records learns: per cart, per session, and the stream-wide measurements.
struct Tally {
  std::map<std::string, CartFacts> carts;
  std::vector<std::string> cartOrder;
  std::set<std::string> sessions, viewingSessions;
  std::map<std::string, SourceKey> sessionSource;
  std::vector<std::string> stepOrder;
  std::vector<double> responseMs, checkoutLoadMs, pathPages, pathSteps, toCheckout;
  std::unordered_set<std::string> orderIds, checkoutTimed;
  std::int64_t orders = 0, revenue = 0;
  std::int64_t nudgesShown = 0, nudgesHeldOut = 0, accepted = 0, dismissed = 0;

  CartFacts& cart(const std::string& id) {
    auto [it, inserted] = carts.try_emplace(id);
    if (inserted) cartOrder.push_back(id);
    return it->second;
  }
};

// The per-cart facts summed over all carts.
struct CartTotals {
  std::int64_t created = 0, completed = 0, ended = 0, checkout = 0, purchased = 0;
  std::int64_t abandonedCarts = 0, abandonedItems = 0, abandonedValue = 0, recoveredCarts = 0, recoveredRevenue = 0;
  std::int64_t armCarts[2] = {0, 0}, armConverted[2] = {0, 0};
  std::map<SourceKey, SourceFacts> traffic;
};

json rateOrNull(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? json(static_cast<double>(part) / static_cast<double>(whole)) : json(nullptr);
}

// Abandonment among the carts whose journey ended (bought, or abandoned and never bought): a cart still open
// is neither, so it never makes the rate; null (not enough data) until a cart has ended.
json abandonmentRate(std::int64_t completed, std::int64_t ended) { return rateOrNull(ended - completed, ended); }

json summaryMs(const std::vector<double>& values, bool withMean) {
  json out = jsonObject({{"count", values.size()}});
  if (values.empty()) {
    out["medianMs"] = nullptr;
    out["p90Ms"] = nullptr;
    if (withMean) out["meanMs"] = nullptr;
    return out;
  }
  out["medianMs"] = std::llround(medianOf(values));
  out["p90Ms"] = std::llround(nearestRank(values, 0.9));
  if (withMean)
    out["meanMs"] = std::llround(std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size()));
  return out;
}

double round2(double v) { return std::round(v * 100) / 100; }

json centre(const std::vector<double>& values) {
  if (values.empty()) return jsonObject({{"median", nullptr}, {"mean", nullptr}});
  return jsonObject({{"median", round2(medianOf(values))},
              {"mean", round2(std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size()))}});
}

Result<std::int64_t> addMoney(std::int64_t a, std::int64_t b, const std::string& at) {
  auto sum = checkedAdd(a, b);
  if (!sum || !isJsSafe(*sum))
    return Error{ErrorCode::Overflow, at, "the total is beyond 2^53 - 1 minor units"};
  return *sum;
}

std::string label(const MetricsOptions& o, const char* key, const char* fallback, const std::string& step = {}) {
  std::string text = fallback;
  if (o.strings) {
    auto found = o.strings->find(key);
    if (found != o.strings->end()) text = found->second;
  }
  const auto at = text.find("{step}");
  if (at != std::string::npos) text.replace(at, 6, step);
  return text;
}

json arm(std::int64_t converted, std::int64_t carts, double z) {
  json out = jsonObject({{"carts", carts}, {"converted", converted}});
  if (carts == 0) {
    out["rate"] = nullptr;
    out["interval"] = nullptr;
    return out;
  }
  const Interval w = wilsonInterval(converted, carts, z);
  out["rate"] = static_cast<double>(converted) / static_cast<double>(carts);
  out["interval"] = json::array({w.low, w.high});
  return out;
}

// ---- step 1: the records to count

Result<RecordSet> countableRecords(const json& input, const MetricsOptions& o, const std::string& path) {
  std::vector<Record> all;
  if (!input.is_null()) CARTKEEP_TRY(collect(input, path, all));
  RecordSet set;
  std::unordered_set<std::string> seen;
  for (auto& r : all) {
    if (!seen.insert(r.id).second) {
      ++set.duplicates;
      continue;
    }
    const std::string currency = textField(r, "currency");
    if (!currency.empty() && !o.currency.empty() && currency != o.currency) {
      ++set.skipped;
      continue;
    }
    set.records.push_back(std::move(r));
  }
  stableSort(set.records, [](const Record& a, const Record& b) { return a.time < b.time; });
  return set;
}

// ---- step 2: one pass over the records, one function per kind of event

SourceKey sourceOf(const json& source, SourceKey fallback) {
  if (!source.is_object()) return fallback;
  if (source.contains("source") && source["source"].is_string()) fallback.source = source["source"].get<std::string>();
  if (source.contains("medium") && source["medium"].is_string()) fallback.medium = source["medium"].get<std::string>();
  return fallback;
}

// A session's traffic source is the one of its landing page view.
void notePageView(const Record& r, Tally& t) {
  if (!boolField(r, "landing") || r.session.empty()) return;
  const json& d = dataOf(r);
  auto src = d.find("source");
  t.sessionSource.emplace(r.session, sourceOf(src != d.end() ? *src : json(), SourceKey{"direct", "none"}));
}

void noteCartCreated(const Record& r, Tally& t) {
  CartFacts& c = t.cart(r.cart);
  if (c.created) return;
  c.created = true;
  c.createdAt = r.time;
  c.session = r.session;
  const json& d = dataOf(r);
  auto src = d.find("source");
  if (src != d.end() && src->is_object()) {
    c.source = src->value("source", std::string("direct"));
    c.medium = src->value("medium", std::string("none"));
  }
}

// Time to checkout counts each cart's first checkout-started only.
Status noteCheckoutStarted(const Record& r, Tally& t) {
  t.cart(r.cart).checkout = true;
  if (!t.checkoutTimed.insert(r.cart).second) return success();
  CARTKEEP_TRY_ASSIGN(double since, numberField(r, "sinceCartMs", -1));
  if (since >= 0) t.toCheckout.push_back(since);
  return success();
}

void noteCheckoutStep(const Record& r, Tally& t) {
  const std::string step = textField(r, "step");
  if (step.empty()) return;
  CartFacts& c = t.cart(r.cart);
  c.steps.insert(step);
  c.checkout = true;
  if (std::find(t.stepOrder.begin(), t.stepOrder.end(), step) == t.stepOrder.end()) t.stepOrder.push_back(step);
}

// An order counts once per order id; its cart is bought at its first purchase.
Status notePurchase(const Record& r, Tally& t) {
  const std::string valueAt = jf::child(jf::child(r.path, "data"), "value");
  CARTKEEP_TRY_ASSIGN(std::int64_t value, intField(r, "value", 0, true));
  if (value < 0) return jf::invalid(kKpiCode, valueAt, "expected a non-negative amount");
  const std::string orderId = textField(r, "orderId");
  if (!orderId.empty() && !t.orderIds.insert(orderId).second) return success();  // the same order reported twice
  ++t.orders;
  CARTKEEP_TRY_ASSIGN(t.revenue, addMoney(t.revenue, value, valueAt));
  CARTKEEP_TRY_ASSIGN(std::int64_t pages, intField(r, "pages", -1));
  CARTKEEP_TRY_ASSIGN(std::int64_t steps, intField(r, "steps", -1));
  if (pages >= 0) t.pathPages.push_back(static_cast<double>(pages));
  if (steps >= 0) t.pathSteps.push_back(static_cast<double>(steps));
  if (r.cart.empty()) return success();
  CartFacts& c = t.cart(r.cart);
  if (c.purchased) return success();
  c.purchased = true;
  c.purchaseAt = r.time;
  c.purchaseValue = value;
  return success();
}

Status noteAbandoned(const Record& r, Tally& t) {
  CARTKEEP_TRY_ASSIGN(std::int64_t count, intField(r, "count", 0, true));
  CARTKEEP_TRY_ASSIGN(std::int64_t subtotal, intField(r, "subtotal", 0, true));
  CartFacts& c = t.cart(r.cart);
  if (!c.abandoned) c.firstAbandonAt = r.time;
  c.abandoned = true;
  c.abandonCount = count;  // the latest snapshot wins
  c.abandonValue = subtotal;
  return success();
}

// A cart's arm in the uplift is its first nudge decision.
void noteNudgeShown(const Record& r, Tally& t) {
  const bool heldOut = boolField(r, "heldOut");
  ++(heldOut ? t.nudgesHeldOut : t.nudgesShown);
  if (r.cart.empty()) return;
  CartFacts& c = t.cart(r.cart);
  if (c.arm < 0) c.arm = heldOut ? 0 : 1;
}

Status tallyRecord(const Record& r, Tally& t) {
  if (!r.session.empty()) t.sessions.insert(r.session);
  const std::string& n = r.name;
  const bool inCart = !r.cart.empty();
  if (n == "page-view") {
    notePageView(r, t);
  } else if (n == "page-timing") {
    CARTKEEP_TRY_ASSIGN(double load, numberField(r, "loadMs", -1));
    if (textField(r, "type") == "checkout" && load >= 0) t.checkoutLoadMs.push_back(load);
  } else if (n == "view-item") {
    if (!r.session.empty()) t.viewingSessions.insert(r.session);
  } else if (n == "cart-created") {
    if (inCart) noteCartCreated(r, t);
  } else if (n == "add-to-cart") {
    CARTKEEP_TRY_ASSIGN(double response, numberField(r, "responseMs", -1));
    if (response >= 0) t.responseMs.push_back(response);
  } else if (n == "checkout-started") {
    if (inCart) CARTKEEP_TRY(noteCheckoutStarted(r, t));
  } else if (n == "checkout-step") {
    if (inCart) noteCheckoutStep(r, t);
  } else if (n == "purchase") {
    CARTKEEP_TRY(notePurchase(r, t));
  } else if (n == "cart-abandoned") {
    if (inCart) CARTKEEP_TRY(noteAbandoned(r, t));
  } else if (n == "nudge-shown") {
    noteNudgeShown(r, t);
  } else if (n == "nudge-accepted") {
    ++t.accepted;
  } else if (n == "nudge-dismissed") {
    ++t.dismissed;
  }
  return success();
}

// ---- step 3: the carts summed

SourceKey cartSource(const CartFacts& c, const Tally& t) {
  if (!c.source.empty()) return SourceKey{c.source, c.medium.empty() ? "none" : c.medium};
  if (auto s = t.sessionSource.find(c.session); s != t.sessionSource.end()) return s->second;
  return SourceKey{"direct", "none"};
}

Result<CartTotals> sumCarts(const Tally& t) {
  CartTotals sum;
  for (const auto& [id, s] : t.sessionSource) ++sum.traffic[s].sessions;
  for (const std::string& id : t.cartOrder) {
    const CartFacts& c = t.carts.at(id);
    const bool ended = c.purchased || c.abandoned;
    if (c.created) {
      ++sum.created;
      if (c.purchased) ++sum.completed;
      if (ended) ++sum.ended;
      auto& source = sum.traffic[cartSource(c, t)];
      ++source.carts;
      if (c.purchased) ++source.completed;
      if (ended) ++source.ended;
    }
    if (c.checkout) ++sum.checkout;
    if (c.purchased) ++sum.purchased;
    if (c.abandoned) {
      ++sum.abandonedCarts;
      sum.abandonedItems += c.abandonCount;
      CARTKEEP_TRY_ASSIGN(sum.abandonedValue, addMoney(sum.abandonedValue, c.abandonValue, "abandoned.value"));
      if (c.purchased && c.purchaseAt >= c.firstAbandonAt) {
        ++sum.recoveredCarts;
        CARTKEEP_TRY_ASSIGN(sum.recoveredRevenue, addMoney(sum.recoveredRevenue, c.purchaseValue, "recovered.revenue"));
      }
    }
    if (c.arm >= 0) {
      ++sum.armCarts[c.arm];
      if (c.purchased) ++sum.armConverted[c.arm];
    }
  }
  return sum;
}

// ---- step 4: the report's sections

json funnelStages(const Tally& t, const CartTotals& sum, const MetricsOptions& o) {
  std::vector<std::string> steps = o.checkoutSteps;
  for (const auto& s : t.stepOrder)
    if (std::find(steps.begin(), steps.end(), s) == steps.end()) steps.push_back(s);
  json funnel = json::array();
  std::int64_t previous = -1;
  auto stage = [&](const std::string& stageId, const std::string& text, std::int64_t count) {
    json s = jsonObject({{"id", stageId}, {"label", text}, {"count", count}});
    s["dropOff"] = previous > 0 ? json(1.0 - static_cast<double>(count) / static_cast<double>(previous)) : json(nullptr);
    previous = count;
    funnel.push_back(std::move(s));
  };
  stage("sessions", label(o, "metrics.stage.sessions", "Sessions"), static_cast<std::int64_t>(t.sessions.size()));
  stage("product", label(o, "metrics.stage.product", "Viewed a product"), static_cast<std::int64_t>(t.viewingSessions.size()));
  stage("cart", label(o, "metrics.stage.cart", "Created a cart"), sum.created);
  stage("checkout", label(o, "metrics.stage.checkout", "Started checkout"), sum.checkout);
  // A step counts as reached when a later one was, or the cart was bought: a step taken by default (the
  // preselected delivery option, never clicked) sends no event of its own, yet the shopper passed it.
  for (std::size_t i = 0; i < steps.size(); ++i) {
    std::int64_t reached = 0;
    for (const auto& [id, c] : t.carts) {
      bool passed = c.purchased;
      for (std::size_t j = i; j < steps.size() && !passed; ++j) passed = c.steps.count(steps[j]) > 0;
      reached += passed ? 1 : 0;
    }
    stage("step:" + steps[i], label(o, "metrics.stage.step", "Step: {step}", steps[i]), reached);
  }
  stage("purchase", label(o, "metrics.stage.purchase", "Purchased"), sum.purchased);
  return funnel;
}

// Sources with the most carts first, then the most sessions.
json trafficRows(const std::map<SourceKey, SourceFacts>& traffic) {
  std::vector<std::pair<SourceKey, SourceFacts>> sorted(traffic.begin(), traffic.end());
  stableSort(sorted, [](const auto& a, const auto& b) {
    return a.second.carts != b.second.carts ? a.second.carts > b.second.carts : a.second.sessions > b.second.sessions;
  });
  json rows = json::array();
  for (const auto& [key, t] : sorted)
    rows.push_back(jsonObject({{"source", key.source}, {"medium", key.medium}, {"sessions", t.sessions}, {"carts", t.carts},
                               {"completed", t.completed}, {"abandonmentRate", abandonmentRate(t.completed, t.ended)}}));
  return rows;
}

json upliftOf(const CartTotals& sum, const MetricsOptions& o) {
  const double z = zForLevel(o.level);
  const auto& carts = sum.armCarts;
  const auto& converted = sum.armConverted;
  json uplift = jsonObject({{"method", "newcombe-hybrid-score"}, {"level", o.level},
              {"treatment", arm(converted[1], carts[1], z)}, {"holdout", arm(converted[0], carts[0], z)}});
  if (carts[0] > 0 && carts[1] > 0) {
    const Interval i = newcombeInterval(converted[1], carts[1], converted[0], carts[0], z);
    uplift["difference"] = static_cast<double>(converted[1]) / static_cast<double>(carts[1]) -
                           static_cast<double>(converted[0]) / static_cast<double>(carts[0]);
    uplift["interval"] = json::array({i.low, i.high});
    uplift["significant"] = i.low > 0 || i.high < 0;
  } else {
    uplift["difference"] = nullptr;
    uplift["interval"] = nullptr;
    uplift["significant"] = false;
  }
  uplift["sufficient"] = carts[0] >= o.minArm && carts[1] >= o.minArm;
  return uplift;
}

json report(const RecordSet& set, const Tally& t, const CartTotals& sum, const MetricsOptions& o) {
  const auto& records = set.records;
  json out;
  out["currency"] = o.currency;
  out["period"] = records.empty() ? jsonObject({{"from", nullptr}, {"to", nullptr}})
                                  : jsonObject({{"from", records.front().time}, {"to", records.back().time}});
  out["records"] = jsonObject({{"counted", records.size()}, {"duplicates", set.duplicates}, {"skipped", set.skipped}});
  out["sessions"] = t.sessions.size();
  out["carts"] = jsonObject({{"created", sum.created}, {"completed", sum.completed},
                             {"abandonmentRate", abandonmentRate(sum.completed, sum.ended)}});
  out["abandoned"] = jsonObject({{"carts", sum.abandonedCarts}, {"items", sum.abandonedItems}, {"value", sum.abandonedValue}});
  out["recovered"] = jsonObject({{"carts", sum.recoveredCarts}, {"revenue", sum.recoveredRevenue},
                                 {"rate", rateOrNull(sum.recoveredCarts, sum.abandonedCarts)}});
  out["orders"] = jsonObject({{"count", t.orders}, {"revenue", t.revenue},
                              {"averageValue", t.orders ? json((t.revenue + t.orders / 2) / t.orders) : json(nullptr)}});
  out["timeToCheckout"] = summaryMs(t.toCheckout, true);
  out["pathLength"] = jsonObject({{"count", t.pathPages.size()}, {"pages", centre(t.pathPages)}, {"steps", centre(t.pathSteps)}});
  out["addToCartResponse"] = summaryMs(t.responseMs, false);
  out["checkoutLoad"] = summaryMs(t.checkoutLoadMs, false);
  out["traffic"] = trafficRows(sum.traffic);
  out["funnel"] = funnelStages(t, sum, o);
  out["nudges"] = jsonObject({{"shown", t.nudgesShown}, {"heldOut", t.nudgesHeldOut}, {"accepted", t.accepted},
                              {"dismissed", t.dismissed}, {"acceptanceRate", rateOrNull(t.accepted, t.nudgesShown)}});
  out["uplift"] = upliftOf(sum, o);
  return out;
}

}  // namespace

Result<json> computeMetrics(const json& input, const MetricsOptions& o, const std::string& path) {
  if (!(o.level > 0.5 && o.level < 0.9999))
    return jf::invalid(kKpiCode, "level", "expected a confidence level between 0.5 and 0.9999");
  CARTKEEP_TRY_ASSIGN(RecordSet set, countableRecords(input, o, path));
  Tally tally;
  for (const Record& r : set.records) CARTKEEP_TRY(tallyRecord(r, tally));
  CARTKEEP_TRY_ASSIGN(CartTotals sum, sumCarts(tally));
  return report(set, tally, sum, o);
}

}  // namespace cartkeep
