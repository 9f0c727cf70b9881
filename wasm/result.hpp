// Result<T, E>: a value or a typed error, the core's error path (Emscripten builds run
// without exceptions, so nothing in wasm/ throws across a seam).
#pragma once

#include <cassert>
#include <utility>
#include <variant>

namespace vroom {

template <class E>
struct Failure {
  E error;
};

template <class E>
Failure<E> fail(E error) {
  return Failure<E>{std::move(error)};
}

template <class T, class E>
class Result {
 public:
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}
  Result(Failure<E> failure) : data_(std::in_place_index<1>, std::move(failure.error)) {}

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() {
    assert(ok());
    return std::get<0>(data_);
  }
  const T& value() const {
    assert(ok());
    return std::get<0>(data_);
  }
  const E& error() const {
    assert(!ok());
    return std::get<1>(data_);
  }

 private:
  std::variant<T, E> data_;
};

}  // namespace vroom
