// The JSON mapping of values (documented in hparams/json.hpp), written straight into one
// string with a size limit: a value may share one big object many times over (`[s] * 1000`),
// so its text can be far larger than its memory, and must stay bounded.
#include "hparams/json.hpp"

#include <cmath>

#include "hparams/error.hpp"
#include "num/numbers.hpp"
#include "text/unicode.hpp"
#include "value/stack_guard.hpp"
#include "value/value_impl.hpp"

namespace hparams {
namespace {

class Writer {
 public:
  Writer(int indent, std::size_t limit) : indent_(indent), limit_(limit) {}

  void value(const Value& v, int depth) {
    detail::check_stack();
    switch (v.kind()) {
      case Kind::None:
        put("null");
        return;
      case Kind::Bool:
        put(v.as_bool() ? "true" : "false");
        return;
      case Kind::Int:
        if (v.fits_int64()) {
          put(std::to_string(v.as_int64()));
        } else {
          string(v.repr());  // beyond 64 bits: the decimal digits as a string
        }
        return;
      case Kind::Float: {
        double d = v.as_double();
        std::string text = detail::float_repr(d);
        if (std::isfinite(d)) {
          put(text);
        } else {
          string(text);  // "inf", "-inf", "nan"
        }
        return;
      }
      case Kind::Str:
        string(v.as_str());
        return;
      case Kind::List:
      case Kind::Tuple:
        array(v.items(), depth);
        return;
      case Kind::Set: {
        std::vector<Value> items = v.set_items();
        array(items, depth);
        return;
      }
      case Kind::Dict: {
        const auto entries = v.entries();
        if (entries.empty()) {
          put("{}");
          return;
        }
        put("{");
        bool first = true;
        for (const auto& [key, item] : entries) {
          if (!first) put(",");
          first = false;
          newline(depth + 1);
          string(key.is_str() ? std::string(key.as_str()) : key.repr());
          put(indent_ < 0 ? ":" : ": ");
          value(item, depth + 1);
        }
        newline(depth);
        put("}");
        return;
      }
      default:
        string(v.repr());  // a range
        return;
    }
  }

  std::string take() { return std::move(out_); }

 private:
  void array(std::span<const Value> items, int depth) {
    if (items.empty()) {
      put("[]");
      return;
    }
    put("[");
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) put(",");
      newline(depth + 1);
      value(items[i], depth + 1);
    }
    newline(depth);
    put("]");
  }

  void newline(int depth) {
    if (indent_ < 0) return;
    put("\n");
    out_.append(static_cast<std::size_t>(indent_) * static_cast<std::size_t>(depth), ' ');
    check();
  }

  // JSON strings are UTF-8; a lone surrogate (which a Python str may hold) becomes U+FFFD.
  void string(std::string_view text) {
    out_ += '"';
    std::size_t at = 0;
    while (at < text.size()) {
      auto c = static_cast<unsigned char>(text[at]);
      if (c < 0x80) {
        ++at;
        switch (c) {
          case '"':
            out_ += "\\\"";
            break;
          case '\\':
            out_ += "\\\\";
            break;
          case '\n':
            out_ += "\\n";
            break;
          case '\t':
            out_ += "\\t";
            break;
          case '\r':
            out_ += "\\r";
            break;
          case '\b':
            out_ += "\\b";
            break;
          case '\f':
            out_ += "\\f";
            break;
          default:
            if (c < 0x20) {
              static constexpr char kHex[] = "0123456789abcdef";
              out_ += "\\u00";
              out_ += kHex[c >> 4];
              out_ += kHex[c & 15];
            } else {
              out_ += static_cast<char>(c);
            }
        }
        continue;
      }
      std::size_t begin = at;
      char32_t cp = detail::decode_utf8(text, at);
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        out_ += "\xEF\xBF\xBD";
      } else {
        out_.append(text.substr(begin, at - begin));
      }
    }
    out_ += '"';
    check();
  }

  void put(std::string_view text) {
    out_ += text;
    check();
  }

  void check() {
    if (out_.size() > limit_) {
      throw Error(ErrorKind::MemoryError, "the JSON text would exceed " +
                                              std::to_string(limit_ >> 20) +
                                              " MiB (a value holds a large object many times)");
    }
  }

  int indent_;
  std::size_t limit_;
  std::string out_;
};

}  // namespace

std::string to_json(const Value& value, int indent, std::size_t max_bytes) {
  Writer writer(indent, max_bytes);
  writer.value(value, 0);
  return writer.take();
}

}  // namespace hparams
