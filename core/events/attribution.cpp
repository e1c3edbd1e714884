#include "events/attribution.hpp"

#include <algorithm>
#include <cctype>

#include "base/hex_digit.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
using nlohmann::json;

namespace {

std::string lowerAscii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A traffic label: lower case, [a-z0-9._-], at most 100 characters.
std::string trafficLabel(std::string_view text) {
  std::string out = lowerAscii(text.substr(0, 100));
  for (char& c : out)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) c = '_';
  return out;
}

std::string percentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hexDigitValue(text[i + 1]) >= 0 && hexDigitValue(text[i + 2]) >= 0) {
      out += static_cast<char>(hexDigitValue(text[i + 1]) * 16 + hexDigitValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

struct KnownSource {
  const char* match;  // host equals this or ends with "." + this; a trailing "." matches any top-level domain
  const char* name;
  const char* medium;
};

const KnownSource kSources[] = {
    {"mail.google.com", "gmail", "email"},   {"outlook.live.com", "outlook", "email"},
    {"outlook.office.com", "outlook", "email"}, {"mail.yahoo.com", "yahoo-mail", "email"},
    {"google.", "google", "organic"},        {"bing.com", "bing", "organic"},
    {"duckduckgo.com", "duckduckgo", "organic"}, {"search.yahoo.com", "yahoo", "organic"},
    {"yandex.", "yandex", "organic"},        {"baidu.com", "baidu", "organic"},
    {"ecosia.org", "ecosia", "organic"},     {"search.brave.com", "brave", "organic"},
    {"facebook.com", "facebook", "social"},  {"instagram.com", "instagram", "social"},
    {"t.co", "twitter", "social"},           {"twitter.com", "twitter", "social"},
    {"x.com", "twitter", "social"},          {"linkedin.com", "linkedin", "social"},
    {"pinterest.", "pinterest", "social"},   {"tiktok.com", "tiktok", "social"},
    {"reddit.com", "reddit", "social"},      {"youtube.com", "youtube", "social"},
    {"wa.me", "whatsapp", "social"},         {"whatsapp.com", "whatsapp", "social"},
};

bool hostMatches(const std::string& host, std::string_view match) {
  if (match.back() == '.') {
    // "google." matches google.com, www.google.co.uk, but not mail.google.com (checked earlier by order).
    std::string_view h = host;
    for (std::size_t at = 0; at != std::string_view::npos;) {
      if (h.substr(at, match.size()) == match) return true;
      at = h.find('.', at);
      if (at != std::string_view::npos) ++at;
    }
    return false;
  }
  if (host == match) return true;
  return host.size() > match.size() && host.compare(host.size() - match.size(), match.size(), match) == 0 &&
         host[host.size() - match.size() - 1] == '.';
}


}  // namespace

PageUrl parsePageUrl(std::string_view url) {
  PageUrl out;
  std::string_view rest = url;
  const auto scheme = url.find("://");
  if (scheme != std::string_view::npos && scheme > 0 && scheme < 12) {
    const auto hostEnd = url.find_first_of("/?#", scheme + 3);
    std::string_view authority = url.substr(scheme + 3, hostEnd == std::string_view::npos ? std::string_view::npos : hostEnd - scheme - 3);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
    out.origin = lowerAscii(url.substr(0, scheme)) + "://" + lowerAscii(authority);
    std::string_view host = authority;
    if (!host.empty() && host.front() == '[') {
      host = host.substr(0, host.find(']') + 1);
    } else if (auto colon = host.find(':'); colon != std::string_view::npos) {
      host = host.substr(0, colon);
    }
    out.host = lowerAscii(host);
    rest = hostEnd == std::string_view::npos ? std::string_view() : url.substr(hostEnd);
  }
  const auto queryAt = rest.find_first_of("?#");
  out.path = std::string(rest.substr(0, queryAt)).substr(0, 200);
  if (out.path.empty()) out.path = "/";
  if (queryAt != std::string_view::npos && rest[queryAt] == '?') {
    std::string_view query = rest.substr(queryAt + 1);
    query = query.substr(0, query.find('#'));
    while (!query.empty()) {
      const auto amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      const auto eq = pair.find('=');
      std::string key = percentDecode(pair.substr(0, eq));
      std::string value = eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1));
      if (!key.empty() && key.size() <= 64 && out.query.size() < 64) out.query.emplace(std::move(key), value.substr(0, 500));
      if (amp == std::string_view::npos) break;
      query = query.substr(amp + 1);
    }
  }
  return out;
}

json trafficSource(const PageUrl& page, std::string_view referrer) {
  auto q = [&](const char* key) {
    auto found = page.query.find(key);
    return found == page.query.end() ? std::string() : found->second;
  };
  if (!q("utm_source").empty()) {
    const std::string medium = q("utm_medium");
    return jsonObject({{"source", trafficLabel(q("utm_source"))}, {"medium", medium.empty() ? "unknown" : trafficLabel(medium)},
                {"campaign", trafficLabel(q("utm_campaign"))}});
  }
  if (!q("gclid").empty()) return jsonObject({{"source", "google"}, {"medium", "cpc"}, {"campaign", ""}});
  const PageUrl from = parsePageUrl(referrer);
  if (!from.host.empty() && from.host != page.host) {
    for (const auto& known : kSources)
      if (hostMatches(from.host, known.match)) return jsonObject({{"source", known.name}, {"medium", known.medium}, {"campaign", ""}});
    std::string host = from.host;
    if (host.rfind("www.", 0) == 0) host = host.substr(4);
    return jsonObject({{"source", trafficLabel(host)}, {"medium", "referral"}, {"campaign", ""}});
  }
  return jsonObject({{"source", "direct"}, {"medium", "none"}, {"campaign", ""}});
}

}  // namespace cartkeep
