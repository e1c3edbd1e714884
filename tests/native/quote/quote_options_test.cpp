// Bad quote options: every error names the option path and says what is wrong.
#include "quote_fixture.hpp"

using namespace quote_fixture;

TEST_CASE("negative prices and amounts are refused with their path", "[quote][options]") {
  auto options = ukStore();
  options["catalog"][1]["price"] = -1;
  auto error = initError(options);
  CHECK(error.path == "catalog[1].price");
  options = ukStore();
  options["shipping"]["zones"][1]["methods"][0]["rate"]["amount"] = -395;
  expectError(options, "options.shipping.zones[1].methods[0].rate.amount", "non-negative");
  options = ukStore();
  options["shipping"]["zones"][1]["methods"][0]["freeAbove"] = -1;
  expectError(options, "options.shipping.zones[1].methods[0].freeAbove", "non-negative");
  options = ukStore();
  options["coupons"][2]["amount"] = -500;
  expectError(options, "options.coupons[2].amount", "positive");
}

TEST_CASE("unknown currency, coupon in another currency", "[quote][options]") {
  auto options = ukStore();
  options["currency"] = "XYZ";
  expectError(options, "options.currency", "unknown ISO 4217 currency");
  options = ukStore();
  options["coupons"][2]["currency"] = "EUR";
  expectError(options, "options.coupons[2].currency", "store sells in \"GBP\"");
  options = ukStore();
  options["coupons"][2]["currency"] = "EURO";
  expectError(options, "options.coupons[2].currency", "unknown ISO 4217");
}

TEST_CASE("overlapping, gapped and misordered tiers", "[quote][options]") {
  auto options = ukStore();
  auto& tiers = options["shipping"]["zones"][1]["methods"][1]["rate"]["tiers"];
  tiers = json::array({{{"upTo", 2000}, {"amount", 795}}, {{"from", 1500}, {"upTo", 10000}, {"amount", 1295}}});
  expectError(options, "options.shipping.zones[1].methods[1].rate.tiers[1].from", "tiers overlap");
  tiers = json::array({{{"upTo", 2000}, {"amount", 795}}, {{"from", 2500}, {"amount", 1295}}});
  expectError(options, "options.shipping.zones[1].methods[1].rate.tiers[1].from", "gap");
  tiers = json::array({{{"amount", 795}}, {{"upTo", 5000}, {"amount", 1295}}});
  expectError(options, "options.shipping.zones[1].methods[1].rate.tiers[0].upTo", "only the last tier");
  tiers = json::array({{{"upTo", 5000}, {"amount", 795}}, {{"upTo", 3000}, {"amount", 1295}}});
  expectError(options, "options.shipping.zones[1].methods[1].rate.tiers[1].upTo", "before the tier starts");
  tiers = json::array();
  expectError(options, "options.shipping.zones[1].methods[1].rate.tiers", "at least one tier");
}

TEST_CASE("a zone with no methods, duplicate ids, bad countries", "[quote][options]") {
  auto options = ukStore();
  options["shipping"]["zones"][2]["methods"] = json::array();
  expectError(options, "options.shipping.zones[2].methods", "a zone needs at least one method");
  options["shipping"]["zones"][2].erase("methods");
  expectError(options, "options.shipping.zones[2].methods", "a zone needs at least one method");
  options = ukStore();
  options["shipping"]["zones"][3]["id"] = "eu";
  expectError(options, "options.shipping.zones[3].id", "duplicate zone id");
  options = ukStore();
  options["shipping"]["zones"][2]["countries"][1] = "Germany";
  expectError(options, "options.shipping.zones[2].countries[1]", "ISO 3166-1");
  options = ukStore();
  options["shipping"]["zones"][1]["methods"][1]["rate"]["type"] = "weigth";
  expectError(options, "options.shipping.zones[1].methods[1].rate.type", "\"per-item\"");
  options = ukStore();
  options["shipping"]["zones"][1]["methods"][0]["freeabove"] = 4000;
  expectError(options, "options.shipping.zones[1].methods[0].freeabove", "did you mean \"freeAbove\"");
}

TEST_CASE("tax, rounding, coupons and delivery validation", "[quote][options]") {
  auto options = ukStore();
  options["shipping"]["zones"][1]["tax"]["standard"] = 17.5;
  expectError(options, "options.shipping.zones[1].tax.standard", "strings");
  options = ukStore();
  options["shipping"]["zones"][1]["tax"].erase("zero");
  expectError(options, "options.shipping.zones[1].tax", "\"zero\" used by catalog[2]");
  options = ukStore();
  options["rounding"]["mode"] = "bankers";
  expectError(options, "options.rounding.mode", "\"half-even\"");
  options = ukStore();
  options["rounding"]["level"] = "item";
  expectError(options, "options.rounding.level", "\"line\" or \"order\"");
  options = ukStore();
  options["coupons"][1]["code"] = "welcome10";
  expectError(options, "options.coupons[1].code", "duplicate code");
  options = ukStore();
  options["coupons"][0]["expires"] = "31/12/2030";
  expectError(options, "options.coupons[0].expires", "YYYY-MM-DD");
  options = ukStore();
  options["coupons"][3]["expires"] = "2024-02-01";
  expectError(options, "options.coupons[3].expires", "before the coupon starts");
  options = ukStore();
  options["coupons"][0]["rate"] = 150;
  expectError(options, "options.coupons[0].rate", "from 0 to 100");
  options = ukStore();
  options["coupons"][2]["products"] = {"ghost"};
  expectError(options, "options.coupons[2].products[0]", "no product with id \"ghost\"");
  options = ukStore();
  options["delivery"]["cutoff"] = "2pm";
  expectError(options, "options.delivery.cutoff", "HH:MM");
  options = ukStore();
  options["delivery"]["businessDays"] = json::array({"monday"});
  expectError(options, "options.delivery.businessDays[0]", "weekday");
  options = ukStore();
  options["fees"] = json::array({{{"id", "x"}, {"name", "X"}, {"type", "percentage"}, {"amount", 5}}});
  expectError(options, "options.fees[0].rate", "required");
}

TEST_CASE("bad quote requests name the request path", "[quote][options]") {
  auto store = engine();
  auto error = quoteError(store, {{"destination", {{"country", "United Kingdom"}}}});
  CHECK(error.code == cartkeep::ErrorCode::InvalidArgument);
  CHECK(error.path == "request.destination.country");
  CHECK(quoteError(store, {{"lines", lines({{"nope", 1}})}}).path == "request.lines[0].productId");
  CHECK(quoteError(store, {{"lines", json::array({{{"productId", "mug"}, {"quantity", 0}}})}}).path == "request.lines[0].quantity");
  CHECK(quoteError(store, {{"now", "yesterday"}}).path == "request.now");
  CHECK(quoteError(store, {{"coupn", "X"}}).message.find("did you mean \"coupon\"") != std::string::npos);
}
