#include "events/consent.hpp"

#include "base/json_fields.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr ErrorCode kConsentCode = ErrorCode::InvalidOptions;
constexpr std::int64_t kConsentDayMs = 24LL * 3600 * 1000;

const char* modeId(ConsentMode mode) {
  switch (mode) {
    case ConsentMode::Granted: return "granted";
    case ConsentMode::Denied: return "denied";
    case ConsentMode::RequiredUntilGranted: return "required-until-granted";
  }
  return "required-until-granted";
}

const char* gpcId(GpcPolicy policy) {
  switch (policy) {
    case GpcPolicy::Deny: return "deny";
    case GpcPolicy::Default: return "default";
    case GpcPolicy::Ignore: return "ignore";
  }
  return "deny";
}

}  // namespace

const char* consentStateId(ConsentState state) noexcept {
  switch (state) {
    case ConsentState::Pending: return "pending";
    case ConsentState::Granted: return "granted";
    case ConsentState::Denied: return "denied";
  }
  return "pending";
}

Result<ConsentOptions> parseConsentOptions(const json& root) {
  jf::Fields fields(kConsentCode);
  ConsentOptions o;
  auto found = root.find("consent");
  if (found == root.end() || found->is_null()) return o;
  const std::string at = "options.consent";
  // A bare string is the mode: "consent": "granted".
  json object = found->is_string() ? jsonObject({{"mode", *found}}) : *found;
  CARTKEEP_TRY(jf::expectObject(object, at, kConsentCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(object, at, kConsentCode, {"mode", "gpc", "signal", "tcfPurposes", "gcmType", "rememberDays"}));
  CARTKEEP_TRY_ASSIGN(std::string mode, jf::readString(object, "mode", at, kConsentCode, {false, 0, 40}, "required-until-granted"));
  if (mode == "granted") o.mode = ConsentMode::Granted;
  else if (mode == "denied") o.mode = ConsentMode::Denied;
  else if (mode == "required-until-granted") o.mode = ConsentMode::RequiredUntilGranted;
  else
    return jf::invalid(kConsentCode, jf::child(at, "mode"),
                       "expected \"granted\", \"denied\" or \"required-until-granted\", " + jf::describeValue(object["mode"]));
  CARTKEEP_TRY_ASSIGN(std::string gpc, jf::readString(object, "gpc", at, kConsentCode, {false, 0, 16}, "deny"));
  if (gpc == "deny") o.gpc = GpcPolicy::Deny;
  else if (gpc == "default") o.gpc = GpcPolicy::Default;
  else if (gpc == "ignore") o.gpc = GpcPolicy::Ignore;
  else
    return jf::invalid(kConsentCode, jf::child(at, "gpc"),
                       "expected \"deny\" (Global Privacy Control always denies), \"default\" (it denies until the shopper "
                       "grants) or \"ignore\", " + jf::describeValue(object["gpc"]));
  CARTKEEP_TRY_ASSIGN(o.signal, jf::readString(object, "signal", at, kConsentCode, {false, 0, 16}, "none"));
  if (o.signal != "none" && o.signal != "tcf" && o.signal != "gcm")
    return jf::invalid(kConsentCode, jf::child(at, "signal"),
                       "expected \"none\", \"tcf\" (IAB TCF v2) or \"gcm\" (Google consent mode), " +
                           jf::describeValue(object["signal"]));
  auto purposes = object.find("tcfPurposes");
  if (purposes != object.end() && !purposes->is_null()) {
    const std::string pat = jf::child(at, "tcfPurposes");
    CARTKEEP_TRY(jf::expectArray(*purposes, pat, kConsentCode));
    if (purposes->empty() || purposes->size() > 11)
      return jf::invalid(kConsentCode, pat, "expected 1 to 11 TCF purpose numbers");
    o.tcfPurposes.clear();
    for (std::size_t i = 0; i < purposes->size(); ++i) {
      const json& p = (*purposes)[i];
      if (!p.is_number_integer() || p.get<std::int64_t>() < 1 || p.get<std::int64_t>() > 11)
        return jf::invalid(kConsentCode, jf::element(pat, i), "expected a TCF purpose number from 1 to 11, " + jf::describeValue(p));
      o.tcfPurposes.push_back(p.get<std::int64_t>());
    }
  }
  fields.string(object, "gcmType", at, o.gcmType, {false, 1, 64}, "analytics_storage");
  fields.integer(object, "rememberDays", at, o.rememberDays, {false, 0, 400}, 180);
  CARTKEEP_TRY(fields.status());
  return o;
}

json toJson(const ConsentOptions& o) {
  return jsonObject({{"mode", modeId(o.mode)},           {"gpc", gpcId(o.gpc)},
              {"signal", o.signal},               {"tcfPurposes", o.tcfPurposes},
              {"gcmType", o.gcmType},             {"rememberDays", o.rememberDays}});
}

Result<bool> Consent::set(std::string_view choice, std::string_view source, std::int64_t now, const std::string& path) {
  Input* input = source == "api" ? &api_ : source == "signal" ? &signal_ : source == "stored" ? &stored_ : nullptr;
  if (!input)
    return jf::invalid(ErrorCode::InvalidArgument, jf::child(path, "source"), "expected \"api\", \"signal\" or \"stored\"");
  Choice next;
  if (choice == "granted") next = Choice::Granted;
  else if (choice == "denied") next = Choice::Denied;
  else if (choice == "default") next = Choice::None;
  else
    return jf::invalid(ErrorCode::InvalidArgument, path,
                       "expected \"granted\", \"denied\" or \"default\", got " + json(std::string(choice)).dump());
  const ConsentState before = state();
  *input = Input{next, now, ++counter_};
  // A denial or withdrawal by the shopper also forgets a remembered grant.
  if (source == "api" && next != Choice::Granted) stored_ = Input{};
  updatedAt_ = now;
  return state() != before;
}

bool Consent::setGpc(bool on) {
  const ConsentState before = state();
  gpc_ = on;
  return state() != before;
}

ConsentState Consent::state() const noexcept {
  if (gpc_ && o_.gpc == GpcPolicy::Deny) return ConsentState::Denied;
  const Input* newest = nullptr;
  for (const Input* input : {&api_, &signal_, &stored_})
    if (input->choice != Choice::None && (!newest || input->order > newest->order)) newest = input;
  if (newest) return newest->choice == Choice::Granted ? ConsentState::Granted : ConsentState::Denied;
  if (gpc_ && o_.gpc == GpcPolicy::Default) return ConsentState::Denied;
  switch (o_.mode) {
    case ConsentMode::Granted: return ConsentState::Granted;
    case ConsentMode::Denied: return ConsentState::Denied;
    case ConsentMode::RequiredUntilGranted: return ConsentState::Pending;
  }
  return ConsentState::Pending;
}

const char* Consent::source() const noexcept {
  if (gpc_ && o_.gpc == GpcPolicy::Deny) return "gpc";
  const Input* newest = nullptr;
  const char* name = "mode";
  const std::pair<const Input*, const char*> inputs[] = {{&api_, "api"}, {&signal_, "signal"}, {&stored_, "stored"}};
  for (const auto& [input, id] : inputs)
    if (input->choice != Choice::None && (!newest || input->order > newest->order)) newest = input, name = id;
  if (newest) return name;
  if (gpc_ && o_.gpc == GpcPolicy::Default) return "gpc";
  return "mode";
}

json Consent::remembered() const {
  if (o_.rememberDays <= 0 || state() != ConsentState::Granted) return nullptr;
  if (api_.choice == Choice::Granted && api_.order >= stored_.order) return jsonObject({{"state", "granted"}, {"at", api_.at}});
  if (stored_.choice == Choice::Granted) return jsonObject({{"state", "granted"}, {"at", stored_.at}});
  return nullptr;
}

void Consent::restoreRemembered(const json& stored, std::int64_t now) {
  if (o_.rememberDays <= 0 || !stored.is_object()) return;
  auto state = stored.find("state");
  auto at = stored.find("at");
  if (state == stored.end() || *state != "granted" || at == stored.end() || !at->is_number()) return;
  const auto when = static_cast<std::int64_t>(at->get<double>());
  if (when > now || now - when > o_.rememberDays * kConsentDayMs) return;
  stored_ = Input{Choice::Granted, when, ++counter_};
}

json Consent::toJson() const {
  return jsonObject({{"state", consentStateId(state())},
              {"source", source()},
              {"mode", modeId(o_.mode)},
              {"gpc", gpc_},
              {"updatedAt", updatedAt_ ? json(updatedAt_) : json(nullptr)}});
}

}  // namespace cartkeep
