#pragma once
// Note [Tie order of sort and topk]
// PyTorch 1.13's CPU sort (stable=False, the default) is std::sort, and its topk is
// std::partial_sort (k * 64 <= n) or std::nth_element followed by std::sort of the first k - 1,
// all from the libstdc++ it was built with; none of them is stable, so where values tie the
// order of the indices is whatever those algorithms leave. webtorch runs on Emscripten's libc++
// (and natively on any standard library), whose algorithms leave ties in other orders, so the
// three are written out here step for step as GCC's bits/stl_algo.h and bits/stl_heap.h do
// them: the same comparisons and moves give the same order, on every build.

#include <cstdint>
#include <utility>

namespace webtorch {
namespace native {
namespace libstdcxx {

constexpr int64_t kThreshold = 16;  // _S_threshold

inline int64_t lg(int64_t n) {  // std::__lg
  int64_t k = 0;
  while (n > 1) {
    n >>= 1;
    ++k;
  }
  return k;
}

template <class E, class Comp>
void push_heap(E* first, int64_t hole, int64_t top, E value, Comp comp) {
  int64_t parent = (hole - 1) / 2;
  while (hole > top && comp(first[parent], value)) {
    first[hole] = std::move(first[parent]);
    hole = parent;
    parent = (hole - 1) / 2;
  }
  first[hole] = std::move(value);
}

template <class E, class Comp>
void adjust_heap(E* first, int64_t hole, int64_t len, E value, Comp comp) {
  const int64_t top = hole;
  int64_t child = hole;
  while (child < (len - 1) / 2) {
    child = 2 * (child + 1);
    if (comp(first[child], first[child - 1])) child--;
    first[hole] = std::move(first[child]);
    hole = child;
  }
  if ((len & 1) == 0 && child == (len - 2) / 2) {
    child = 2 * (child + 1);
    first[hole] = std::move(first[child - 1]);
    hole = child - 1;
  }
  push_heap(first, hole, top, std::move(value), comp);
}

template <class E, class Comp>
void make_heap(E* first, E* last, Comp comp) {
  const int64_t len = last - first;
  if (len < 2) return;
  for (int64_t parent = (len - 2) / 2;; --parent) {
    E value = std::move(first[parent]);
    adjust_heap(first, parent, len, std::move(value), comp);
    if (parent == 0) return;
  }
}

template <class E, class Comp>
void pop_heap(E* first, E* last, E* result, Comp comp) {
  E value = std::move(*result);
  *result = std::move(*first);
  adjust_heap(first, int64_t(0), int64_t(last - first), std::move(value), comp);
}

template <class E, class Comp>
void heap_select(E* first, E* middle, E* last, Comp comp) {
  make_heap(first, middle, comp);
  for (E* i = middle; i < last; ++i)
    if (comp(*i, *first)) pop_heap(first, middle, i, comp);
}

template <class E, class Comp>
void sort_heap(E* first, E* last, Comp comp) {
  while (last - first > 1) {
    --last;
    pop_heap(first, last, last, comp);
  }
}

template <class E, class Comp>
void unguarded_linear_insert(E* last, Comp comp) {
  E value = std::move(*last);
  E* next = last - 1;
  while (comp(value, *next)) {
    *last = std::move(*next);
    last = next;
    --next;
  }
  *last = std::move(value);
}

template <class E, class Comp>
void insertion_sort(E* first, E* last, Comp comp) {
  if (first == last) return;
  for (E* i = first + 1; i != last; ++i) {
    if (comp(*i, *first)) {
      E value = std::move(*i);
      for (E* j = i; j != first; --j) *j = std::move(*(j - 1));  // move_backward
      *first = std::move(value);
    } else {
      unguarded_linear_insert(i, comp);
    }
  }
}

template <class E, class Comp>
void final_insertion_sort(E* first, E* last, Comp comp) {
  if (last - first > kThreshold) {
    insertion_sort(first, first + kThreshold, comp);
    for (E* i = first + kThreshold; i != last; ++i) unguarded_linear_insert(i, comp);
  } else {
    insertion_sort(first, last, comp);
  }
}

template <class E, class Comp>
void move_median_to_first(E* result, E* a, E* b, E* c, Comp comp) {
  if (comp(*a, *b)) {
    if (comp(*b, *c)) std::swap(*result, *b);
    else if (comp(*a, *c)) std::swap(*result, *c);
    else std::swap(*result, *a);
  } else if (comp(*a, *c)) {
    std::swap(*result, *a);
  } else if (comp(*b, *c)) {
    std::swap(*result, *c);
  } else {
    std::swap(*result, *b);
  }
}

template <class E, class Comp>
E* unguarded_partition(E* first, E* last, E* pivot, Comp comp) {
  while (true) {
    while (comp(*first, *pivot)) ++first;
    --last;
    while (comp(*pivot, *last)) --last;
    if (!(first < last)) return first;
    std::swap(*first, *last);
    ++first;
  }
}

template <class E, class Comp>
E* unguarded_partition_pivot(E* first, E* last, Comp comp) {
  E* mid = first + (last - first) / 2;
  move_median_to_first(first, first + 1, mid, last - 1, comp);
  return unguarded_partition(first + 1, last, first, comp);
}

template <class E, class Comp>
void introsort_loop(E* first, E* last, int64_t depth_limit, Comp comp) {
  while (last - first > kThreshold) {
    if (depth_limit == 0) {
      heap_select(first, last, last, comp);  // std::partial_sort(first, last, last)
      sort_heap(first, last, comp);
      return;
    }
    --depth_limit;
    E* cut = unguarded_partition_pivot(first, last, comp);
    introsort_loop(cut, last, depth_limit, comp);
    last = cut;
  }
}

// std::sort
template <class E, class Comp>
void sort(E* first, E* last, Comp comp) {
  if (first == last) return;
  introsort_loop(first, last, lg(last - first) * 2, comp);
  final_insertion_sort(first, last, comp);
}

// std::partial_sort
template <class E, class Comp>
void partial_sort(E* first, E* middle, E* last, Comp comp) {
  heap_select(first, middle, last, comp);
  sort_heap(first, middle, comp);
}

// std::nth_element
template <class E, class Comp>
void nth_element(E* first, E* nth, E* last, Comp comp) {
  if (first == last || nth == last) return;
  int64_t depth_limit = lg(last - first) * 2;
  while (last - first > 3) {
    if (depth_limit == 0) {
      heap_select(first, nth + 1, last, comp);
      std::swap(*first, *nth);
      return;
    }
    --depth_limit;
    E* cut = unguarded_partition_pivot(first, last, comp);
    if (cut <= nth) first = cut;
    else last = cut;
  }
  insertion_sort(first, last, comp);
}

}  // namespace libstdcxx
}  // namespace native
}  // namespace webtorch
