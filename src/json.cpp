// The JSON mapping of values (documented in hparams/json.hpp).
#include "hparams/json.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "hparams/error.hpp"

namespace hparams {
namespace {

nlohmann::ordered_json json_of(const Value& v, int depth) {
  // Values are at most as deep as the nesting limit allows; this bound only keeps a value
  // built some other way from exhausting the stack.
  if (depth > 10000) throw Error(ErrorKind::RecursionError, "value too deeply nested for JSON");
  switch (v.kind()) {
    case Kind::None:
      return nullptr;
    case Kind::Bool:
      return v.as_bool();
    case Kind::Int:
      if (v.fits_int64()) return v.as_int64();
      return v.repr();
    case Kind::Float: {
      double d = v.as_double();
      if (std::isfinite(d)) return d;
      return v.repr();
    }
    case Kind::Str:
      return std::string(v.as_str());
    case Kind::List:
    case Kind::Tuple: {
      auto out = nlohmann::ordered_json::array();
      for (const auto& item : v.items()) out.push_back(json_of(item, depth + 1));
      return out;
    }
    case Kind::Set: {
      auto out = nlohmann::ordered_json::array();
      for (const auto& item : v.set_items()) out.push_back(json_of(item, depth + 1));
      return out;
    }
    case Kind::Dict: {
      auto out = nlohmann::ordered_json::object();
      for (const auto& [key, value] : v.entries()) {
        out[key.is_str() ? std::string(key.as_str()) : key.repr()] = json_of(value, depth + 1);
      }
      return out;
    }
    default:
      return v.repr();
  }
}

}  // namespace

std::string to_json(const Value& value, int indent) {
  // Strs may hold lone surrogates (Python allows them); JSON text must be UTF-8, so they
  // become U+FFFD rather than an exception.
  return json_of(value, 0).dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace hparams
