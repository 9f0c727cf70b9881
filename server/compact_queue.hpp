// A FIFO that holds no memory while it is empty: a vector read from a moving head, compacted as
// it drains. std::deque allocates a 512-byte block the moment it is constructed, and every
// connection and peer has one of these queues, mostly empty.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace vroom::server {

template <class T>
class CompactQueue {
 public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }
  T& front() { return items_[head_]; }
  const T& front() const { return items_[head_]; }
  T& operator[](std::size_t i) { return items_[head_ + i]; }
  const T& operator[](std::size_t i) const { return items_[head_ + i]; }

  void push_back(T item) {
    if (items_.capacity() == 0) items_.reserve(4);
    items_.push_back(std::move(item));
  }

  void pop_front() {
    items_[head_] = T();  // releases what the item holds now, not at the next compaction
    if (++head_ == items_.size()) {
      clear();
    } else if (head_ >= 64 && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

  // Drops everything and gives the memory back: an idle connection keeps nothing.
  void clear() {
    head_ = 0;
    std::vector<T>().swap(items_);
  }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;
};

}  // namespace vroom::server
