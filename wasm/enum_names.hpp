// One table per enum: a constexpr array of {value, "name"} pairs and the one lookup both ways,
// so adding a value is one edit (the table) and every toString/fromString agrees with it.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace vroom {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

// The name of `value` in `table`; `fallback` when the table lacks it (a value cast from an int).
template <typename E, std::size_t N>
constexpr std::string_view nameOf(const EnumName<E> (&table)[N], E value,
                                  std::string_view fallback = {}) {
  for (const auto& entry : table)
    if (entry.value == value) return entry.name;
  return fallback;
}

// The value named `name` in `table`; nullopt for a name it does not hold.
template <typename E, std::size_t N>
constexpr std::optional<E> valueOf(const EnumName<E> (&table)[N], std::string_view name) {
  for (const auto& entry : table)
    if (entry.name == name) return entry.value;
  return std::nullopt;
}

}  // namespace vroom
