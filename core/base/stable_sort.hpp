#pragma once
// Stable sorting through one non-template merge sort of indices.
//
// std::stable_sort instantiates its merge machinery (about 4 KB of wasm) for every comparator; the core
// sorts in a handful of places, none of them hot. stableSort gives the same order (a stable sort's result
// is fully determined by the comparator) with a small per-type shell around stableSortIndices.
#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

namespace cartkeep {

using IndexLess = bool (*)(const void* context, std::size_t a, std::size_t b);

// Reorders `order` stably so that less(context, order[i + 1], order[i]) is false for every i.
void stableSortIndices(std::vector<std::size_t>& order, const void* context, IndexLess less);

// Stable sort of a random-access container (vector, deque) by `less(a, b)` on its elements.
template <class Container, class Less>
void stableSort(Container& items, const Less& less) {
  const std::size_t n = items.size();
  if (n < 2) return;
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  struct Context {
    const Container* items;
    const Less* less;
  } context{&items, &less};
  stableSortIndices(order, &context, [](const void* c, std::size_t a, std::size_t b) {
    const auto* x = static_cast<const Context*>(c);
    return static_cast<bool>((*x->less)((*x->items)[a], (*x->items)[b]));
  });
  std::vector<typename Container::value_type> sorted;
  sorted.reserve(n);
  for (std::size_t i : order) sorted.push_back(std::move(items[i]));
  for (std::size_t i = 0; i < n; ++i) items[i] = std::move(sorted[i]);
}

}  // namespace cartkeep
