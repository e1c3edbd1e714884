// Catalog::appendText: the direct text reader agrees with the JSON tree on every input, and takes the
// products merchants usually write (escapes, non-Latin titles, nulls, extra fields) without the tree.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "store/catalog.hpp"
#include "base/json_fields.hpp"

using namespace cartkeep;
using nlohmann::json;

namespace {

// Reads `slices` one after another both ways and checks that the products and the error are the same.
void checkBothWaysAgree(const std::vector<std::string>& slices) {
  Catalog direct;
  Catalog tree;
  for (const auto& text : slices) {
    INFO(text);
    const Status viaText = direct.appendText(text, "GBP");
    auto parsed = json_fields::parse(text, "catalog");
    const Status viaTree = parsed ? tree.append(parsed.value(), "GBP") : Status(parsed.error());
    REQUIRE(viaText.ok() == viaTree.ok());
    if (!viaText.ok()) {
      CHECK(viaText.error().code == viaTree.error().code);
      CHECK(viaText.error().path == viaTree.error().path);
      CHECK(viaText.error().message == viaTree.error().message);
    }
    REQUIRE(direct.size() == tree.size());
    for (std::size_t i = 0; i < direct.size(); ++i) {
      CHECK(toJson(direct.products()[i]) == toJson(tree.products()[i]));
      CHECK(direct.find(direct.products()[i].id) == &direct.products()[i]);
    }
  }
}

std::string demoCatalogText() {
  std::ifstream file(std::string(CARTKEEP_SOURCE_DIR) + "/demo/data/catalog.json");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("the text reader and the JSON tree agree, valid or not", "[catalog][text]") {
  const std::vector<std::string> inputs = {
      R"([])",
      " \n\t[ ]\r\n",
      R"([{"id":"a","title":"A","price":0}])",
      R"([{"id":"a","title":"Caf\u00e9 \"Noir\" \\ \/ \b\f\n\r\t","price":295,"tags":["x","\ud83d\ude00"]}])",
      R"([{"id":"عربي","title":"شمعة","price":1500,"description":"وصف","brand":"مَتجر"}])",
      R"([{"id":"a","title":"A","price":1,"currency":null,"category":null,"tags":null,"brand":null,"weight":null,)"
      R"("stock":null,"description":null,"image":null,"url":null,"shippingClass":null,"taxCategory":null}])",
      R"([{"id":"a","title":"A","price":1,"currency":"GBP","weight":0,"stock":0,"image":"https://x.test/a.png",)"
      R"("url":"product.html?id=a","shippingClass":"bulky","taxCategory":"reduced"}])",
      R"([{"extra":{"deep":[1,-2.5,0.25,true,false,null,"x",{"k":[]}]},"id":"a","title":"A","price":1,"more":[]}])",
      R"([{"id":"a","title":"A","price":9007199254740991}])",
      // not plain: left to the tree, which accepts them
      R"([{"id":"a","title":"A","price":295.0,"weight":1e2}])",
      "\xEF\xBB\xBF[{\"id\":\"a\",\"title\":\"A\",\"price\":1}]",
      R"([{"id":"a","title":"A","price":1,"title":"B"}])",
      R"([{"id":"a","title":"A","price":1,"n":1e400}])",
      // errors, each named by the tree's path and message
      R"([{"id":"a","title":"A","price":-1}])",
      R"([{"id":"a","title":"A","price":9007199254740992}])",
      R"([{"id":"a","title":"A","price":01}])",
      R"([{"id":"a","title":"A"}])",
      R"([{"id":"","title":"A","price":1}])",
      R"([{"id":null,"title":"A","price":1}])",
      R"([{"id":"a","title":"A","price":1,"currency":"EUR"}])",
      R"([{"id":"a","title":"A","price":1,"currency":"XYZ"}])",
      R"([{"id":"a","title":"A","price":1,"taxCategory":""}])",
      R"j([{"id":"a","title":"A","price":1,"url":"javascript:alert(1)"}])j",
      R"([{"id":"a","title":"A","price":1,"tags":["x",2]}])",
      R"([{"id":"a","title":"A","price":1,"stock":1000000001}])",
      R"([{"id":"a","title":"A","price":1},{"id":"a","title":"B","price":2}])",
      R"([{"id":"a","title":"A","price":1}] x)",
      R"([{"id":"a","title":"A","price":1},])",
      "[{\"id\":\"a\",\"title\":\"A\xC0\xAF\",\"price\":1}]",
      "[{\"id\":\"a\",\"title\":\"A\xED\xA0\x80\",\"price\":1}]",
      "[{\"id\":\"a\",\"title\":\"tab\there\",\"price\":1}]",
      R"([{"id":"a","title":"\ud800","price":1}])",
      R"({"id":"a","title":"A","price":1})",
      R"([1])",
      R"()",
  };
  for (const auto& text : inputs) checkBothWaysAgree({text});
}

TEST_CASE("slices read as text continue the indices and catch a duplicate of an earlier slice",
          "[catalog][text]") {
  checkBothWaysAgree({R"([{"id":"a","title":"A","price":1},{"id":"b","title":"B","price":2}])",
                      R"([{"id":"c","title":"C","price":3},{"id":"d","title":"D","price":-4}])"});
  checkBothWaysAgree({R"([{"id":"a","title":"A","price":1},{"id":"b","title":"B","price":2}])",
                      R"([{"id":"c","title":"C","price":3},{"id":"a","title":"again","price":4}])"});
}

TEST_CASE("the usual ways of writing products are read without a JSON tree", "[catalog][text]") {
  const std::string demo = demoCatalogText();
  Catalog direct;
  REQUIRE(direct.appendPlain(demo, "GBP"));
  auto tree = Catalog::fromJson(json::parse(demo), "GBP");
  REQUIRE(tree.ok());
  REQUIRE(direct.size() == tree.value().size());
  for (std::size_t i = 0; i < direct.size(); ++i)
    CHECK(toJson(direct.products()[i]) == toJson(tree.value().products()[i]));

  Catalog other;
  CHECK(other.appendPlain(R"([{"id":"a","title":"Caf\u00e9 \"Noir\"","price":295,"stock":null}])", "GBP"));
  CHECK(other.appendPlain(R"([{"id":"b","title":"شمعة","price":1500,"extra":{"x":[1.5,true]}}])", "GBP"));
  CHECK(other.size() == 2);
}

TEST_CASE("text the direct reader is not sure of adds nothing and is left to the tree", "[catalog][text]") {
  Catalog catalog;
  REQUIRE(catalog.appendPlain(R"([{"id":"a","title":"A","price":1}])", "GBP"));
  for (const char* text : {R"([{"id":"b","title":"B","price":2},{"id":"c","title":"C","price":2.0}])",
                           R"([{"id":"b","title":"B","price":2},{"id":"a","title":"again","price":3}])",
                           R"([{"id":"b","title":"B","price":2,"price":3}])",
                           R"([{"id":"b","title":"B","price":2}] [])"}) {
    INFO(text);
    CHECK_FALSE(catalog.appendPlain(text, "GBP"));
    CHECK(catalog.size() == 1);
    CHECK(catalog.find("a") == &catalog.products()[0]);
    CHECK(catalog.find("b") == nullptr);
  }
  REQUIRE(catalog.appendText(R"([{"id":"b","title":"B","price":2},{"id":"c","title":"C","price":2.0}])", "GBP").ok());
  CHECK(catalog.find("c")->price == 2);
}
