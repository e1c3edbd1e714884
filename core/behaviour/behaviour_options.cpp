// options.behaviour and options.nudges: read, checked (errors name the option path) and written back.
#include "behaviour/behaviour_options.hpp"

#include "base/json_build.hpp"
#include "base/json_fields.hpp"
#include "base/url.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kBehaviourCode = ErrorCode::InvalidOptions;

Result<const json*> readObject(const json& object, std::string_view key, const std::string& path) {
  auto found = object.find(std::string(key));
  if (found == object.end() || found->is_null()) return static_cast<const json*>(nullptr);
  CARTKEEP_TRY(jf::expectObject(*found, jf::child(path, key), kBehaviourCode));
  return &*found;
}

template <class T, class Parse>
Result<std::vector<T>> readEnumArray(const json& object, std::string_view key, const std::string& path,
                                     const char* expected, Parse parse) {
  std::vector<T> out;
  auto found = object.find(std::string(key));
  if (found == object.end() || found->is_null()) return out;
  const std::string at = jf::child(path, key);
  CARTKEEP_TRY(jf::expectArray(*found, at, kBehaviourCode));
  for (std::size_t i = 0; i < found->size(); ++i) {
    const json& item = (*found)[i];
    T value{};
    if (!item.is_string() || !parse(item.get_ref<const std::string&>(), value))
      return jf::invalid(kBehaviourCode, jf::element(at, i), std::string("expected one of ") + expected + ", " + jf::describeValue(item));
    out.push_back(value);
  }
  return out;
}

bool parseExitReason(std::string_view id, ExitReason& out) {
  for (ExitReason r : {ExitReason::Trajectory, ExitReason::TopExit, ExitReason::ScrollUp, ExitReason::TabReturn,
                       ExitReason::Idle, ExitReason::BackButton})
    if (id == exitReasonId(r)) return out = r, true;
  return false;
}

constexpr const char* kPageTypeList = "\"home\", \"category\", \"product\", \"cart\", \"checkout\", \"confirmation\", \"other\"";
constexpr const char* kTriggerList = "\"trajectory\", \"top-exit\", \"scroll-up\", \"tab-return\", \"idle\", \"back-button\"";
constexpr const char* kSignalList =
    "\"exitIntent\", \"cartDwell\", \"repeatCartViews\", \"itemRemovals\", \"couponHunting\", \"costPreviewIdle\", \"tabAway\"";

Result<PageRules> readPages(const json& behaviour, const std::string& path) {
  PageRules rules;
  CARTKEEP_TRY_ASSIGN(const json* pages, readObject(behaviour, "pages", path));
  if (!pages) return rules;
  const std::string at = jf::child(path, "pages");
  CARTKEEP_TRY(jf::rejectUnknownKeys(*pages, at, kBehaviourCode,
                                     {"home", "category", "product", "cart", "checkout", "confirmation", "productParam"}));
  for (const auto& item : pages->items()) {
    if (item.key() == "productParam") continue;
    PageType type = PageType::Other;
    parsePageType(item.key(), type);
    CARTKEEP_TRY_ASSIGN(auto patterns, jf::readStringArray(*pages, item.key(), at, kBehaviourCode, 50, 200));
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      if (patterns[i].empty() || patterns[i][0] != '/')
        return jf::invalid(kBehaviourCode, jf::element(jf::child(at, item.key()), i),
                           "expected a path starting with \"/\", " + jf::describeValue(json(patterns[i])));
      rules.patterns.emplace_back(type, patterns[i]);
    }
  }
  CARTKEEP_TRY_ASSIGN(rules.productParam, jf::readString(*pages, "productParam", at, kBehaviourCode, {false, 0, 40}, "id"));
  return rules;
}

Result<ExitIntentOptions> readExitIntent(const json& behaviour, const std::string& path) {
  jf::Fields fields(kBehaviourCode);
  ExitIntentOptions o;
  CARTKEEP_TRY_ASSIGN(const json* e, readObject(behaviour, "exitIntent", path));
  if (!e) return o;
  const std::string at = jf::child(path, "exitIntent");
  CARTKEEP_TRY(jf::rejectUnknownKeys(*e, at, kBehaviourCode,
                                     {"enabled", "sensitivity", "predictive", "topMarginPx", "armDelayMs", "armDepthPx",
                                      "tabReturn", "tabReturnMinMs", "scrollUp", "scrollUpSpeed", "backButtonGuard",
                                      "idleTimeoutMs", "idleOnDesktop"}));
  CARTKEEP_TRY_ASSIGN(std::string sensitivity, jf::readString(*e, "sensitivity", at, kBehaviourCode, {false, 0, 10}, "normal"));
  // Presets; any explicit number below wins over them.
  if (sensitivity == "low") o.minSpeed = 2.0, o.horizonMs = 20, o.topMarginPx = 4;
  else if (sensitivity == "high") o.minSpeed = 0.8, o.horizonMs = 48, o.topMarginPx = 16;
  else if (sensitivity != "normal")
    return jf::invalid(kBehaviourCode, jf::child(at, "sensitivity"),
                       "expected \"low\", \"normal\" or \"high\", " + jf::describeValue((*e)["sensitivity"]));
  fields.boolean(*e, "enabled", at, o.enabled, true);
  fields.boolean(*e, "predictive", at, o.predictive, false);
  fields.number(*e, "topMarginPx", at, o.topMarginPx, 0, 200, o.topMarginPx);
  fields.number(*e, "armDelayMs", at, o.armDelayMs, 0, 600000, o.armDelayMs);
  fields.number(*e, "armDepthPx", at, o.armDepthPx, 0, 2000, o.armDepthPx);
  fields.boolean(*e, "tabReturn", at, o.tabReturn, true);
  fields.number(*e, "tabReturnMinMs", at, o.tabReturnMinMs, 0, 3600000, o.tabReturnMinMs);
  fields.boolean(*e, "scrollUp", at, o.scrollUp, true);
  fields.number(*e, "scrollUpSpeed", at, o.scrollUpSpeed, 0.1, 100, o.scrollUpSpeed);
  fields.boolean(*e, "backButtonGuard", at, o.backButtonGuard, false);
  fields.number(*e, "idleTimeoutMs", at, o.idleTimeoutMs, 0, 86400000, o.idleTimeoutMs);
  fields.boolean(*e, "idleOnDesktop", at, o.idleOnDesktop, false);
  CARTKEEP_TRY(fields.status());
  return o;
}

Result<RiskOptions> readRisk(const json& behaviour, const std::string& path) {
  jf::Fields fields(kBehaviourCode);
  RiskOptions o;
  CARTKEEP_TRY_ASSIGN(const json* r, readObject(behaviour, "risk", path));
  if (!r) return o;
  const std::string at = jf::child(path, "risk");
  CARTKEEP_TRY(jf::rejectUnknownKeys(*r, at, kBehaviourCode,
                                     {"weights", "cartDwellMs", "repeatCartViews", "itemRemovals", "costPreviewIdleMs",
                                      "tabAwayMs", "step"}));
  CARTKEEP_TRY_ASSIGN(const json* weights, readObject(*r, "weights", at));
  if (weights) {
    const std::string wat = jf::child(at, "weights");
    for (const auto& item : weights->items()) {
      RiskSignal signal;
      if (!parseRiskSignal(item.key(), signal))
        return jf::invalid(kBehaviourCode, jf::child(wat, item.key()), std::string("unknown signal, expected one of ") + kSignalList);
      CARTKEEP_TRY_ASSIGN(o.weights[static_cast<std::size_t>(signal)], jf::readNumber(*weights, item.key(), wat, kBehaviourCode, 0, 1, 0));
    }
  }
  fields.number(*r, "cartDwellMs", at, o.cartDwellMs, 1000, 3600000, o.cartDwellMs);
  fields.number(*r, "repeatCartViews", at, o.repeatCartViews, 2, 100, o.repeatCartViews);
  fields.number(*r, "itemRemovals", at, o.itemRemovals, 1, 100, o.itemRemovals);
  fields.number(*r, "costPreviewIdleMs", at, o.costPreviewIdleMs, 1000, 3600000, o.costPreviewIdleMs);
  fields.number(*r, "tabAwayMs", at, o.tabAwayMs, 1000, 86400000, o.tabAwayMs);
  fields.number(*r, "step", at, o.step, 0.001, 1, o.step);
  CARTKEEP_TRY(fields.status());
  return o;
}

struct Cap {
  std::int64_t count;
  double days;
};

Result<Cap> readCap(const json& object, const std::string& path, Cap fallback) {
  jf::Fields fields(kBehaviourCode);
  CARTKEEP_TRY_ASSIGN(const json* cap, readObject(object, "maxPerDays", path));
  if (!cap) return fallback;
  const std::string at = jf::child(path, "maxPerDays");
  CARTKEEP_TRY(jf::rejectUnknownKeys(*cap, at, kBehaviourCode, {"count", "days"}));
  Cap out;
  fields.integer(*cap, "count", at, out.count, {true, 0, 1000});
  fields.number(*cap, "days", at, out.days, 0.01, 365, fallback.days);
  CARTKEEP_TRY(fields.status());
  return out;
}

Result<json> readOffer(const json& rule, const std::string& path, OfferType& type) {
  jf::Fields fields(kBehaviourCode);
  auto found = rule.find("offer");
  const std::string at = jf::child(path, "offer");
  if (found == rule.end()) return jf::invalid(kBehaviourCode, at, "required, expected an object with a type");
  CARTKEEP_TRY(jf::expectObject(*found, at, kBehaviourCode));
  const json& o = *found;
  CARTKEEP_TRY_ASSIGN(std::string typeId, jf::readString(o, "type", at, kBehaviourCode, {true, 1, 20}));
  json out = jsonObject({{"type", typeId}});
  if (typeId == "reassurance") {
    type = OfferType::Reassurance;
    CARTKEEP_TRY(jf::rejectUnknownKeys(o, at, kBehaviourCode, {"type", "returnsDays", "showTotal", "showDelivery", "checkoutUrl"}));
    CARTKEEP_TRY_ASSIGN(auto returns, jf::readOptionalInteger(o, "returnsDays", at, kBehaviourCode, {false, 1, 365}));
    out["returnsDays"] = returns ? json(*returns) : json(nullptr);
    bool total{};
    bool delivery{};
    fields.boolean(o, "showTotal", at, total, true);
    fields.boolean(o, "showDelivery", at, delivery, true);
    CARTKEEP_TRY(fields.status());
    out["showTotal"] = total;
    out["showDelivery"] = delivery;
  } else if (typeId == "save") {
    type = OfferType::Save;
    CARTKEEP_TRY(jf::rejectUnknownKeys(o, at, kBehaviourCode, {"type", "resumeUrl", "checkoutUrl"}));
    CARTKEEP_TRY_ASSIGN(std::string resume, readUrl(o, "resumeUrl", at, kBehaviourCode, UrlUse::Contact));
    out["resumeUrl"] = resume;
  } else if (typeId == "coupon") {
    type = OfferType::Coupon;
    CARTKEEP_TRY(jf::rejectUnknownKeys(o, at, kBehaviourCode,
                                       {"type", "code", "percentOff", "amountOff", "expiresInMinutes", "checkoutUrl"}));
    CARTKEEP_TRY_ASSIGN(std::string code, jf::readString(o, "code", at, kBehaviourCode, {true, 1, 64}));
    out["code"] = code;
    CARTKEEP_TRY_ASSIGN(auto percent, jf::readOptionalInteger(o, "percentOff", at, kBehaviourCode, {false, 1, 90}));
    CARTKEEP_TRY_ASSIGN(auto amount, jf::readOptionalInteger(o, "amountOff", at, kBehaviourCode,
                                                             {false, 1, 100000000, "expected a positive integer amount in minor units"}));
    if (!percent == !amount)
      return jf::invalid(kBehaviourCode, at, "expected exactly one of percentOff (1 to 90) or amountOff (minor units)");
    out["percentOff"] = percent ? json(*percent) : json(nullptr);
    out["amountOff"] = amount ? json(*amount) : json(nullptr);
    CARTKEEP_TRY_ASSIGN(auto minutes, jf::readInteger(o, "expiresInMinutes", at, kBehaviourCode, {false, 1, 10080}, 15));
    out["expiresInMinutes"] = minutes;
  } else if (typeId == "help") {
    type = OfferType::Help;
    CARTKEEP_TRY(jf::rejectUnknownKeys(o, at, kBehaviourCode, {"type", "chatUrl", "whatsapp", "phone", "email", "checkoutUrl"}));
    CARTKEEP_TRY_ASSIGN(std::string chat, readUrl(o, "chatUrl", at, kBehaviourCode, UrlUse::Contact));
    std::string whatsapp;
    std::string phone;
    std::string email;
    fields.string(o, "whatsapp", at, whatsapp, {false, 0, 20});
    fields.string(o, "phone", at, phone, {false, 0, 30});
    fields.string(o, "email", at, email, {false, 0, 254});
    CARTKEEP_TRY(fields.status());
    auto digits = [](const std::string& text, bool allowSpaces) {
      return std::all_of(text.begin(), text.end(), [&](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '+' || (allowSpaces && (c == ' ' || c == '-' || c == '(' || c == ')'));
      });
    };
    if (!whatsapp.empty() && (!digits(whatsapp, false) || whatsapp.size() < 7))
      return jf::invalid(kBehaviourCode, jf::child(at, "whatsapp"),
                         "expected an international number in digits such as \"+447700900123\", " + jf::describeValue(json(whatsapp)));
    if (!phone.empty() && !digits(phone, true))
      return jf::invalid(kBehaviourCode, jf::child(at, "phone"), "expected a phone number such as \"+44 20 7946 0000\", " + jf::describeValue(json(phone)));
    if (!email.empty() && (email.find('@') == std::string::npos || email.find_first_of(" <>\"") != std::string::npos))
      return jf::invalid(kBehaviourCode, jf::child(at, "email"), "expected an email address, " + jf::describeValue(json(email)));
    if (chat.empty() && whatsapp.empty() && phone.empty() && email.empty())
      return jf::invalid(kBehaviourCode, at, "a help offer needs at least one of chatUrl, whatsapp, phone or email");
    out["chatUrl"] = chat;
    out["whatsapp"] = whatsapp;
    out["phone"] = phone;
    out["email"] = email;
  } else {
    return jf::invalid(kBehaviourCode, jf::child(at, "type"),
                       "expected \"reassurance\", \"save\", \"coupon\" or \"help\", " + jf::describeValue(o["type"]));
  }
  CARTKEEP_TRY_ASSIGN(std::string checkout, readUrl(o, "checkoutUrl", at, kBehaviourCode, UrlUse::Contact));
  out["checkoutUrl"] = checkout;
  return out;
}

// Without a playbook: reassurance (total, delivery) on any exit intent, once a session.
std::vector<NudgeRule> defaultPlaybook() {
  NudgeRule rule;
  rule.id = "reassurance";
  rule.offer = jsonObject({{"type", "reassurance"}, {"returnsDays", nullptr}, {"showTotal", true},
                    {"showDelivery", true}, {"checkoutUrl", ""}});
  return {rule};
}

Result<NudgeOptions> readNudges(const json& root) {
  jf::Fields fields(kBehaviourCode);
  NudgeOptions o;
  CARTKEEP_TRY_ASSIGN(const json* n, readObject(root, "nudges", "options"));
  const std::string at = "options.nudges";
  if (!n) {
    o.playbook = defaultPlaybook();
    return o;
  }
  CARTKEEP_TRY(jf::rejectUnknownKeys(*n, at, kBehaviourCode,
                                     {"enabled", "holdout", "salt", "maxPerSession", "maxPerDays", "minGapMs",
                                      "quietDaysAfterConversion", "playbook"}));
  fields.boolean(*n, "enabled", at, o.enabled, true);
  fields.number(*n, "holdout", at, o.holdout, 0, 0.5, 0);
  fields.string(*n, "salt", at, o.salt, {false, 0, 100}, "cartkeep");
  fields.integer(*n, "maxPerSession", at, o.maxPerSession, {false, 0, 100}, 1);
  CARTKEEP_TRY(fields.status());
  CARTKEEP_TRY_ASSIGN(Cap cap, readCap(*n, at, Cap{3, 7}));
  o.maxPerWindow = cap.count, o.windowDays = cap.days;
  fields.number(*n, "minGapMs", at, o.minGapMs, 0, 86400000, 60000);
  fields.number(*n, "quietDaysAfterConversion", at, o.quietDaysAfterConversion, 0, 365, 30);
  CARTKEEP_TRY(fields.status());
  auto playbook = n->find("playbook");
  const std::string pat = jf::child(at, "playbook");
  if (playbook == n->end() || playbook->is_null()) {
    o.playbook = defaultPlaybook();
    return o;
  }
  CARTKEEP_TRY(jf::expectArray(*playbook, pat, kBehaviourCode));
  if (playbook->size() > 20) return jf::invalid(kBehaviourCode, pat, "at most 20 rules");
  for (std::size_t i = 0; i < playbook->size(); ++i) {
    const json& r = (*playbook)[i];
    const std::string rat = jf::element(pat, i);
    CARTKEEP_TRY(jf::expectObject(r, rat, kBehaviourCode));
    CARTKEEP_TRY(jf::rejectUnknownKeys(r, rat, kBehaviourCode,
                                       {"id", "offer", "triggers", "onRisk", "minRisk", "reasons", "minCartValue",
                                        "minItems", "pages", "visitShare", "maxPerSession", "maxPerDays"}));
    NudgeRule rule;
    CARTKEEP_TRY_ASSIGN(rule.offer, readOffer(r, rat, rule.type));
    CARTKEEP_TRY_ASSIGN(rule.id, jf::readString(r, "id", rat, kBehaviourCode, {false, 0, 40}, offerTypeId(rule.type)));
    for (const auto& other : o.playbook)
      if (other.id == rule.id)
        return jf::invalid(kBehaviourCode, jf::child(rat, "id"), "duplicate rule id " + json(rule.id).dump() + " (give each rule its own id)");
    CARTKEEP_TRY_ASSIGN(rule.triggers, readEnumArray<ExitReason>(r, "triggers", rat, kTriggerList, parseExitReason));
    fields.boolean(r, "onRisk", rat, rule.onRisk, false);
    fields.number(r, "minRisk", rat, rule.minRisk, 0, 1, rule.onRisk ? 0.7 : 0);
    CARTKEEP_TRY(fields.status());
    CARTKEEP_TRY_ASSIGN(rule.reasons, readEnumArray<RiskSignal>(r, "reasons", rat, kSignalList,
                                                                [](std::string_view s, RiskSignal& out) { return parseRiskSignal(s, out); }));
    CARTKEEP_TRY_ASSIGN(rule.minCartValue, jf::readInteger(r, "minCartValue", rat, kBehaviourCode,
                                                           {false, 0, INT64_MAX / 2, "expected a non-negative integer amount in minor units"}, 0));
    CARTKEEP_TRY_ASSIGN(rule.minItems, jf::readInteger(r, "minItems", rat, kBehaviourCode, {false, 1, 100000}, 1));
    CARTKEEP_TRY_ASSIGN(rule.pages, readEnumArray<PageType>(r, "pages", rat, kPageTypeList,
                                                            [](std::string_view s, PageType& out) { return parsePageType(s, out); }));
    fields.number(r, "visitShare", rat, rule.visitShare, 0, 1, rule.type == OfferType::Coupon ? 0.5 : 1);
    fields.integer(r, "maxPerSession", rat, rule.maxPerSession, {false, 0, 100}, 1);
    CARTKEEP_TRY(fields.status());
    CARTKEEP_TRY_ASSIGN(Cap ruleCap, readCap(r, rat, Cap{rule.type == OfferType::Coupon ? 1 : 0, rule.type == OfferType::Coupon ? 14.0 : 7.0}));
    rule.maxPerWindow = ruleCap.count, rule.windowDays = ruleCap.days;
    if (rule.type == OfferType::Coupon && rule.minCartValue <= 0 && r.find("minCartValue") == r.end())
      return jf::invalid(kBehaviourCode, jf::child(rat, "minCartValue"),
                         "required for a coupon offer: the cart value (minor units) above which a discount is offered");
    o.playbook.push_back(std::move(rule));
  }
  return o;
}

json ruleJson(const NudgeRule& rule) {
  json triggers = json::array(), reasons = json::array(), pages = json::array();
  for (auto t : rule.triggers) triggers.push_back(exitReasonId(t));
  for (auto r : rule.reasons) reasons.push_back(riskSignalId(r));
  for (auto p : rule.pages) pages.push_back(pageTypeId(p));
  return jsonObject({{"id", rule.id}, {"offer", rule.offer}, {"triggers", triggers}, {"onRisk", rule.onRisk},
              {"minRisk", rule.minRisk}, {"reasons", reasons}, {"minCartValue", rule.minCartValue},
              {"minItems", rule.minItems}, {"pages", pages}, {"visitShare", rule.visitShare},
              {"maxPerSession", rule.maxPerSession},
              {"maxPerDays", rule.maxPerWindow > 0 ? jsonObject({{"count", rule.maxPerWindow}, {"days", rule.windowDays}}) : json(nullptr)}});
}

}  // namespace

Result<BehaviourOptions> parseBehaviourOptions(const json& root) {
  jf::Fields fields(kBehaviourCode);
  BehaviourOptions o;
  if (!root.is_object()) return o;
  CARTKEEP_TRY_ASSIGN(const json* b, readObject(root, "behaviour", "options"));
  const std::string at = "options.behaviour";
  if (b) {
    CARTKEEP_TRY(jf::rejectUnknownKeys(*b, at, kBehaviourCode, {"enabled", "idleAfterMs", "sensors", "record", "pages", "exitIntent", "risk"}));
    fields.boolean(*b, "enabled", at, o.enabled, true);
    fields.number(*b, "idleAfterMs", at, o.idleAfterMs, 1000, 3600000, 30000);
    fields.boolean(*b, "sensors", at, o.sensors, true);
    fields.boolean(*b, "record", at, o.record, false);
    CARTKEEP_TRY(fields.status());
    CARTKEEP_TRY_ASSIGN(o.pages, readPages(*b, at));
    CARTKEEP_TRY_ASSIGN(o.exitIntent, readExitIntent(*b, at));
    CARTKEEP_TRY_ASSIGN(o.risk, readRisk(*b, at));
  }
  CARTKEEP_TRY_ASSIGN(o.nudges, readNudges(root));
  return o;
}

json toJson(const BehaviourOptions& o) {
  json pages = json::object();
  for (const auto& [type, pattern] : o.pages.patterns) pages[pageTypeId(type)].push_back(pattern);
  pages["productParam"] = o.pages.productParam;
  const auto& e = o.exitIntent;
  json weights = json::object();
  for (std::size_t i = 0; i < kRiskSignalCount; ++i) weights[riskSignalId(static_cast<RiskSignal>(i))] = o.risk.weights[i];
  json playbook = json::array();
  for (const auto& rule : o.nudges.playbook) playbook.push_back(ruleJson(rule));
  return jsonObject({
      {"behaviour",
       jsonObject({{"enabled", o.enabled},
        {"idleAfterMs", o.idleAfterMs},
        {"sensors", o.sensors},
        {"record", o.record},
        {"pages", pages},
        {"exitIntent",
         jsonObject({{"enabled", e.enabled}, {"predictive", e.predictive}, {"topMarginPx", e.topMarginPx},
          {"armDelayMs", e.armDelayMs}, {"armDepthPx", e.armDepthPx}, {"tabReturn", e.tabReturn},
          {"tabReturnMinMs", e.tabReturnMinMs}, {"scrollUp", e.scrollUp}, {"scrollUpSpeed", e.scrollUpSpeed},
          {"backButtonGuard", e.backButtonGuard}, {"idleTimeoutMs", e.idleTimeoutMs}, {"idleOnDesktop", e.idleOnDesktop}})},
        {"risk",
         jsonObject({{"weights", weights}, {"cartDwellMs", o.risk.cartDwellMs}, {"repeatCartViews", o.risk.repeatCartViews},
          {"itemRemovals", o.risk.itemRemovals}, {"costPreviewIdleMs", o.risk.costPreviewIdleMs},
          {"tabAwayMs", o.risk.tabAwayMs}, {"step", o.risk.step}})}})},
      {"nudges",
       jsonObject({{"enabled", o.nudges.enabled}, {"holdout", o.nudges.holdout}, {"maxPerSession", o.nudges.maxPerSession},
        {"maxPerDays", jsonObject({{"count", o.nudges.maxPerWindow}, {"days", o.nudges.windowDays}})},
        {"minGapMs", o.nudges.minGapMs}, {"quietDaysAfterConversion", o.nudges.quietDaysAfterConversion},
        {"playbook", playbook}})}});
}

}  // namespace cartkeep
