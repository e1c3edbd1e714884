#include "base/allocation.hpp"

#include <algorithm>
#include <numeric>

#include "base/rounding.hpp"
#include "base/stable_sort.hpp"

namespace cartkeep {
namespace {
__extension__ typedef __int128 Wide;
}

Result<std::vector<Minor>> allocateLargestRemainder(Minor amount, const std::vector<Minor>& weights) {
  std::vector<Minor> parts(weights.size(), 0);
  if (amount == 0) return parts;
  if (amount == INT64_MIN) return overflowError();
  const bool negative = amount < 0;
  const Wide total = negative ? -static_cast<Wide>(amount) : static_cast<Wide>(amount);
  Wide weightSum = 0;
  for (Minor w : weights) {
    if (w < 0) return Error{ErrorCode::InvalidArgument, "weights", "allocation weights must be >= 0"};
    weightSum += w;
  }
  if (weightSum == 0)
    return Error{ErrorCode::InvalidArgument, "weights", "cannot allocate a non-zero amount over zero weights"};
  std::vector<Wide> remainders(weights.size());
  Wide given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const Wide product = total * weights[i];
    const Wide share = product / weightSum;
    remainders[i] = product % weightSum;
    parts[i] = static_cast<Minor>(share);
    given += share;
  }
  Wide left = total - given;  // < number of non-zero weights
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  stableSortIndices(order, &remainders, [](const void* r, std::size_t a, std::size_t b) {
    const auto& rem = *static_cast<const std::vector<Wide>*>(r);
    return rem[a] > rem[b];
  });
  for (std::size_t k = 0; k < order.size() && left > 0; ++k) {
    if (weights[order[k]] == 0) continue;
    parts[order[k]] += 1;
    --left;
  }
  if (negative)
    for (Minor& part : parts) part = -part;
  return parts;
}

}  // namespace cartkeep
