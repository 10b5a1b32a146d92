// hparams/convert.hpp: exact conversion of a Value to C++ types, and the hook for your own.
//
// Conversions never guess: get<int> of 3.5 or of True is an error, narrowing is range-checked,
// and a failure names the element (`model.widths[3]: expected int, got str 'x'`).
//
//   struct Model {
//     int depth;
//     std::vector<int> widths;
//     std::pair<int, int> kernel;
//   };
//   void hparams_from_value(const hparams::Field& f, Model& m) {  // found by ADL
//     m.depth = f.get<int>("depth");
//     m.widths = f.get<std::vector<int>>("widths");
//     m.kernel = f.get<std::pair<int, int>>("kernel");
//   }
//
//   int main() {
//     auto config = hparams::Config::load("hparams.cfg");
//     Model m = config.get<Model>("model");  // a section converts like a dict
//     std::cout << m.depth << " " << m.widths.size() << " " << m.kernel.first << "\n";  // 4 4 3
//     try {
//       config.get<int>("optimizer.lr");  // 0.0003 is not an int: conversions never guess
//     } catch (const hparams::Error& e) {
//       std::cout << e.message() << "\n";  // optimizer.lr: expected int, got float 0.0003
//     }
//   }
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hparams/error.hpp"
#include "hparams/export.hpp"
#include "hparams/value.hpp"

namespace hparams {

class Field;

template <class T>
T from_value(const Value& value, std::string_view path);

namespace detail {
/// TypeError "PATH: expected WHAT, got TYPE REPR".
[[noreturn]] void conversion_error(std::string_view path, std::string_view expected,
                                   const Value& got);
/// OverflowError "PATH: VALUE does not fit TYPE" (say, 300 for uint8_t).
[[noreturn]] void range_error(std::string_view path, const Value& got, std::string_view type);
HPARAMS_EXPORT std::string index_path(std::string_view path, std::size_t index);
HPARAMS_EXPORT std::string key_path(std::string_view path, const Value& key);

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_array : std::false_type {};
template <class T, std::size_t N>
struct is_array<std::array<T, N>> : std::true_type {};
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_pair : std::false_type {};
template <class A, class B>
struct is_pair<std::pair<A, B>> : std::true_type {};
template <class T>
struct is_tuple : std::false_type {};
template <class... T>
struct is_tuple<std::tuple<T...>> : std::true_type {};
template <class T>
struct is_map : std::false_type {};
template <class K, class V, class C, class A>
struct is_map<std::map<K, V, C, A>> : std::true_type {};
template <class K, class V, class H, class E, class A>
struct is_map<std::unordered_map<K, V, H, E, A>> : std::true_type {};
template <class T>
struct is_set : std::false_type {};
template <class T, class C, class A>
struct is_set<std::set<T, C, A>> : std::true_type {};

HPARAMS_EXPORT std::span<const Value> sequence_items(const Value& v, std::string_view path,
                                                     std::string_view expected);

template <class Tuple, std::size_t... I>
Tuple tuple_from(std::span<const Value> items, std::string_view path, std::index_sequence<I...>) {
  return Tuple{from_value<std::tuple_element_t<I, Tuple>>(items[I], index_path(path, I))...};
}

template <class T>
T integer_from(const Value& v, std::string_view path) {
  if (!v.is_int()) conversion_error(path, "int", v);
  if (!v.fits_int64()) range_error(path, v, "a 64-bit integer");
  std::int64_t x = v.as_int64();
  if constexpr (std::is_unsigned_v<T>) {
    if (x < 0 || static_cast<std::uint64_t>(x) > std::numeric_limits<T>::max()) {
      range_error(path, v, "an unsigned integer of this size");
    }
  } else {
    if (x < std::numeric_limits<T>::min() || x > std::numeric_limits<T>::max()) {
      range_error(path, v, "an integer of this size");
    }
  }
  return static_cast<T>(x);
}

struct HPARAMS_EXPORT AdlProbe {
  template <class T>
  static auto test(int)
      -> decltype(hparams_from_value(std::declval<const Field&>(), std::declval<T&>()),
                  std::true_type{});
  template <class T>
  static std::false_type test(...);
};
}  // namespace detail

/// A value and where it sits (`model.widths[3]`), for conversions and user hooks.
class HPARAMS_EXPORT Field {
 public:
  Field(const Value& value, std::string path) : value_(value), path_(std::move(path)) {}
  const Value& value() const noexcept { return value_; }
  const std::string& path() const noexcept { return path_; }

  /// This value as T.
  template <class T>
  T as() const {
    return from_value<T>(value_, path_);
  }
  /// The member `key` of this dict (a section converts as a dict) as T; LookupError if absent.
  template <class T>
  T get(std::string_view key) const {
    return from_value<T>(member(key), path_ + "." + std::string(key));
  }
  /// The member `key` as T, or `fallback` when absent.
  template <class T>
  T get_or(std::string_view key, T fallback) const {
    if (!has(key)) return fallback;
    return get<T>(key);
  }
  /// The element `index` of this list or tuple as T.
  template <class T>
  T get(std::size_t index) const {
    auto items = detail::sequence_items(value_, path_, "list or tuple");
    if (index >= items.size()) {
      throw Error(ErrorKind::IndexError, detail::index_path(path_, index) + ": index out of range");
    }
    return from_value<T>(items[index], detail::index_path(path_, index));
  }
  bool has(std::string_view key) const;

 private:
  const Value& member(std::string_view key) const;
  const Value& value_;
  std::string path_;
};

/// Converts `value` to T exactly; `path` names it in errors. Supported: Value, bool, integer
/// and floating types, std::string, std::optional, std::vector, std::array, std::pair,
/// std::tuple, std::map/std::unordered_map (str or integer keys), std::set, and any type with
/// an ADL-found `void hparams_from_value(const hparams::Field&, T&)`.
/// Throws TypeError (wrong type), OverflowError (does not fit), IndexError (wrong length).
template <class T>
T from_value(const Value& v, std::string_view path) {
  using detail::conversion_error;
  if constexpr (std::is_same_v<T, Value>) {
    return v;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_bool()) conversion_error(path, "bool", v);
    return v.as_bool();
  } else if constexpr (std::is_integral_v<T>) {
    return detail::integer_from<T>(v, path);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_float() && !v.is_int()) conversion_error(path, "float", v);
    return static_cast<T>(v.as_double());
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_str()) conversion_error(path, "str", v);
    return std::string(v.as_str());
  } else if constexpr (detail::is_optional<T>::value) {
    if (v.is_none()) return T{};
    return T{from_value<typename T::value_type>(v, path)};
  } else if constexpr (detail::is_vector<T>::value) {
    auto items = detail::sequence_items(v, path, "list or tuple");
    T out;
    out.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      out.push_back(from_value<typename T::value_type>(items[i], detail::index_path(path, i)));
    }
    return out;
  } else if constexpr (detail::is_array<T>::value) {
    auto items = detail::sequence_items(v, path, "list or tuple");
    T out{};
    if (items.size() != out.size()) {
      throw Error(ErrorKind::IndexError, std::string(path) + ": expected " +
                                             std::to_string(out.size()) + " elements, got " +
                                             std::to_string(items.size()));
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] = from_value<typename T::value_type>(items[i], detail::index_path(path, i));
    }
    return out;
  } else if constexpr (detail::is_pair<T>::value || detail::is_tuple<T>::value) {
    constexpr std::size_t n = std::tuple_size_v<T>;
    auto items = detail::sequence_items(v, path, "tuple or list");
    if (items.size() != n) {
      throw Error(ErrorKind::IndexError, std::string(path) + ": expected " + std::to_string(n) +
                                             " elements, got " + std::to_string(items.size()));
    }
    return detail::tuple_from<T>(items, path, std::make_index_sequence<n>{});
  } else if constexpr (detail::is_map<T>::value) {
    if (!v.is_dict()) conversion_error(path, "dict", v);
    T out;
    for (const auto& [key, value] : v.entries()) {
      auto k = from_value<typename T::key_type>(key, detail::key_path(path, key));
      out.emplace(std::move(k),
                  from_value<typename T::mapped_type>(value, detail::key_path(path, key)));
    }
    return out;
  } else if constexpr (detail::is_set<T>::value) {
    T out;
    if (v.is_set()) {
      for (const Value& item : v.set_items()) {
        out.insert(from_value<typename T::value_type>(item, path));
      }
    } else {
      auto items = detail::sequence_items(v, path, "set, list or tuple");
      for (std::size_t i = 0; i < items.size(); ++i) {
        out.insert(from_value<typename T::value_type>(items[i], detail::index_path(path, i)));
      }
    }
    return out;
  } else {
    static_assert(decltype(detail::AdlProbe::test<T>(0))::value,
                  "no conversion to this type: define "
                  "void hparams_from_value(const hparams::Field&, T&) in T's namespace");
    T out{};
    hparams_from_value(Field(v, std::string(path)), out);
    return out;
  }
}

}  // namespace hparams
