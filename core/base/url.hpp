#pragma once
// The one rule for every URL CartKeep takes from options or a catalog and later puts into an href, a src, a
// fetch or a shared link:
//   - at most 2048 bytes, with no control characters (below 0x20, 0x7f) and no backslash: browsers strip
//     those or read "\" as "/", which lets "java\tscript:" or "\\evil.example" slip past a scheme check;
//   - a scheme, when there is one (the text before a ':' that comes before any '/', '?' or '#'), is http or
//     https, compared case-insensitively, and is followed by "//" and a host; mailto: and tel: only where the
//     caller takes contact links (a help offer's chat link);
//   - otherwise the URL is relative ("/cart", "cart.html", "./cart", "?id=a", "#top", "//cdn.example/a.png").
// The empty string passes: it is the unset option. Nothing a browser would run (javascript:, data:,
// vbscript:) can pass.
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"

namespace cartkeep {

constexpr std::size_t kMaxUrlLength = 2048;

enum class UrlUse : std::uint8_t {
  Web,      // relative or http(s)
  Contact,  // relative, http(s), mailto: or tel:
};

// One pass over the bytes, no copy: every catalog product's image and link go through here.
bool isSafeUrl(std::string_view url, UrlUse use = UrlUse::Web) noexcept;

// The rule as an error naming `path`: "expected a relative or http(s) URL, got ...".
Status checkUrl(std::string_view url, const std::string& path, ErrorCode code, UrlUse use = UrlUse::Web);

// object[key] as a URL string (absent or null: ""); errors name path.key.
Result<std::string> readUrl(const nlohmann::json& object, std::string_view key, const std::string& path, ErrorCode code,
                            UrlUse use = UrlUse::Web);

}  // namespace cartkeep
