// The one URL rule (base/url.hpp) that the catalog, behaviour, events and persistence options all apply.
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "base/url.hpp"

using namespace cartkeep;

TEST_CASE("one URL rule: relative or http(s) with a host, contact links only where asked", "[url][security]") {
  for (const char* ok : {"", "/", "/cart", "cart.html", "./cart.html", "../cart", "?id=a", "#top", "images/a b.svg",
                         "//cdn.example/a.png", "https://shop.example/cart", "HTTP://shop.example", "https://[::1]:8443/"}) {
    INFO(ok);
    CHECK(isSafeUrl(ok));
    CHECK(isSafeUrl(ok, UrlUse::Contact));
  }
  for (const char* bad : {"javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                          "data:text/html,<b>", "vbscript:x", "\\\\evil.example/a", "a\nb", "https://", "https:shop.example",
                          "http:///path", "a\x7f"}) {
    INFO(bad);
    CHECK_FALSE(isSafeUrl(bad));
    CHECK_FALSE(isSafeUrl(bad, UrlUse::Contact));
  }
  CHECK_FALSE(isSafeUrl("mailto:help@shop.example"));
  CHECK(isSafeUrl("mailto:help@shop.example", UrlUse::Contact));
  CHECK(isSafeUrl("TEL:+441234567", UrlUse::Contact));
  CHECK_FALSE(isSafeUrl(std::string(kMaxUrlLength + 1, 'a')));
}

TEST_CASE("a URL that breaks the rule is an error naming its path", "[url]") {
  auto read = readUrl(nlohmann::json{{"chatUrl", "javascript:alert(1)"}}, "chatUrl", "options.offer", ErrorCode::InvalidOptions,
                      UrlUse::Contact);
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().describe() ==
        "options.offer.chatUrl: expected a relative, http(s), mailto: or tel: URL, got \"javascript:alert(1)\"");
  auto unset = readUrl(nlohmann::json::object(), "chatUrl", "options.offer", ErrorCode::InvalidOptions);
  REQUIRE(unset.ok());
  CHECK(unset.value().empty());
  CHECK(checkUrl(std::string(kMaxUrlLength + 1, 'a'), "x", ErrorCode::InvalidOptions).error().message ==
        "expected a relative or http(s) URL, longer than 2048 bytes");
}
