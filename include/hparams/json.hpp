// hparams/json.hpp: values as JSON, for tools that read JSON (TensorBoard's hparams plugin, W&B,
// MLflow, jq).
//
// JSON has no tuples, sets, big ints, inf or nan, so the mapping is: None -> null; bool, str,
// finite float and int within 64 bits -> themselves; a tuple or a set -> an array (a set in its
// iteration order); an int beyond 64 bits -> a string of its decimal digits; inf, -inf and nan
// -> the strings "inf", "-inf", "nan"; a dict key that is not a str -> its repr (`{1: 'a'}` is
// `{"1": "a"}`); a range -> its repr.
//
//   hparams::Value v = hparams::evaluate("{'lr': 3e-4, 'betas': (0.9, 0.999), 'steps': 2 ** 70}");
//   std::cout << hparams::to_json(v) << "\n";
//   // {"lr":0.0003,"betas":[0.9,0.999],"steps":"1180591620717411303424"}
#pragma once

#include <cstddef>
#include <string>

#include "hparams/export.hpp"
#include "hparams/value.hpp"

namespace hparams {

/// The JSON text of `value` in the mapping above. `indent` < 0 gives one line; otherwise
/// nested values are indented by that many spaces. Floats are written as Python's repr
/// writes them (the shortest text that reads back the same double). Throws ValueError for an
/// int beyond 4,300 digits (as repr() does), and MemoryError when the text would exceed
/// `max_bytes` (a value may hold one large object many times, so its text can be far larger
/// than its memory).
HPARAMS_EXPORT std::string to_json(const Value& value, int indent = -1,
                                   std::size_t max_bytes = std::size_t{256} << 20);

}  // namespace hparams
