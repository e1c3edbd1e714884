// Embind surface for suggestions: the index arrives as bytes (a Uint8Array becomes std::string), every
// other argument as JSON text; every result is a BoundResult (see docs/suggest.md).
#include <emscripten/bind.h>

#include "bound_result.hpp"
#include "cartkeep/engine.hpp"

namespace cartkeep::bindings {
namespace {

BoundResult suggestLoadIndex(Engine& engine, const std::string& bytes) { return toBound(engine.suggestLoadIndex(bytes)); }
BoundResult suggestStatus(const Engine& engine) { return toBound(engine.suggestStatus()); }
BoundResult suggest(const Engine& engine, const std::string& requestJson) { return toBound(engine.suggestText(requestJson)); }
BoundResult suggestTrack(Engine& engine, const std::string& eventJson) { return toBound(engine.suggestTrack(eventJson)); }
BoundResult suggestProfile(const Engine& engine) { return toBound(engine.suggestProfile()); }
BoundResult suggestRestoreProfile(Engine& engine, const std::string& profileJson) {
  return toBound(engine.suggestRestoreProfile(profileJson));
}
BoundResult suggestForget(Engine& engine) { return toBound(engine.suggestForget()); }

}  // namespace
}  // namespace cartkeep::bindings

EMSCRIPTEN_BINDINGS(cartkeep_suggest) {
  using namespace emscripten;
  using namespace cartkeep::bindings;
  function("suggestLoadIndex", &suggestLoadIndex);
  function("suggestStatus", &suggestStatus);
  function("suggest", &suggest);
  function("suggestTrack", &suggestTrack);
  function("suggestProfile", &suggestProfile);
  function("suggestRestoreProfile", &suggestRestoreProfile);
  function("suggestForget", &suggestForget);
}
