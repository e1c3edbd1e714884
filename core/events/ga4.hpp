#pragma once
// The GA4 mapping of stream records (docs/events.md): ecommerce events with item lists, the rest as
// cartkeep_<name> pushes for tag managers.
#include "base/money.hpp"

namespace cartkeep {

// An amount in minor units as the nearest double to its exact decimal value (295, 2 -> 2.95): what GA4 wants.
double minorToDecimal(Minor amount, int exponent);

}  // namespace cartkeep
