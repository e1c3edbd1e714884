// A small initialised engine shared by the fuzz targets, so each target fuzzes only its own entry point.
#pragma once

#include <cstdlib>
#include <string>

#include "cartkeep/engine.hpp"

namespace cartkeep::fuzz {

// `extraOptions` is spliced into the options object ("" or `"key": value`); the catalog has ids the
// corpora use (mug, lantern, card, lamp).
inline bool initEngine(Engine& engine, const std::string& extraOptions = "") {
  std::string options = R"({"currency":"GBP","locale":"en-GB","catalog":[)"
                        R"({"id":"mug","title":"Enamel Mug","price":850,"stock":5,"category":"Kitchen","tags":["enamel"]},)"
                        R"({"id":"lantern","title":"White Metal Lantern","price":339,"category":"Lights"},)"
                        R"({"id":"card","title":"Greeting Card","price":42,"stock":0},)"
                        R"({"id":"lamp","title":"Lamp","price":1999,"weight":2500,"category":"Lights"}])";
  if (!extraOptions.empty()) options += "," + extraOptions;
  options += "}";
  return engine.init(options).ok();
}

// The fixed options must always load: if they stop loading, the target fuzzes nothing, so fail loudly.
inline void requireInit(bool ok) {
  if (!ok) std::abort();
}

}  // namespace cartkeep::fuzz
