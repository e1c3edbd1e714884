// Engine's persistence methods (declared in engine.hpp): argument checks, then the Persistence session.
#include "cartkeep/engine.hpp"
#include "base/json_fields.hpp"
#include "base/time_input.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

#define CARTKEEP_PERSISTENCE_PREAMBLE                                          \
  if (!state_ || !persistence_) return notInitialised();                      \
  StoreView store{state_->options, state_->catalog, state_->cart}

Result<json> Engine::persistRestore(std::string_view stored, double now, std::string_view replica) {
  CARTKEEP_PERSISTENCE_PREAMBLE;
  CARTKEEP_TRY_ASSIGN(auto ms, readTimeMs(now, "now"));
  return persistence_->restore(store, stored, ms, replica);
}

Result<json> Engine::persistSave(std::string_view stored, double now) {
  CARTKEEP_PERSISTENCE_PREAMBLE;
  CARTKEEP_TRY_ASSIGN(auto ms, readTimeMs(now, "now"));
  return persistence_->save(store, stored, ms);
}

Result<json> Engine::persistMerge(std::string_view incoming, double now) {
  CARTKEEP_PERSISTENCE_PREAMBLE;
  CARTKEEP_TRY_ASSIGN(auto ms, readTimeMs(now, "now"));
  return persistence_->merge(store, incoming, ms);
}

Result<json> Engine::persistCompact(double now) {
  CARTKEEP_PERSISTENCE_PREAMBLE;
  CARTKEEP_TRY_ASSIGN(auto ms, readTimeMs(now, "now"));
  return persistence_->compact(store, ms);
}

Result<json> Engine::persistForget() {
  CARTKEEP_PERSISTENCE_PREAMBLE;
  return persistence_->forget(store);
}

Result<json> Engine::persistSetContext(std::string_view contextJson, double now) {
  CARTKEEP_PERSISTENCE_PREAMBLE;
  CARTKEEP_TRY_ASSIGN(auto ms, readTimeMs(now, "now"));
  CARTKEEP_TRY_ASSIGN(json request, jf::parse(contextJson, "context"));
  return persistence_->setContext(store, request, ms);
}

Result<json> Engine::resumeLink(std::string_view requestJson) {
  if (!state_ || !persistence_) return notInitialised();
  StoreView store{state_->options, state_->catalog, state_->cart};
  CARTKEEP_TRY_ASSIGN(json request, jf::parse(requestJson.empty() ? std::string_view("{}") : requestJson, "request"));
  return persistence_->link(store, request);
}

Result<json> Engine::resumeLinkApply(std::string_view value, double now) {
  CARTKEEP_PERSISTENCE_PREAMBLE;
  CARTKEEP_TRY_ASSIGN(auto ms, readTimeMs(now, "now"));
  return persistence_->applyLink(store, value, ms);
}

#undef CARTKEEP_PERSISTENCE_PREAMBLE

}  // namespace cartkeep
