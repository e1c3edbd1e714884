#pragma once
// Traffic attribution (docs/events.md): the pieces of a page URL the stream keeps, and the source a landing
// page came from (UTM tags, gclid, or the referrer's host).
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cartkeep {

// URL pieces the stream uses; never throws, tolerates anything.
struct PageUrl {
  std::string origin;  // "https://shop.example"
  std::string host;    // "shop.example"
  std::string path;    // "/products/mug" (no query, no fragment)
  std::map<std::string, std::string> query;  // decoded parameters (first value wins)
};
PageUrl parsePageUrl(std::string_view url);
// {source, medium, campaign} of a landing page: UTM tags, else gclid, else the referrer's host (search,
// social, email or referral), else direct.
nlohmann::json trafficSource(const PageUrl& page, std::string_view referrer);

}  // namespace cartkeep
