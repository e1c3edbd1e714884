#pragma once
// Splitting an amount across lines in proportion to weights so the parts always sum exactly.
#include <vector>

#include "cartkeep/error.hpp"
#include "base/money.hpp"

namespace cartkeep {

// Largest-remainder (Hamilton) allocation: each part gets floor(amount * w / W), then the units left over
// go one each to the largest remainders (ties: the earlier index). Weights must be >= 0; a negative amount
// is allocated as its magnitude and negated. Zero total weight with a non-zero amount is an error.
Result<std::vector<Minor>> allocateLargestRemainder(Minor amount, const std::vector<Minor>& weights);

}  // namespace cartkeep
