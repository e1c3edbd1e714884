#pragma once
// options.behaviour (sensors, page rules, exit intent, risk) and options.nudges (the playbook and its caps).
#include <nlohmann/json.hpp>

#include "behaviour/exit_intent.hpp"
#include "behaviour/nudge.hpp"
#include "behaviour/page_rules.hpp"
#include "behaviour/risk.hpp"
#include "cartkeep/error.hpp"

namespace cartkeep {

struct BehaviourOptions {
  bool enabled = true;
  double idleAfterMs = 30000;
  bool sensors = true;  // JS attaches its DOM sensors; false when the page forwards observations itself
  bool record = false;  // keep the raw observations (for replay and debugging): allocates per event
  PageRules pages;
  ExitIntentOptions exitIntent;
  RiskOptions risk;
  NudgeOptions nudges;
};

// Reads options.behaviour and options.nudges of the whole options object; errors name the option path.
Result<BehaviourOptions> parseBehaviourOptions(const nlohmann::json& root);
nlohmann::json toJson(const BehaviourOptions& options);

}  // namespace cartkeep
