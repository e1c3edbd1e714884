#pragma once
// Shared by the catalog's two readers (JSON tree and text): which links a product may carry.
#include <string_view>

namespace cartkeep {

// Catalog links end up in href/src attributes: only relative or http(s) URLs, so a hostile product feed cannot
// smuggle in `javascript:` or `data:` links.
bool isSafeCatalogUrl(std::string_view url);

}  // namespace cartkeep
