#include "base/stable_sort.hpp"

namespace cartkeep {

void stableSortIndices(std::vector<std::size_t>& order, const void* context, IndexLess less) {
  const std::size_t n = order.size();
  if (n < 2) return;
  // Insertion sort for short runs, then bottom-up merging; both keep equal elements in input order.
  constexpr std::size_t kRun = 8;
  for (std::size_t start = 0; start < n; start += kRun) {
    const std::size_t end = start + kRun < n ? start + kRun : n;
    for (std::size_t i = start + 1; i < end; ++i) {
      const std::size_t value = order[i];
      std::size_t j = i;
      for (; j > start && less(context, value, order[j - 1]); --j) order[j] = order[j - 1];
      order[j] = value;
    }
  }
  if (n <= kRun) return;  // one run, already sorted: no buffer needed
  std::vector<std::size_t> buffer(n);
  std::vector<std::size_t>* from = &order;
  std::vector<std::size_t>* to = &buffer;
  for (std::size_t width = kRun; width < n; width *= 2) {
    for (std::size_t left = 0; left < n; left += 2 * width) {
      const std::size_t mid = left + width < n ? left + width : n;
      const std::size_t right = left + 2 * width < n ? left + 2 * width : n;
      std::size_t i = left, j = mid, k = left;
      // Take from the right run only when strictly less: ties keep the left (earlier) element first.
      while (i < mid && j < right) (*to)[k++] = less(context, (*from)[j], (*from)[i]) ? (*from)[j++] : (*from)[i++];
      while (i < mid) (*to)[k++] = (*from)[i++];
      while (j < right) (*to)[k++] = (*from)[j++];
    }
    std::swap(from, to);
  }
  if (from != &order) order.swap(buffer);
}

}  // namespace cartkeep
