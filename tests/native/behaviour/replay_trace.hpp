#pragma once
// Feeds a recorded trace (an array of observations, or {events: [...]}) through Behaviour::observe and
// collects every decision, oldest first: what behaviour.replay() does in JS, for the Catch2 tests.
#include <string>

#include <nlohmann/json.hpp>

#include "behaviour/behaviour.hpp"
#include "base/json_fields.hpp"

namespace cartkeep::test {

inline Result<nlohmann::json> replayTrace(Behaviour& behaviour, const nlohmann::json& trace) {
  const nlohmann::json* events = &trace;
  if (trace.is_object()) {
    auto found = trace.find("events");
    if (found == trace.end())
      return json_fields::invalid(ErrorCode::InvalidArgument, "trace.events", "required, expected an array");
    events = &*found;
  }
  CARTKEEP_TRY(json_fields::expectArray(*events, "trace.events", ErrorCode::InvalidArgument));
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < events->size(); ++i) {
    CARTKEEP_TRY(behaviour.observe((*events)[i], json_fields::element("trace.events", i)));
    for (auto& item : behaviour.drain()) out.push_back(std::move(item));
  }
  return out;
}

}  // namespace cartkeep::test
