#pragma once
// Sizes and strides live inline in the tensor: no heap allocation per tensor for them.

#include <cstdint>
#include <cstring>

#include "core/array_ref.h"
#include "core/error.h"
#include "webtorch_constants.h"

namespace webtorch {

constexpr int kMaxDims = constants::kMaxDims;  // js/constants.mjs MAX_DIMS

class DimVector {
 public:
  DimVector() = default;
  explicit DimVector(IntArrayRef v) { assign(v); }
  DimVector(size_t n, int64_t value) {
    resize(n);
    for (size_t i = 0; i < n; ++i) data_[i] = value;
  }
  DimVector(std::initializer_list<int64_t> l) { assign(IntArrayRef(l.begin(), l.size())); }

  void assign(IntArrayRef v) {
    resize(v.size());
    if (!v.empty()) std::memcpy(data_, v.data(), v.size() * sizeof(int64_t));
  }
  void resize(size_t n) {
    WT_CHECK(n <= size_t(kMaxDims), "webtorch supports tensors of at most ", kMaxDims,
             " dimensions, got ", n);
    size_ = uint8_t(n);
  }
  void push_back(int64_t v) {
    resize(size_ + 1);
    data_[size_ - 1] = v;
  }
  void insert(size_t pos, int64_t v) {
    resize(size_ + 1);
    for (size_t i = size_ - 1; i > pos; --i) data_[i] = data_[i - 1];
    data_[pos] = v;
  }
  void erase(size_t pos) {
    for (size_t i = pos; i + 1 < size_; ++i) data_[i] = data_[i + 1];
    --size_;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t* data() { return data_; }
  const int64_t* data() const { return data_; }
  int64_t& operator[](size_t i) { return data_[i]; }
  int64_t operator[](size_t i) const { return data_[i]; }
  int64_t* begin() { return data_; }
  int64_t* end() { return data_ + size_; }
  const int64_t* begin() const { return data_; }
  const int64_t* end() const { return data_ + size_; }
  int64_t back() const { return data_[size_ - 1]; }
  operator IntArrayRef() const { return IntArrayRef(data_, size_); }

 private:
  int64_t data_[kMaxDims];
  uint8_t size_ = 0;
};

}  // namespace webtorch
