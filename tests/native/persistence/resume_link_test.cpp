#include <catch2/catch.hpp>

#include <regex>

#include "persistence/resume_link.hpp"

using namespace cartkeep;

TEST_CASE("base64url has one spelling per byte string", "[resume-link]") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"\xff\xfe", "__4"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64UrlEncode(plain) == encoded);
    std::string back;
    REQUIRE(base64UrlDecode(encoded, back));
    CHECK(back == plain);
  }
  std::string out;
  CHECK_FALSE(base64UrlDecode("Zg==", out));  // no padding in URLs
  CHECK_FALSE(base64UrlDecode("Zh", out));    // leftover bits set
  CHECK_FALSE(base64UrlDecode("Z", out));
  CHECK_FALSE(base64UrlDecode("Zm+v", out));  // standard alphabet, not URL-safe
}

TEST_CASE("a resume link round-trips ids with any characters, quantities, coupon and step", "[resume-link]") {
  ResumeLink link;
  link.items = {{"mug", 2, {}}, {"a,b*c|d%e=f", 1, {}}, {"☕ mug", 99, {}}};
  link.coupon = "SAVE-10";
  link.step = "checkout";
  LinkWrite written = encodeResumeLink(link, 4000);
  REQUIRE(written.ok());
  CHECK(std::regex_match(written.value, std::regex("^1\\.[A-Za-z0-9_-]+\\.[0-9a-f]{8}$")));
  LinkRead read = decodeResumeLink(written.value, 4000, 100);
  REQUIRE(read.ok());
  CHECK(read.format == "cartkeep");
  CHECK(read.link.items == link.items);
  CHECK(read.link.items[1].path == "cartkeep[1]");
  CHECK(read.link.coupon == "SAVE-10");
  CHECK(read.link.step == "checkout");
  CHECK(read.notices.empty());
}

TEST_CASE("damaged, future and oversized links are refused as a whole with a code", "[resume-link]") {
  ResumeLink link;
  link.items = {{"mug", 2, {}}, {"lamp", 1, {}}};
  const std::string value = encodeResumeLink(link, 4000).value;

  std::string flipped = value;
  flipped[3] = flipped[3] == 'A' ? 'B' : 'A';
  CHECK(decodeResumeLink(flipped, 4000, 100).problem->code == ErrorCode::InvalidLink);
  LinkRead cut = decodeResumeLink(value.substr(0, value.size() - 1), 4000, 100);
  CHECK(cut.problem->code == ErrorCode::InvalidLink);
  CHECK(cut.problem->path == "cartkeep");
  CHECK(cut.link.items.empty());

  LinkRead future = decodeResumeLink("2" + value.substr(1), 4000, 100, "cart");
  CHECK(future.problem->code == ErrorCode::LinkFutureVersion);
  CHECK(future.problem->path == "cart");

  CHECK(decodeResumeLink(value, value.size() - 1, 100).problem->code == ErrorCode::LinkTooLong);
  CHECK(decodeResumeLink("   ", 4000, 100).problem->code == ErrorCode::InvalidLink);

  for (int i = 0; i < 300; ++i) link.items.push_back({"product-" + std::to_string(i), 3, {}});
  LinkWrite tooLong = encodeResumeLink(link, 2000);
  CHECK(tooLong.problem->code == ErrorCode::LinkTooLong);
  CHECK_THAT(tooLong.problem->message, Catch::Contains("options.persistence.link.maxLength"));
}

TEST_CASE("the Shopify-style list is accepted, bad entries are left out with a notice each", "[resume-link]") {
  LinkRead read = decodeResumeLink("mug:2,lamp:1", 4000, 100);
  REQUIRE(read.ok());
  CHECK(read.format == "list");
  CHECK(read.link.items == std::vector<LinkItem>{{"mug", 2, {}}, {"lamp", 1, {}}});

  read = decodeResumeLink("mug:2, lamp ,card:x,:3,,mug:1,vase:0,rug:99999999999", 4000, 100);
  REQUIRE(read.ok());
  CHECK(read.link.items == std::vector<LinkItem>{{"mug", 3, {}}, {"lamp", 1, {}}});
  REQUIRE(read.notices.size() == 4);
  CHECK(read.notices[0]["path"] == "cartkeep[2].quantity");
  CHECK(read.notices[0]["problem"] == "expected a whole number from 1 to 1000000000, got \"x\"");
  CHECK(read.notices[0]["message"] == nlohmann::json::parse(R"({"key": "persist.notice.link-item-invalid", "values": {}})"));
  CHECK(read.notices[1]["path"] == "cartkeep[3]");
  CHECK(read.notices[2]["path"] == "cartkeep[6].quantity");
  CHECK(read.notices[3]["path"] == "cartkeep[7].quantity");
  for (const auto& notice : read.notices) CHECK(notice["kind"] == "link-item-invalid");

  CHECK(decodeResumeLink(",,,", 4000, 100).problem->code == ErrorCode::InvalidLink);
}

TEST_CASE("a link is bounded in items: the rest is left out with one notice", "[resume-link]") {
  LinkRead read = decodeResumeLink("a:1,b:1,a:2,c:1,d:1", 4000, 2);
  REQUIRE(read.ok());
  CHECK(read.link.items == std::vector<LinkItem>{{"a", 3, {}}, {"b", 1, {}}});
  REQUIRE(read.notices.size() == 1);
  CHECK(read.notices[0]["path"] == "cartkeep[3]");
}

TEST_CASE("a coupon or step that is not well formed is dropped, the items kept", "[resume-link]") {
  ResumeLink link;
  link.items = {{"mug", 1, {}}};
  link.coupon = "NOT A CODE<script>";  // encodeResumeLink does not judge; the reader does
  link.step = "Checkout!";
  LinkRead read = decodeResumeLink(encodeResumeLink(link, 4000).value, 4000, 100);
  REQUIRE(read.ok());
  CHECK(read.link.items.size() == 1);
  CHECK(read.link.coupon.empty());
  CHECK(read.link.step.empty());
  REQUIRE(read.notices.size() == 2);
  CHECK(read.notices[0]["path"] == "cartkeep.coupon");
  CHECK(read.notices[1]["path"] == "cartkeep.step");
}
