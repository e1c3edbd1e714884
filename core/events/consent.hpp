#pragma once
// Consent for measurement: may CartKeep store anything beyond the cart, and may anything leave the browser?
//
// Inputs: the merchant's mode (options.consent.mode), the shopper's explicit choices (instance.consent.set(),
// a consent platform's signal, or a grant remembered from an earlier page) and Global Privacy Control.
// The effective state is decided here, in this order:
//   1. GPC on and options.consent.gpc "deny"                         -> denied (nothing overrides it)
//   2. the newest explicit choice (api, signal, stored)              -> granted or denied
//   3. GPC on and options.consent.gpc "default"                      -> denied
//   4. the mode: "granted" | "denied" | "required-until-granted"     -> granted | denied | pending
// Pending behaves like denied for storage and the network, but events wait in memory: a grant sends them,
// a denial drops them.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"

namespace cartkeep {

enum class ConsentState : std::uint8_t { Pending, Granted, Denied };
enum class ConsentMode : std::uint8_t { Granted, Denied, RequiredUntilGranted };
enum class GpcPolicy : std::uint8_t { Deny, Default, Ignore };

const char* consentStateId(ConsentState state) noexcept;  // "pending" | "granted" | "denied"

struct ConsentOptions {
  ConsentMode mode = ConsentMode::RequiredUntilGranted;
  GpcPolicy gpc = GpcPolicy::Deny;
  std::string signal = "none";          // none | tcf (IAB TCF v2 __tcfapi) | gcm (Google consent mode)
  std::vector<std::int64_t> tcfPurposes{1, 8};  // every one must be consented for a TCF grant
  std::string gcmType = "analytics_storage";    // the consent type read from gtag('consent', ...)
  std::int64_t rememberDays = 180;      // an API grant is remembered this long (0: never stored)
};

// Reads root["consent"]: errors name options.consent.*.
Result<ConsentOptions> parseConsentOptions(const nlohmann::json& root);
nlohmann::json toJson(const ConsentOptions& options);

class Consent {
 public:
  explicit Consent(ConsentOptions options = {}) : o_(std::move(options)) {}

  // "granted" | "denied" | "default" (withdraws this source's choice); source: "api" | "signal" | "stored".
  // Errors name `path`. Returns true when the effective state changed.
  Result<bool> set(std::string_view choice, std::string_view source, std::int64_t now,
                   const std::string& path = "consent");
  bool setGpc(bool on);  // true when the effective state changed

  ConsentState state() const noexcept;
  // What decided the state: "gpc" | "api" | "signal" | "stored" | "mode".
  const char* source() const noexcept;
  bool mayStore() const noexcept { return state() == ConsentState::Granted; }
  bool maySend() const noexcept { return state() == ConsentState::Granted; }
  bool mayQueue() const noexcept { return state() != ConsentState::Denied; }

  // The text to remember an API grant under (null: remove the stored choice), for JS to store.
  nlohmann::json remembered() const;
  // A remembered grant ({state, at}) read back; ignored when older than rememberDays or malformed.
  void restoreRemembered(const nlohmann::json& stored, std::int64_t now);

  const ConsentOptions& options() const noexcept { return o_; }
  nlohmann::json toJson() const;  // {state, source, mode, gpc, updatedAt}

 private:
  enum class Choice : std::uint8_t { None, Granted, Denied };
  struct Input {
    Choice choice = Choice::None;
    std::int64_t at = 0;
    std::uint64_t order = 0;  // later inputs win ties on time
  };

  ConsentOptions o_;
  Input api_, signal_, stored_;
  bool gpc_ = false;
  std::uint64_t counter_ = 0;
  std::int64_t updatedAt_ = 0;
};

}  // namespace cartkeep
