#include "behaviour/behaviour.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/json_fields.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kBehaviourCode = ErrorCode::InvalidOptions;
constexpr double kInf = std::numeric_limits<double>::infinity();

double rounded(double value) { return std::round(value * 1000.0) / 1000.0; }

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
  CARTKEEP_TRY_ASSIGN(o.enabled, jf::readBool(*e, "enabled", at, kBehaviourCode, true));
  CARTKEEP_TRY_ASSIGN(o.predictive, jf::readBool(*e, "predictive", at, kBehaviourCode, false));
  CARTKEEP_TRY_ASSIGN(o.topMarginPx, jf::readNumber(*e, "topMarginPx", at, kBehaviourCode, 0, 200, o.topMarginPx));
  CARTKEEP_TRY_ASSIGN(o.armDelayMs, jf::readNumber(*e, "armDelayMs", at, kBehaviourCode, 0, 600000, o.armDelayMs));
  CARTKEEP_TRY_ASSIGN(o.armDepthPx, jf::readNumber(*e, "armDepthPx", at, kBehaviourCode, 0, 2000, o.armDepthPx));
  CARTKEEP_TRY_ASSIGN(o.tabReturn, jf::readBool(*e, "tabReturn", at, kBehaviourCode, true));
  CARTKEEP_TRY_ASSIGN(o.tabReturnMinMs, jf::readNumber(*e, "tabReturnMinMs", at, kBehaviourCode, 0, 3600000, o.tabReturnMinMs));
  CARTKEEP_TRY_ASSIGN(o.scrollUp, jf::readBool(*e, "scrollUp", at, kBehaviourCode, true));
  CARTKEEP_TRY_ASSIGN(o.scrollUpSpeed, jf::readNumber(*e, "scrollUpSpeed", at, kBehaviourCode, 0.1, 100, o.scrollUpSpeed));
  CARTKEEP_TRY_ASSIGN(o.backButtonGuard, jf::readBool(*e, "backButtonGuard", at, kBehaviourCode, false));
  CARTKEEP_TRY_ASSIGN(o.idleTimeoutMs, jf::readNumber(*e, "idleTimeoutMs", at, kBehaviourCode, 0, 86400000, o.idleTimeoutMs));
  CARTKEEP_TRY_ASSIGN(o.idleOnDesktop, jf::readBool(*e, "idleOnDesktop", at, kBehaviourCode, false));
  return o;
}

Result<RiskOptions> readRisk(const json& behaviour, const std::string& path) {
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
  CARTKEEP_TRY_ASSIGN(o.cartDwellMs, jf::readNumber(*r, "cartDwellMs", at, kBehaviourCode, 1000, 3600000, o.cartDwellMs));
  CARTKEEP_TRY_ASSIGN(o.repeatCartViews, jf::readNumber(*r, "repeatCartViews", at, kBehaviourCode, 2, 100, o.repeatCartViews));
  CARTKEEP_TRY_ASSIGN(o.itemRemovals, jf::readNumber(*r, "itemRemovals", at, kBehaviourCode, 1, 100, o.itemRemovals));
  CARTKEEP_TRY_ASSIGN(o.costPreviewIdleMs, jf::readNumber(*r, "costPreviewIdleMs", at, kBehaviourCode, 1000, 3600000, o.costPreviewIdleMs));
  CARTKEEP_TRY_ASSIGN(o.tabAwayMs, jf::readNumber(*r, "tabAwayMs", at, kBehaviourCode, 1000, 86400000, o.tabAwayMs));
  CARTKEEP_TRY_ASSIGN(o.step, jf::readNumber(*r, "step", at, kBehaviourCode, 0.001, 1, o.step));
  return o;
}

struct Cap {
  std::int64_t count;
  double days;
};

Result<Cap> readCap(const json& object, const std::string& path, Cap fallback) {
  CARTKEEP_TRY_ASSIGN(const json* cap, readObject(object, "maxPerDays", path));
  if (!cap) return fallback;
  const std::string at = jf::child(path, "maxPerDays");
  CARTKEEP_TRY(jf::rejectUnknownKeys(*cap, at, kBehaviourCode, {"count", "days"}));
  Cap out;
  CARTKEEP_TRY_ASSIGN(out.count, jf::readInteger(*cap, "count", at, kBehaviourCode, {true, 0, 1000}));
  CARTKEEP_TRY_ASSIGN(out.days, jf::readNumber(*cap, "days", at, kBehaviourCode, 0.01, 365, fallback.days));
  return out;
}

Result<std::string> behaviourReadUrl(const json& object, std::string_view key, const std::string& path) {
  CARTKEEP_TRY_ASSIGN(std::string url, jf::readString(object, key, path, kBehaviourCode, {false, 0, 2000}));
  if (url.empty()) return url;
  // Only links a shopper can safely follow: http(s), mailto, tel, or same-site paths. Never javascript:.
  const bool ok = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0 || url.rfind("mailto:", 0) == 0 ||
                  url.rfind("tel:", 0) == 0 || (url[0] == '/' && (url.size() == 1 || url[1] != '/')) ||
                  url.rfind("./", 0) == 0 || url.rfind("../", 0) == 0;
  if (!ok)
    return jf::invalid(kBehaviourCode, jf::child(path, key),
                       "expected an http(s), mailto: or tel: URL or a path on this site, " + jf::describeValue(json(url)));
  return url;
}

Result<json> readOffer(const json& rule, const std::string& path, OfferType& type) {
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
    CARTKEEP_TRY_ASSIGN(bool total, jf::readBool(o, "showTotal", at, kBehaviourCode, true));
    CARTKEEP_TRY_ASSIGN(bool delivery, jf::readBool(o, "showDelivery", at, kBehaviourCode, true));
    out["showTotal"] = total;
    out["showDelivery"] = delivery;
  } else if (typeId == "save") {
    type = OfferType::Save;
    CARTKEEP_TRY(jf::rejectUnknownKeys(o, at, kBehaviourCode, {"type", "resumeUrl", "checkoutUrl"}));
    CARTKEEP_TRY_ASSIGN(std::string resume, behaviourReadUrl(o, "resumeUrl", at));
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
    CARTKEEP_TRY_ASSIGN(std::string chat, behaviourReadUrl(o, "chatUrl", at));
    CARTKEEP_TRY_ASSIGN(std::string whatsapp, jf::readString(o, "whatsapp", at, kBehaviourCode, {false, 0, 20}));
    CARTKEEP_TRY_ASSIGN(std::string phone, jf::readString(o, "phone", at, kBehaviourCode, {false, 0, 30}));
    CARTKEEP_TRY_ASSIGN(std::string email, jf::readString(o, "email", at, kBehaviourCode, {false, 0, 254}));
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
  CARTKEEP_TRY_ASSIGN(std::string checkout, behaviourReadUrl(o, "checkoutUrl", at));
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
  CARTKEEP_TRY_ASSIGN(o.enabled, jf::readBool(*n, "enabled", at, kBehaviourCode, true));
  CARTKEEP_TRY_ASSIGN(o.holdout, jf::readNumber(*n, "holdout", at, kBehaviourCode, 0, 0.5, 0));
  CARTKEEP_TRY_ASSIGN(o.salt, jf::readString(*n, "salt", at, kBehaviourCode, {false, 0, 100}, "cartkeep"));
  CARTKEEP_TRY_ASSIGN(o.maxPerSession, jf::readInteger(*n, "maxPerSession", at, kBehaviourCode, {false, 0, 100}, 1));
  CARTKEEP_TRY_ASSIGN(Cap cap, readCap(*n, at, Cap{3, 7}));
  o.maxPerWindow = cap.count, o.windowDays = cap.days;
  CARTKEEP_TRY_ASSIGN(o.minGapMs, jf::readNumber(*n, "minGapMs", at, kBehaviourCode, 0, 86400000, 60000));
  CARTKEEP_TRY_ASSIGN(o.quietDaysAfterConversion, jf::readNumber(*n, "quietDaysAfterConversion", at, kBehaviourCode, 0, 365, 30));
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
    CARTKEEP_TRY_ASSIGN(rule.onRisk, jf::readBool(r, "onRisk", rat, kBehaviourCode, false));
    CARTKEEP_TRY_ASSIGN(rule.minRisk, jf::readNumber(r, "minRisk", rat, kBehaviourCode, 0, 1, rule.onRisk ? 0.7 : 0));
    CARTKEEP_TRY_ASSIGN(rule.reasons, readEnumArray<RiskSignal>(r, "reasons", rat, kSignalList,
                                                                [](std::string_view s, RiskSignal& out) { return parseRiskSignal(s, out); }));
    CARTKEEP_TRY_ASSIGN(rule.minCartValue, jf::readInteger(r, "minCartValue", rat, kBehaviourCode,
                                                           {false, 0, INT64_MAX / 2, "expected a non-negative integer amount in minor units"}, 0));
    CARTKEEP_TRY_ASSIGN(rule.minItems, jf::readInteger(r, "minItems", rat, kBehaviourCode, {false, 1, 100000}, 1));
    CARTKEEP_TRY_ASSIGN(rule.pages, readEnumArray<PageType>(r, "pages", rat, kPageTypeList,
                                                            [](std::string_view s, PageType& out) { return parsePageType(s, out); }));
    CARTKEEP_TRY_ASSIGN(rule.visitShare, jf::readNumber(r, "visitShare", rat, kBehaviourCode, 0, 1, rule.type == OfferType::Coupon ? 0.5 : 1));
    CARTKEEP_TRY_ASSIGN(rule.maxPerSession, jf::readInteger(r, "maxPerSession", rat, kBehaviourCode, {false, 0, 100}, 1));
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

bool boundaryAfter(std::string_view path, std::size_t at) {
  return at == path.size() || path[at] == '/' || path[at] == '.' || path[at] == '?' || path[at] == '#';
}

}  // namespace

Result<BehaviourOptions> parseBehaviourOptions(const json& root) {
  BehaviourOptions o;
  if (!root.is_object()) return o;
  CARTKEEP_TRY_ASSIGN(const json* b, readObject(root, "behaviour", "options"));
  const std::string at = "options.behaviour";
  if (b) {
    CARTKEEP_TRY(jf::rejectUnknownKeys(*b, at, kBehaviourCode, {"enabled", "idleAfterMs", "sensors", "record", "pages", "exitIntent", "risk"}));
    CARTKEEP_TRY_ASSIGN(o.enabled, jf::readBool(*b, "enabled", at, kBehaviourCode, true));
    CARTKEEP_TRY_ASSIGN(o.idleAfterMs, jf::readNumber(*b, "idleAfterMs", at, kBehaviourCode, 1000, 3600000, 30000));
    CARTKEEP_TRY_ASSIGN(o.sensors, jf::readBool(*b, "sensors", at, kBehaviourCode, true));
    CARTKEEP_TRY_ASSIGN(o.record, jf::readBool(*b, "record", at, kBehaviourCode, false));
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

PageType classifyPage(const PageRules& rules, std::string_view path, std::string_view declared) {
  PageType type = PageType::Other;
  if (!declared.empty() && parsePageType(declared, type)) return type;
  std::string_view clean = path.substr(0, path.find_first_of("?#"));
  for (const auto& [candidate, pattern] : rules.patterns) {
    if (!pattern.empty() && pattern.back() == '*') {
      if (clean.substr(0, pattern.size() - 1) == std::string_view(pattern).substr(0, pattern.size() - 1)) return candidate;
    } else if (pattern == "/") {
      if (clean == "/" || clean.empty()) return candidate;
    } else if (clean.substr(0, pattern.size()) == pattern && boundaryAfter(clean, pattern.size())) {
      return candidate;
    }
  }
  // Built-in names: the last non-empty segment without its extension.
  std::string_view trimmed = clean;
  while (!trimmed.empty() && trimmed.back() == '/') trimmed.remove_suffix(1);
  std::string_view segment = trimmed.substr(trimmed.find_last_of('/') == std::string_view::npos ? 0 : trimmed.find_last_of('/') + 1);
  // /product/mug: the segment before the last names the page type.
  std::string_view parent;
  if (auto slash = trimmed.find_last_of('/'); slash != std::string_view::npos && slash > 0) {
    std::string_view head = trimmed.substr(0, slash);
    parent = head.substr(head.find_last_of('/') + 1);
  }
  segment = segment.substr(0, segment.find('.'));
  auto is = [](std::string_view s, std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (s == n) return true;
    return false;
  };
  if (segment.empty() || is(segment, {"index", "home"})) return PageType::Home;
  if (is(segment, {"cart", "basket", "bag"})) return PageType::Cart;
  if (is(segment, {"checkout"}) || is(parent, {"checkout"})) return PageType::Checkout;
  if (is(segment, {"thank-you", "thanks", "order-complete", "confirmation", "order-confirmation", "order-received"}))
    return PageType::Confirmation;
  if (is(segment, {"product", "item"}) || is(parent, {"product", "products", "p", "item", "items"})) return PageType::Product;
  if (is(segment, {"category", "collection", "shop", "catalog", "search"}) ||
      is(parent, {"category", "categories", "collections", "c"}))
    return PageType::Category;
  return PageType::Other;
}

Behaviour::Behaviour(BehaviourOptions options)
    : o_(std::move(options)), dwell_(o_.idleAfterMs), exit_(o_.exitIntent), planner_(o_.nudges) {
  outputs_.reserve(16);
  if (!o_.enabled) exit_ = ExitIntentClassifier(ExitIntentOptions{false});
}

void Behaviour::record(json event) { recorded_.push_back(std::move(event)); }

void Behaviour::ensureStarted(double t, bool hidden) {
  if (started_) return;
  started_ = true;
  dwell_.start(t, hidden);
  exit_.start(t, hidden);
  if (hidden) hiddenSince_ = t;
}

PageType Behaviour::pageType() const noexcept {
  const PageVisit* page = dwell_.currentPage();
  return page ? page->type : PageType::Other;
}

std::uint32_t Behaviour::pointerOut(double t, double x, double y) {
  t = clock(t);
  if (recording()) record(json::array({t, "out", x, y}));
  if (!started_) return pending();
  dwell_.activity(t);
  if (exit_.pointerOut(t, x, y)) onExit(t);
  return pending();
}

std::uint32_t Behaviour::pointerDown(double t, double x, double y) {
  t = clock(t);
  if (recording()) record(json::array({t, "down", x, y}));
  if (!started_) return pending();
  dwell_.activity(t);
  exit_.activity(t);
  exit_.press();
  return pending();
}

std::uint32_t Behaviour::key(double t) {
  t = clock(t);
  if (recording()) record(json::array({t, "key"}));
  if (!started_) return pending();
  dwell_.activity(t);
  exit_.activity(t);
  exit_.typed();
  return pending();
}

std::uint32_t Behaviour::scroll(double t, double y) {
  t = clock(t);
  if (recording()) record(json::array({t, "scroll", y}));
  if (!started_) return pending();
  dwell_.activity(t);
  if (exit_.scroll(t, y)) onExit(t);
  return pending();
}

std::uint32_t Behaviour::visibility(double t, bool hidden) {
  t = clock(t);
  if (recording()) record(json::array({t, "visibility", hidden ? "hidden" : "visible"}));
  if (!started_) {
    ensureStarted(t, hidden);
    return pending();
  }
  const bool wasHidden = dwell_.hidden();
  dwell_.visibility(t, hidden);
  const bool decided = exit_.visibility(t, hidden);
  if (hidden && !wasHidden) hiddenSince_ = t;
  if (!hidden && wasHidden && hiddenSince_ >= 0) {
    if (cartCount_ > 0) longestAwayMs_ = std::max(longestAwayMs_, t - hiddenSince_);
    hiddenSince_ = -1;
    if (decided) onExit(t);
    else updateRisk(t, false);
  }
  return pending();
}

std::uint32_t Behaviour::blur(double t, bool intoFrame) {
  t = clock(t);
  if (recording()) record(json::array({t, "blur", intoFrame}));
  if (started_) dwell_.blur(t, intoFrame);
  return pending();
}

std::uint32_t Behaviour::focus(double t) {
  t = clock(t);
  if (recording()) record(json::array({t, "focus"}));
  if (started_) {
    dwell_.focus(t);
    exit_.activity(t);
  }
  return pending();
}

std::uint32_t Behaviour::pageHide(double t, bool persisted) {
  t = clock(t);
  if (recording()) record(json::array({t, "pagehide", persisted}));
  if (!started_) return pending();
  const bool wasHidden = dwell_.hidden();
  dwell_.pageHide(t, persisted);
  exit_.visibility(t, true);
  if (!wasHidden) hiddenSince_ = t;
  return pending();
}

std::uint32_t Behaviour::pageShow(double t, bool persisted) {
  t = clock(t);
  if (recording()) record(json::array({t, "pageshow", persisted}));
  if (!started_) {
    ensureStarted(t, false);
    return pending();
  }
  if (!persisted) return pending();
  // Back from the back/forward cache: the same page, hidden meanwhile; it re-arms like a new page and a
  // return from the cache is a navigation, not a tab switch, so it decides no exit intent.
  dwell_.pageShow(t, true);
  exit_.visibility(t, false, /*decide=*/false);
  exit_.newPage(t);
  hiddenSince_ = -1;
  return pending();
}

std::uint32_t Behaviour::route(double t, std::string_view path, std::string_view declaredType, std::string_view productId) {
  t = clock(t);
  if (recording()) record(json::array({t, "route", path, declaredType, productId}));
  ensureStarted(t, false);
  const PageType type = classifyPage(o_.pages, path, declaredType);
  const std::size_t before = dwell_.pageCount();
  if (dwell_.route(t, path, type, type == PageType::Product ? productId : std::string_view())) {
    if (dwell_.pageCount() != before) exit_.newPage(t);
    if (type == PageType::Cart) ++cartViews_;
    if (type == PageType::Checkout || type == PageType::Confirmation) progress(t);
    if (type == PageType::Confirmation) convert(t);
    progressMark_ = 0;
    progressPage_ = dwell_.pageCount() - 1;
    if (exitPage_ != SIZE_MAX) exitEarlier_ = true;
    exitPage_ = SIZE_MAX;
    updateRisk(t, false);
  }
  return pending();
}

std::uint32_t Behaviour::card(double t, std::string_view productId, bool visible) {
  t = clock(t);
  if (recording()) record(json::array({t, "card", productId, visible}));
  if (started_) dwell_.card(t, productId, visible);
  return pending();
}

std::uint32_t Behaviour::field(double t, std::string_view kind, bool focused) {
  t = clock(t);
  if (recording()) record(json::array({t, "field", kind, focused}));
  if (!started_) return pending();
  dwell_.activity(t);
  exit_.activity(t);
  if (!focused) {
    exit_.fieldBlur();
    return pending();
  }
  FieldKind k = kind == "coupon" ? FieldKind::Coupon
                : kind == "search" ? FieldKind::Search
                : kind == "select" ? FieldKind::Select
                : kind == "text"   ? FieldKind::Text
                                   : FieldKind::Other;
  exit_.fieldFocus(k);
  if (k == FieldKind::Coupon && !couponFocus_) {
    couponFocus_ = true;
    updateRisk(t, true);
  }
  return pending();
}

std::uint32_t Behaviour::selectOpen(double t, bool open) {
  t = clock(t);
  if (recording()) record(json::array({t, "select", open}));
  if (started_) exit_.selectOpen(open);
  return pending();
}

std::uint32_t Behaviour::cart(double t, std::int64_t count, std::int64_t subtotal, std::string_view action) {
  t = clock(t);
  if (recording()) record(json::array({t, "cart", count, subtotal, action}));
  const std::int64_t before = cartCount_;
  cartCount_ = std::max<std::int64_t>(0, count);
  cartValue_ = std::max<std::int64_t>(0, subtotal);
  if (!started_) return pending();
  if (action == "remove" || (action != "init" && count < before && count > 0)) ++removals_;
  if (action == "add" || (action == "set" && count > before)) progress(t);
  updateRisk(t, false);
  return pending();
}

std::uint32_t Behaviour::costPreview(double t) {
  t = clock(t);
  if (recording()) record(json::array({t, "cost-preview"}));
  if (started_ && costPreviewAt_ < 0) costPreviewAt_ = t;
  return pending();
}

std::uint32_t Behaviour::progress(double t) {
  t = clock(t);
  if (recording()) record(json::array({t, "progress"}));
  if (!started_) return pending();
  progressMark_ = dwell_.currentPageActiveMs(t);
  progressPage_ = dwell_.pageCount() - 1;
  costPreviewIdle_ = false;
  costPreviewAt_ = -1;
  return pending();
}

std::uint32_t Behaviour::convert(double t) {
  t = clock(t);
  if (recording()) record(json::array({t, "convert"}));
  if (planner_.hasConverted()) return pending();
  planner_.converted(epochAt(t));
  updateRisk(t, false);
  return pending();
}

std::uint32_t Behaviour::back(double t) {
  t = clock(t);
  if (recording()) record(json::array({t, "back"}));
  if (started_ && exit_.back(t)) onExit(t);
  return pending();
}

std::uint32_t Behaviour::tick(double t) {
  t = clock(t);
  if (recording()) record(json::array({t, "tick"}));
  if (!started_ || dwell_.hidden()) return pending();
  if (costPreviewAt_ >= 0 && !costPreviewIdle_ && t - dwell_.lastActivity() >= o_.risk.costPreviewIdleMs)
    costPreviewIdle_ = true;
  if (exit_.tick(t)) onExit(t);
  else updateRisk(t, true);
  return pending();
}

std::uint32_t Behaviour::viewport(double t, double width, double height, bool touch) {
  t = clock(t);
  if (recording()) record(json::array({t, "viewport", width, height, touch}));
  exit_.viewport(width, height);
  exit_.device(touch);
  return pending();
}

std::uint32_t Behaviour::nudgeOutcome(double t, std::string_view id, std::string_view outcome) {
  t = clock(t);
  if (recording()) record(json::array({t, "nudge", id, outcome}));
  planner_.outcome(id, outcome == "accepted");
  return pending();
}

Result<std::uint32_t> Behaviour::session(double t, const json& info) {
  t = clock(t);
  if (recording()) record(json::array({t, "session", info}));
  const std::string at = "session";
  CARTKEEP_TRY(jf::expectObject(info, at, ErrorCode::InvalidArgument));
  CARTKEEP_TRY_ASSIGN(std::string visitor, jf::readString(info, "visitor", at, ErrorCode::InvalidArgument, {false, 0, 100}));
  CARTKEEP_TRY_ASSIGN(std::string sessionId, jf::readString(info, "session", at, ErrorCode::InvalidArgument, {false, 0, 100}));
  auto epoch = info.find("epochMs");
  if (epoch == info.end() || !epoch->is_number())
    return jf::invalid(ErrorCode::InvalidArgument, jf::child(at, "epochMs"), "required, expected the wall clock in ms");
  epochBase_ = epoch->get<double>();
  tBase_ = t;
  auto stored = info.find("stored");
  auto anonymous = info.find("anonymous");
  CARTKEEP_TRY(planner_.restore(stored == info.end() ? nullptr : &*stored, visitor, sessionId, epochBase_,
                                anonymous != info.end() && anonymous->is_boolean() && anonymous->get<bool>()));
  auto hidden = info.find("hidden");
  ensureStarted(t, hidden != info.end() && hidden->is_boolean() && hidden->get<bool>());
  return pending();
}

void Behaviour::onExit(double t) {
  const ExitDecision& d = exit_.decision();
  const PageVisit* page = dwell_.currentPage();
  emit(jsonObject({{"type", "exit-intent"}, {"t", rounded(t)}, {"reason", exitReasonId(d.reason)},
            {"x", rounded(d.x)}, {"y", rounded(d.y)}, {"speed", rounded(d.speed)}, {"awayMs", rounded(d.awayMs)},
            {"page", page ? pageTypeId(page->type) : "other"}}));
  exitPage_ = dwell_.pageCount() ? dwell_.pageCount() - 1 : 0;
  RiskScore risk = currentRisk(t);
  updateRisk(t, false);
  // On a phone a nudge over a checkout step costs more than it saves: the shopper is filling it in, and
  // scrolling back up to check a field looks like leaving.
  if (exit_.touch() && page && page->type == PageType::Checkout) return;
  decideNudge(t, d.reason, risk);
}

RiskScore Behaviour::currentRisk(double t) const {
  RiskInputs in;
  in.cartEmpty = cartCount_ <= 0;
  in.converted = planner_.hasConverted();
  in.exitIntent = exitPage_ != SIZE_MAX ? 1.0 : exitEarlier_ ? 0.5 : 0.0;
  const PageType type = pageType();
  if ((type == PageType::Cart || type == PageType::Checkout) && progressPage_ == dwell_.pageCount() - 1)
    in.cartDwellMs = std::max(0.0, dwell_.currentPageActiveMs(t) - progressMark_);
  in.cartViews = cartViews_;
  in.removals = removals_;
  in.couponFocus = couponFocus_;
  in.costPreviewIdle = costPreviewIdle_;
  in.longestAwayMs = longestAwayMs_;
  return scoreRisk(o_.risk, in);
}

void Behaviour::updateRisk(double t, bool allowNudge) {
  lastRiskCheck_ = t;
  RiskScore risk = currentRisk(t);
  const int top = risk.reasonCount ? static_cast<int>(risk.reasons[0].signal) : -1;
  if (std::fabs(risk.score - lastRiskScore_) < o_.risk.step && top == lastRiskTop_) return;
  json reasons = json::array();
  for (std::size_t i = 0; i < risk.reasonCount && i < 3; ++i)
    reasons.push_back(jsonObject({{"signal", riskSignalId(risk.reasons[i].signal)},
                           {"strength", rounded(risk.reasons[i].strength)},
                           {"contribution", rounded(risk.reasons[i].contribution)}}));
  emit(jsonObject({{"type", "risk"}, {"t", rounded(t)}, {"score", rounded(risk.score)}, {"reasons", reasons}}));
  const bool rising = risk.score > lastRiskNudgeScore_;
  lastRiskScore_ = risk.score;
  lastRiskTop_ = top;
  if (allowNudge && rising) {
    lastRiskNudgeScore_ = risk.score;
    bool anyRiskRule = false;
    for (const auto& rule : o_.nudges.playbook) anyRiskRule = anyRiskRule || (rule.onRisk && risk.score >= rule.minRisk);
    if (anyRiskRule) decideNudge(t, ExitReason::None, risk);
  }
}

void Behaviour::decideNudge(double t, ExitReason trigger, const RiskScore& risk) {
  NudgeContext c;
  c.t = t;
  c.epochMs = epochAt(t);
  c.trigger = trigger;
  c.risk = &risk;
  c.cartCount = cartCount_;
  c.cartValue = cartValue_;
  c.page = pageType();
  NudgeDecision d = planner_.decide(c);
  const char* triggerId = trigger == ExitReason::None ? "risk" : exitReasonId(trigger);
  if (!d.rule) {
    emit(jsonObject({{"type", "nudge-skipped"}, {"t", rounded(t)}, {"trigger", triggerId}, {"reason", d.skipped}}));
    return;
  }
  json offer = d.rule->offer;
  if (d.rule->type == OfferType::Coupon) offer["expiresAt"] = d.expiresAt;
  emit(jsonObject({{"type", "nudge"}, {"t", rounded(t)}, {"id", d.id}, {"rule", d.rule->id}, {"offer", offer},
            {"trigger", triggerId}, {"heldOut", d.heldOut}, {"risk", rounded(risk.score)},
            {"page", pageTypeId(c.page)}}));
}

double Behaviour::nextDeadline(double now) const noexcept {
  if (!started_ || dwell_.hidden()) return kInf;
  double next = exit_.nextDeadline();
  if (costPreviewAt_ >= 0 && !costPreviewIdle_ && cartCount_ > 0)
    next = std::min(next, std::max(now, dwell_.lastActivity() + o_.risk.costPreviewIdleMs));
  const PageType type = pageType();
  if ((type == PageType::Cart || type == PageType::Checkout) && cartCount_ > 0 && !planner_.hasConverted()) {
    // The cart-dwell signal grows while the shopper is active there: look again every sixth of its span.
    if (dwell_.currentPageActiveMs(now) - progressMark_ < o_.risk.cartDwellMs && now - dwell_.lastActivity() <= o_.idleAfterMs)
      next = std::min(next, std::max(now, lastRiskCheck_ + o_.risk.cartDwellMs / 6));
  }
  return next;
}

json Behaviour::drain() {
  json out = json::array();
  for (auto& item : outputs_) out.push_back(std::move(item));
  outputs_.clear();
  return out;
}

json Behaviour::risk(double now) const {
  RiskScore risk = currentRisk(now);
  json reasons = json::array();
  for (std::size_t i = 0; i < risk.reasonCount; ++i)
    reasons.push_back(jsonObject({{"signal", riskSignalId(risk.reasons[i].signal)},
                           {"strength", rounded(risk.reasons[i].strength)},
                           {"contribution", rounded(risk.reasons[i].contribution)}}));
  return jsonObject({{"score", rounded(risk.score)}, {"reasons", reasons}});
}

json Behaviour::summary(double now) const {
  return jsonObject({{"t", rounded(now)}, {"dwell", dwell(now)}, {"risk", risk(now)}, {"nudges", planner_.stats()},
              {"caps", planner_.capState()}});
}

Result<std::uint32_t> Behaviour::observe(const json& e, const std::string& path) {
  constexpr ErrorCode code = ErrorCode::InvalidArgument;
  if (!e.is_array() || e.size() < 2 || !e[0].is_number() || !e[1].is_string())
    return jf::invalid(code, path, "expected [time, kind, ...], " + jf::describeValue(e));
  const double t = e[0].get<double>();
  const std::string& kind = e[1].get_ref<const std::string&>();
  auto num = [&](std::size_t i, double fallback = 0) { return i < e.size() && e[i].is_number() ? e[i].get<double>() : fallback; };
  auto flag = [&](std::size_t i) { return i < e.size() && e[i].is_boolean() && e[i].get<bool>(); };
  auto text = [&](std::size_t i) { return i < e.size() && e[i].is_string() ? e[i].get<std::string>() : std::string(); };
  auto integer = [&](std::size_t i) {
    return i < e.size() && e[i].is_number_integer() ? e[i].get<std::int64_t>() : std::int64_t{0};
  };
  if (kind == "move") return pointerMove(t, num(2), num(3));
  if (kind == "out") return pointerOut(t, num(2), num(3));
  if (kind == "down") return pointerDown(t, num(2), num(3));
  if (kind == "key") return key(t);
  if (kind == "scroll") return scroll(t, num(2));
  if (kind == "visibility") return visibility(t, text(2) == "hidden");
  if (kind == "blur") return blur(t, flag(2));
  if (kind == "focus") return focus(t);
  if (kind == "pagehide") return pageHide(t, flag(2));
  if (kind == "pageshow") return pageShow(t, flag(2));
  if (kind == "route") return route(t, text(2), text(3), text(4));
  if (kind == "card") return card(t, text(2), flag(3));
  if (kind == "field") return field(t, text(2), flag(3));
  if (kind == "select") return selectOpen(t, flag(2));
  if (kind == "cart") return cart(t, integer(2), integer(3), text(4));
  if (kind == "cost-preview") return costPreview(t);
  if (kind == "progress") return progress(t);
  if (kind == "convert") return convert(t);
  if (kind == "back") return back(t);
  if (kind == "tick") return tick(t);
  if (kind == "viewport") return viewport(t, num(2), num(3), flag(4));
  if (kind == "nudge") return nudgeOutcome(t, text(2), text(3));
  if (kind == "session") {
    if (e.size() < 3) return jf::invalid(code, jf::element(path, 2), "expected the session object");
    return session(t, e[2]);
  }
  return jf::invalid(code, jf::element(path, 1), "unknown observation kind " + json(kind).dump());
}

Result<json> Behaviour::replay(const json& trace) {
  const json* events = &trace;
  if (trace.is_object()) {
    auto found = trace.find("events");
    if (found == trace.end()) return jf::invalid(ErrorCode::InvalidArgument, "trace.events", "required, expected an array");
    events = &*found;
  }
  CARTKEEP_TRY(jf::expectArray(*events, "trace.events", ErrorCode::InvalidArgument));
  json out = json::array();
  for (std::size_t i = 0; i < events->size(); ++i) {
    CARTKEEP_TRY(observe((*events)[i], jf::element("trace.events", i)));
    if (pending())
      for (auto& item : drain()) out.push_back(std::move(item));
  }
  return out;
}

}  // namespace cartkeep
