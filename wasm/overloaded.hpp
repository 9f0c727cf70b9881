// Overloaded: one visitor for std::visit built from lambdas, one per alternative.
#pragma once

namespace vroom {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace vroom
