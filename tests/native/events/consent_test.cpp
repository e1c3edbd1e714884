// The consent state machine: modes, explicit choices from the API and a consent platform, Global Privacy
// Control policies, remembered grants, and option errors naming the option path.
#include <catch2/catch.hpp>

#include "events/consent.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {
Consent makeConsent(json options) {
  auto parsed = parseConsentOptions(json{{"consent", std::move(options)}});
  REQUIRE(parsed.ok());
  return Consent(parsed.value());
}
constexpr std::int64_t kDay = 24LL * 3600 * 1000;
}  // namespace

TEST_CASE("consent: required-until-granted waits, a grant allows, a denial forbids", "[consent]") {
  Consent c = makeConsent(json::object());
  CHECK(c.state() == ConsentState::Pending);
  CHECK(std::string(c.source()) == "mode");
  CHECK(c.mayQueue());
  CHECK_FALSE(c.maySend());
  CHECK_FALSE(c.mayStore());
  auto changed = c.set("granted", "api", 1000);
  REQUIRE(changed.ok());
  CHECK(changed.value());
  CHECK(c.state() == ConsentState::Granted);
  CHECK(std::string(c.source()) == "api");
  CHECK(c.maySend());
  CHECK(c.mayStore());
  CHECK(c.set("granted", "api", 1001).value() == false);  // no change
  CHECK(c.set("denied", "api", 2000).value());
  CHECK(c.state() == ConsentState::Denied);
  CHECK_FALSE(c.mayQueue());
  CHECK(c.set("default", "api", 3000).value());  // withdrawn: back to the mode
  CHECK(c.state() == ConsentState::Pending);
}

TEST_CASE("consent: modes granted and denied, the newest explicit choice wins", "[consent]") {
  Consent granted = makeConsent("granted");
  CHECK(granted.state() == ConsentState::Granted);
  Consent denied = makeConsent(json{{"mode", "denied"}});
  CHECK(denied.state() == ConsentState::Denied);
  CHECK(denied.set("granted", "signal", 10).value());
  CHECK(denied.state() == ConsentState::Granted);
  CHECK(std::string(denied.source()) == "signal");
  CHECK(denied.set("denied", "api", 10).value());  // same time, later call
  CHECK(std::string(denied.source()) == "api");
  CHECK(denied.set("granted", "signal", 20).value());
  CHECK(denied.state() == ConsentState::Granted);
}

TEST_CASE("consent: Global Privacy Control policies", "[consent][gpc]") {
  Consent strict = makeConsent(json{{"mode", "granted"}});  // gpc: "deny" by default
  CHECK(strict.setGpc(true));
  CHECK(strict.state() == ConsentState::Denied);
  CHECK(std::string(strict.source()) == "gpc");
  CHECK_FALSE(strict.set("granted", "api", 5).value());  // nothing overrides it
  CHECK(strict.state() == ConsentState::Denied);
  CHECK(strict.setGpc(false));
  CHECK(strict.state() == ConsentState::Granted);

  Consent ask = makeConsent(json{{"mode", "granted"}, {"gpc", "default"}});
  ask.setGpc(true);
  CHECK(ask.state() == ConsentState::Denied);
  CHECK(ask.set("granted", "api", 5).value());  // the shopper's explicit grant overrides the default
  CHECK(ask.state() == ConsentState::Granted);

  Consent ignore = makeConsent(json{{"mode", "granted"}, {"gpc", "ignore"}});
  CHECK_FALSE(ignore.setGpc(true));
  CHECK(ignore.state() == ConsentState::Granted);
}

TEST_CASE("consent: an API grant is remembered for rememberDays, a denial forgets it", "[consent]") {
  Consent first = makeConsent(json{{"rememberDays", 30}});
  CHECK(first.remembered().is_null());
  REQUIRE(first.set("granted", "api", 1000).ok());
  const json stored = first.remembered();
  CHECK(stored == json{{"state", "granted"}, {"at", 1000}});

  Consent later = makeConsent(json{{"rememberDays", 30}});
  later.restoreRemembered(stored, 1000 + 29 * kDay);
  CHECK(later.state() == ConsentState::Granted);
  CHECK(std::string(later.source()) == "stored");
  REQUIRE(later.set("denied", "api", 1000 + 29 * kDay).ok());
  CHECK(later.remembered().is_null());
  CHECK(later.set("default", "api", 1000 + 29 * kDay + 1).value());
  CHECK(later.state() == ConsentState::Pending);  // the stored grant is gone too

  Consent expired = makeConsent(json{{"rememberDays", 30}});
  expired.restoreRemembered(stored, 1000 + 31 * kDay);
  CHECK(expired.state() == ConsentState::Pending);
  Consent never = makeConsent(json{{"rememberDays", 0}});
  REQUIRE(never.set("granted", "api", 1).ok());
  CHECK(never.remembered().is_null());
  Consent garbage = makeConsent(json::object());
  garbage.restoreRemembered(json{{"state", "granted"}, {"at", "yesterday"}}, 5);
  garbage.restoreRemembered(json::array({1, 2}), 5);
  CHECK(garbage.state() == ConsentState::Pending);
}

TEST_CASE("consent: bad options and arguments name the path", "[consent][options]") {
  auto mode = parseConsentOptions(json{{"consent", {{"mode", "required"}}}});
  REQUIRE_FALSE(mode.ok());
  CHECK(mode.error().describe() ==
        "options.consent.mode: expected \"granted\", \"denied\" or \"required-until-granted\", got \"required\"");
  auto typo = parseConsentOptions(json{{"consent", {{"mdoe", "granted"}}}});
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().describe() == "options.consent.mdoe: unknown option (did you mean \"mode\"?)");
  auto signal = parseConsentOptions(json{{"consent", {{"signal", "onetrust"}}}});
  REQUIRE_FALSE(signal.ok());
  CHECK(signal.error().path == "options.consent.signal");
  auto purpose = parseConsentOptions(json{{"consent", {{"tcfPurposes", {1, 12}}}}});
  REQUIRE_FALSE(purpose.ok());
  CHECK(purpose.error().describe() == "options.consent.tcfPurposes[1]: expected a TCF purpose number from 1 to 11, got 12");
  auto gpc = parseConsentOptions(json{{"consent", {{"gpc", true}}}});
  REQUIRE_FALSE(gpc.ok());
  CHECK(gpc.error().path == "options.consent.gpc");
  Consent c;
  auto bad = c.set("yes", "api", 1);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().describe() == "consent: expected \"granted\", \"denied\" or \"default\", got \"yes\"");
  CHECK(toJson(ConsentOptions{})["mode"] == "required-until-granted");
}
