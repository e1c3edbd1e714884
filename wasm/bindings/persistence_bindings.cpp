// Embind surface for persistence: snapshots in and out as text, cross-tab merge, resume links.
#include <emscripten/bind.h>

#include "bound_result.hpp"
#include "cartkeep/engine.hpp"

namespace cartkeep::bindings {
namespace {

BoundResult persistRestore(Engine& engine, const std::string& stored, double now, const std::string& replica) {
  return toBound(engine.persistRestore(stored, now, replica));
}
BoundResult persistSave(Engine& engine, const std::string& stored, double now) {
  return toBound(engine.persistSave(stored, now));
}
BoundResult persistMerge(Engine& engine, const std::string& incoming, double now) {
  return toBound(engine.persistMerge(incoming, now));
}
BoundResult persistCompact(Engine& engine, double now) { return toBound(engine.persistCompact(now)); }
BoundResult persistForget(Engine& engine) { return toBound(engine.persistForget()); }
BoundResult persistSetContext(Engine& engine, const std::string& contextJson, double now) {
  return toBound(engine.persistSetContext(contextJson, now));
}
BoundResult resumeLink(Engine& engine, const std::string& requestJson) {
  return toBound(engine.resumeLink(requestJson));
}
BoundResult resumeLinkApply(Engine& engine, const std::string& value, double now) {
  return toBound(engine.resumeLinkApply(value, now));
}

}  // namespace
}  // namespace cartkeep::bindings

EMSCRIPTEN_BINDINGS(cartkeep_persistence) {
  using namespace emscripten;
  using namespace cartkeep::bindings;
  function("persistRestore", &persistRestore);
  function("persistSave", &persistSave);
  function("persistMerge", &persistMerge);
  function("persistCompact", &persistCompact);
  function("persistForget", &persistForget);
  function("persistSetContext", &persistSetContext);
  function("resumeLink", &resumeLink);
  function("resumeLinkApply", &resumeLinkApply);
}
