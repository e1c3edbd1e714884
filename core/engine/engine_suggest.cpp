// Engine's suggestion methods (declared in engine.hpp): JSON in, JSON out, over the Suggestions state.
#include "cartkeep/engine.hpp"
#include "base/json_fields.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

Result<json> Engine::suggestLoadIndex(std::string_view bytes) {
  if (!state_ || !suggestions_) return notInitialised();
  ++suggestRevision_;
  return suggestions_->loadIndex(bytes, state_->catalog);
}

Result<json> Engine::suggestStatus() const {
  if (!state_ || !suggestions_) return notInitialised();
  return suggestions_->status();
}

Result<json> Engine::suggest(std::string_view requestJson) const {
  if (!state_ || !suggestions_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(json request, jf::parse(requestJson, "request"));
  return suggestions_->suggest(request, state_->catalog, state_->cart.lines(), state_->options);
}

Result<std::string> Engine::suggestText(std::string_view requestJson) const {
  if (!state_ || !suggestions_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(json request, jf::parse(requestJson, "request"));
  return suggestions_->suggestText(request, state_->catalog, state_->cart.lines(), state_->options);
}

Result<json> Engine::suggestTrack(std::string_view eventJson) {
  if (!state_ || !suggestions_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(json event, jf::parse(eventJson, "event"));
  ++suggestRevision_;
  return suggestions_->track(event, state_->catalog);
}

Result<json> Engine::suggestProfile() const {
  if (!state_ || !suggestions_) return notInitialised();
  return suggestions_->profileJson();
}

Result<json> Engine::suggestRestoreProfile(std::string_view profileJson) {
  if (!state_ || !suggestions_) return notInitialised();
  CARTKEEP_TRY_ASSIGN(json stored, jf::parse(profileJson, "suggestions.profile"));
  ++suggestRevision_;
  return suggestions_->restoreProfile(stored, state_->catalog);
}

Result<json> Engine::suggestForget() {
  if (!state_ || !suggestions_) return notInitialised();
  ++suggestRevision_;
  suggestions_->forgetProfile();
  return suggestions_->status();
}

}  // namespace cartkeep
