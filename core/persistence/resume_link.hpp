#pragma once
// Resume links: `?cartkeep=<value>` carrying product ids, quantities and optionally a coupon and the
// checkout step, so a shopper can carry a cart to another device or come back to the same stage.
//
//   1.<base64url payload>.<crc32, 8 hex digits>     written by CartKeep; URL-safe as is
//   mug:2,lamp:1                                    the Shopify-style list, accepted too (ID or ID:QTY)
//
// The payload is UTF-8 text `mug*2,lamp*1|c=SAVE10|s=checkout` with `% , * | =` in values written
// %XX. The checksum catches links cut short or mangled by mail clients. The value is bounded in size
// (PersistenceOptions::link.maxLength) and in items (the cart's maxLines); quantities above the cart's
// limits and unknown products are dealt with when the link is applied, with a notice each.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/shop_names.hpp"
#include "persistence/snapshot.hpp"

namespace cartkeep {

struct LinkItem {
  std::string productId;
  std::int64_t quantity = 0;
  std::string path;  // where in the link, for notices: "cartkeep[2]"
  bool operator==(const LinkItem& other) const {
    return productId == other.productId && quantity == other.quantity;
  }
};

struct ResumeLink {
  std::vector<LinkItem> items;
  std::string coupon;  // "" or [A-Za-z0-9_-]{1,64}
  std::string step;    // "" or [a-z0-9-]{1,32}
};

struct LinkRead {
  ResumeLink link;
  std::string format;            // "cartkeep" or "list"
  nlohmann::json notices = nlohmann::json::array();  // items left out: {kind, path, message}
  std::optional<Error> problem;  // invalid-link | link-too-long | link-future-version
  bool ok() const noexcept { return !problem; }
};

constexpr std::size_t kMinLinkLength = 64;
constexpr std::size_t kMaxLinkLength = 16000;


// The `1.` form; fails with a problem "link-too-long" when longer than maxLength characters.
struct LinkWrite {
  std::string value;
  std::optional<Error> problem;  // link-too-long
  bool ok() const noexcept { return !problem; }
};
LinkWrite encodeResumeLink(const ResumeLink& link, std::size_t maxLength);

// Either form. `param` names the URL parameter in paths ("cartkeep[2].quantity"). Duplicate ids add up;
// at most `maxItems` distinct ids are read, the rest is left out with a notice.
LinkRead decodeResumeLink(std::string_view value, std::size_t maxLength, std::size_t maxItems,
                          const std::string& param = "cartkeep");

std::string base64UrlEncode(std::string_view bytes);
bool base64UrlDecode(std::string_view text, std::string& out);

}  // namespace cartkeep
