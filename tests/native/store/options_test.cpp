#include <catch2/catch.hpp>

#include "store/options.hpp"

using namespace cartkeep;
using nlohmann::json;

TEST_CASE("options get defaults and a resolved direction", "[options]") {
  auto options = parseOptions(json{{"currency", "GBP"}, {"catalog", json::array()}});
  REQUIRE(options.ok());
  CHECK(options.value().locale == "en");
  CHECK(options.value().direction == "ltr");
  CHECK(options.value().cart.maxQuantityPerLine == 99);
  CHECK(options.value().strings.at("cart.title") == "Your cart");
  CHECK(toJson(options.value())["currencyExponent"] == 2);
}

TEST_CASE("an Arabic locale gets right-to-left and Arabic strings", "[options][rtl]") {
  auto options = parseOptions(json{{"currency", "KWD"}, {"locale", "ar-KW"}});
  REQUIRE(options.ok());
  CHECK(options.value().direction == "rtl");
  CHECK(options.value().strings.at("cart.title") == "سلة التسوق");
  CHECK(toJson(options.value())["currencyExponent"] == 3);
  auto forced = parseOptions(json{{"currency", "KWD"}, {"locale", "ar-KW"}, {"direction", "ltr"}});
  REQUIRE(forced.ok());
  CHECK(forced.value().direction == "ltr");
}

TEST_CASE("merchant strings override defaults and unknown keys are errors", "[options][strings]") {
  auto options = parseOptions(json{{"currency", "GBP"},
                                   {"strings", {{"cart.title", "Your basket"}, {"cart.count.one", "1 thing"}}}});
  REQUIRE(options.ok());
  CHECK(options.value().strings.at("cart.title") == "Your basket");
  CHECK(options.value().strings.at("cart.count.one") == "1 thing");
  auto typo = parseOptions(json{{"currency", "GBP"}, {"strings", {{"cart.titel", "x"}}}});
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().describe() ==
        "options.strings[\"cart.titel\"]: unknown string key (did you mean \"cart.title\"?)");
  auto notText = parseOptions(json{{"currency", "GBP"}, {"strings", {{"cart.title", 3}}}});
  REQUIRE_FALSE(notText.ok());
  CHECK(notText.error().describe() == "options.strings[\"cart.title\"]: expected a string, got 3");
}

TEST_CASE("bad options name the path", "[options]") {
  struct Case {
    json options;
    std::string described;
  };
  std::vector<Case> cases{
      {json{{"catalog", json::array()}}, "options.currency: required, expected a string"},
      {json{{"currency", "gbp"}}, "options.currency: unknown ISO 4217 currency \"gbp\" (use an upper-case code such as \"GBP\")"},
      {json{{"currency", "GBP"}, {"curency", "GBP"}}, "options.curency: unknown option (did you mean \"currency\"?)"},
      {json{{"currency", "GBP"}, {"cart", {{"maxLines", 0}}}},
       "options.cart.maxLines: expected an integer from 1 to 1000, got 0"},
      {json{{"currency", "GBP"}, {"cart", {{"maxQty", 3}}}}, "options.cart.maxQty: unknown option"},
      {json{{"currency", "GBP"}, {"direction", "up"}}, "options.direction: expected \"auto\", \"ltr\" or \"rtl\", got \"up\""},
      {json{{"currency", "GBP"}, {"locale", "<script>"}},
       "options.locale: expected a BCP 47 language tag such as \"en-GB\" or \"ar-AE\", got \"<script>\""},
      {json{{"currency", "GBP"}, {"debug", "yes"}}, "options.debug: expected true or false, got \"yes\""},
      {json::array(), "options: expected an object, got an array"},
  };
  for (const auto& c : cases) {
    auto result = parseOptions(c.options);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == ErrorCode::InvalidOptions);
    CHECK(result.error().describe() == c.described);
  }
}
