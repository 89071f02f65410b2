#pragma once
// Intrusive reference counting for storages, version counters and tensors.
//
// Note [Single-threaded refcounts]
// One engine instance runs on one thread (a wasm instance has no threads, and the
// native tests use one), so counts are plain integers, not atomics.

#include <cstdint>
#include <utility>

namespace webtorch {

class RefCounted {
 public:
  RefCounted() = default;
  RefCounted(const RefCounted&) = delete;
  RefCounted& operator=(const RefCounted&) = delete;
  virtual ~RefCounted() = default;

  void retain() const noexcept { ++refcount_; }
  void release() const noexcept {
    if (--refcount_ == 0) delete this;
  }
  uint32_t use_count() const noexcept { return refcount_; }

 private:
  mutable uint32_t refcount_ = 0;
};

template <class T>
class IntrusivePtr {
 public:
  IntrusivePtr() noexcept = default;
  IntrusivePtr(std::nullptr_t) noexcept {}
  explicit IntrusivePtr(T* p) noexcept : p_(p) {
    if (p_) p_->retain();
  }
  IntrusivePtr(const IntrusivePtr& o) noexcept : p_(o.p_) {
    if (p_) p_->retain();
  }
  IntrusivePtr(IntrusivePtr&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  template <class U>
  IntrusivePtr(const IntrusivePtr<U>& o) noexcept : p_(o.get()) {
    if (p_) p_->retain();
  }
  ~IntrusivePtr() {
    if (p_) p_->release();
  }
  IntrusivePtr& operator=(IntrusivePtr o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }

  T* get() const noexcept { return p_; }
  T* operator->() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  bool operator==(const IntrusivePtr& o) const noexcept { return p_ == o.p_; }
  bool operator!=(const IntrusivePtr& o) const noexcept { return p_ != o.p_; }

  // Hands the reference to the caller (used for handles given to JavaScript).
  T* release_to_raw() noexcept {
    T* p = p_;
    p_ = nullptr;
    return p;
  }
  // Adopts a reference previously handed out by release_to_raw().
  static IntrusivePtr adopt(T* p) noexcept {
    IntrusivePtr r;
    r.p_ = p;
    return r;
  }

 private:
  T* p_ = nullptr;
};

template <class T, class... Args>
IntrusivePtr<T> make_intrusive(Args&&... args) {
  return IntrusivePtr<T>(new T(std::forward<Args>(args)...));
}

}  // namespace webtorch
