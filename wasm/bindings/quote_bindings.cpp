// Embind surface for the quote: one call per quote, the shopper's choices, and a batch call that returns
// totals only.
#include <emscripten/bind.h>

#include "bound_result.hpp"
#include "cartkeep/engine.hpp"

namespace cartkeep::bindings {
namespace {

BoundResult quote(const Engine& engine, const std::string& requestJson) { return toBound(engine.quote(requestJson)); }
BoundResult quoteChoose(Engine& engine, const std::string& choicesJson) { return toBound(engine.quoteChoose(choicesJson)); }
BoundResult quoteBatch(const Engine& engine, const std::string& requestsJson) {
  return toBound(engine.quoteBatch(requestsJson));
}

}  // namespace
}  // namespace cartkeep::bindings

EMSCRIPTEN_BINDINGS(cartkeep_quote) {
  using namespace emscripten;
  using namespace cartkeep::bindings;
  function("quote", &quote);
  function("quoteChoose", &quoteChoose);
  function("quoteBatch", &quoteBatch);
}
