// The stream's saved state (session, cart journey, recent orders): what a later page of the same shopper
// continues from. Stored data: anything unexpected is skipped, never trusted.
#include <algorithm>
#include <cmath>
#include <string>

#include "base/json_build.hpp"
#include "events/events.hpp"
#include "events/stream_fields.hpp"

namespace cartkeep {
using nlohmann::json;
namespace sf = stream_fields;

json Tracking::saveState() const {
  json journey = nullptr;
  if (!journey_.id.empty()) {
    json lines = json::array();
    for (const auto& [id, q] : journey_.lines) lines.push_back(json::array({id, q}));
    journey = jsonObject({{"id", journey_.id},           {"createdAt", journey_.createdAt}, {"pages", journey_.pages},
                   {"steps", journey_.steps},     {"checkout", journey_.checkout},   {"checkoutAt", journey_.checkoutAt},
                   {"abandonments", journey_.abandonments}, {"abandoned", journey_.abandonedSinceActivity},
                   {"source", journey_.source},   {"lines", std::move(lines)}});
  }
  return jsonObject({{"v", 1},
              {"session", jsonObject({{"id", session_.id}, {"startedAt", session_.startedAt}, {"source", session_.source}})},
              {"lastActivity", lastActivity_},
              {"journey", std::move(journey)},
              {"orders", json(std::vector<std::string>(recentOrders_.begin(), recentOrders_.end()))},
              {"afterPurchase", afterPurchase_}});
}

void Tracking::restoreState(const json& s, std::int64_t now) {
  if (!s.is_object() || s.value("v", 0) != 1) return;
  auto num = [](const json& o, const char* key) -> std::int64_t {
    auto f = o.find(key);
    return f != o.end() && f->is_number() && std::isfinite(f->get<double>()) ? sf::whole(f->get<double>()) : 0;
  };
  lastActivity_ = std::min(now, num(s, "lastActivity"));
  activityStored_ = lastActivity_;
  if (auto session = s.find("session"); session != s.end() && session->is_object()) {
    session_.id = sf::token(session->value("id", json("")), 64);
    session_.startedAt = num(*session, "startedAt");
    if (session->contains("source") && (*session)["source"].is_object()) session_.source = (*session)["source"];
  }
  if (auto j = s.find("journey"); j != s.end() && j->is_object() && j->contains("id") && (*j)["id"].is_string()) {
    journey_.id = sf::token((*j)["id"], 64);
    journey_.createdAt = num(*j, "createdAt");
    journey_.pages = num(*j, "pages");
    if (j->contains("steps") && (*j)["steps"].is_array())
      for (const auto& step : (*j)["steps"])
        if (step.is_string() && sf::isStep(step.get_ref<const std::string&>()) && journey_.steps.size() < 20)
          journey_.steps.push_back(step.get<std::string>());
    journey_.checkout = j->value("checkout", false);
    journey_.checkoutAt = num(*j, "checkoutAt");
    journey_.abandonments = num(*j, "abandonments");
    journey_.abandonedSinceActivity = j->value("abandoned", false);
    if (j->contains("source") && (*j)["source"].is_object()) journey_.source = (*j)["source"];
    if (j->contains("lines") && (*j)["lines"].is_array())
      for (const auto& line : (*j)["lines"])
        if (line.is_array() && line.size() == 2 && line[0].is_string() && line[1].is_number_integer() &&
            journey_.lines.size() < 1000)
          journey_.lines.emplace_back(line[0].get<std::string>(), line[1].get<std::int64_t>());
  }
  if (auto orders = s.find("orders"); orders != s.end() && orders->is_array())
    for (const auto& id : *orders)
      if (id.is_string() && recentOrders_.size() < sf::kRecentOrders) recentOrders_.push_back(id.get<std::string>());
  afterPurchase_ = s.value("afterPurchase", false);
}

}  // namespace cartkeep
