#include "base/url.hpp"

#include "base/json_fields.hpp"

namespace cartkeep {

namespace {

bool schemeIs(std::string_view url, std::size_t schemeEnd, std::string_view wanted) noexcept {
  if (schemeEnd != wanted.size()) return false;
  for (std::size_t i = 0; i < schemeEnd; ++i) {
    char c = url[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != wanted[i]) return false;
  }
  return true;
}

}  // namespace

bool isSafeUrl(std::string_view url, UrlUse use) noexcept {
  if (url.size() > kMaxUrlLength) return false;
  std::size_t schemeEnd = url.size();
  for (std::size_t i = 0; i < url.size(); ++i) {
    const auto c = static_cast<unsigned char>(url[i]);
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
    if (schemeEnd == url.size() && (c == ':' || c == '/' || c == '?' || c == '#')) schemeEnd = i;
  }
  if (schemeEnd == url.size() || url[schemeEnd] != ':') return true;  // relative
  if (schemeIs(url, schemeEnd, "http") || schemeIs(url, schemeEnd, "https"))
    return url.size() > schemeEnd + 3 && url.compare(schemeEnd + 1, 2, "//") == 0 && url[schemeEnd + 3] != '/';
  return use == UrlUse::Contact && (schemeIs(url, schemeEnd, "mailto") || schemeIs(url, schemeEnd, "tel"));
}

Status checkUrl(std::string_view url, const std::string& path, ErrorCode code, UrlUse use) {
  if (isSafeUrl(url, use)) return success();
  const char* expected = use == UrlUse::Contact ? "expected a relative, http(s), mailto: or tel: URL"
                                                : "expected a relative or http(s) URL";
  const std::string got = url.size() > kMaxUrlLength ? "longer than " + std::to_string(kMaxUrlLength) + " bytes"
                                                     : json_fields::describeValue(nlohmann::json(std::string(url)));
  return json_fields::invalid(code, path, std::string(expected) + ", " + got);
}

Result<std::string> readUrl(const nlohmann::json& object, std::string_view key, const std::string& path, ErrorCode code,
                            UrlUse use) {
  CARTKEEP_TRY_ASSIGN(std::string url, json_fields::readString(object, key, path, code, {false, 0, kMaxUrlLength}));
  CARTKEEP_TRY(checkUrl(url, json_fields::child(path, key), code, use));
  return url;
}

}  // namespace cartkeep
