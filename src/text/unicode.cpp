#include "text/unicode.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace hparams::detail {
namespace {

struct CodeRange {
  char32_t first, last;
};
struct CaseMapping {
  char32_t from;
  char32_t to[3];
};
struct Decomposition {
  char32_t from;
  std::uint32_t offset;  // into kNfkdPool
  std::uint32_t length;
};
struct CombiningRun {
  char32_t first, last;
  std::uint8_t value;
};
struct Composition {
  char32_t first, second, composite;
};

#include "text/unicode_tables.inc"

template <std::size_t N>
bool in_ranges(const CodeRange (&table)[N], char32_t c) {
  auto it = std::upper_bound(std::begin(table), std::end(table), c,
                             [](char32_t v, const CodeRange& r) { return v < r.first; });
  if (it == std::begin(table)) return false;
  --it;
  return c <= it->last;
}

template <std::size_t N>
void append_mapped(const CaseMapping (&table)[N], char32_t c, std::u32string& out) {
  auto it = std::lower_bound(std::begin(table), std::end(table), c,
                             [](const CaseMapping& m, char32_t v) { return m.from < v; });
  if (it == std::end(table) || it->from != c) {
    out += c;
    return;
  }
  for (char32_t m : it->to) {
    if (m == 0) break;
    out += m;
  }
}

// Hangul syllables decompose and compose by arithmetic (Unicode 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount,
                   kSCount = kLCount * kNCount;

int combining_class(char32_t c) {
  auto it = std::upper_bound(std::begin(kCombining), std::end(kCombining), c,
                             [](char32_t v, const CombiningRun& r) { return v < r.first; });
  if (it == std::begin(kCombining)) return 0;
  --it;
  return c <= it->last ? it->value : 0;
}

void decompose(char32_t c, std::u32string& out) {
  if (c >= kSBase && c < kSBase + kSCount) {
    char32_t s = c - kSBase;
    out += kLBase + s / kNCount;
    out += kVBase + (s % kNCount) / kTCount;
    if (s % kTCount != 0) out += kTBase + s % kTCount;
    return;
  }
  auto it = std::lower_bound(std::begin(kNfkd), std::end(kNfkd), c,
                             [](const Decomposition& d, char32_t v) { return d.from < v; });
  if (it == std::end(kNfkd) || it->from != c) {
    out += c;
    return;
  }
  out.append(kNfkdPool + it->offset, it->length);
}

// The primary composite of a starter and a following character, or 0.
char32_t compose_pair(char32_t first, char32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase &&
      second < kVBase + kVCount) {
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  }
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 &&
      second > kTBase && second < kTBase + kTCount) {
    return first + (second - kTBase);
  }
  auto it = std::lower_bound(std::begin(kCompositions), std::end(kCompositions),
                             std::make_pair(first, second),
                             [](const Composition& c, const std::pair<char32_t, char32_t>& v) {
                               return c.first != v.first ? c.first < v.first : c.second < v.second;
                             });
  if (it == std::end(kCompositions) || it->first != first || it->second != second) return 0;
  return it->composite;
}

}  // namespace

std::string nfkc(std::string_view utf8) {
  // Full compatibility decomposition, then the canonical order of combining marks, then
  // canonical composition (Unicode Standard Annex #15).
  std::u32string d;
  for (char32_t c : to_u32(utf8)) decompose(c, d);
  for (std::size_t i = 1; i < d.size(); ++i) {
    int ccc = combining_class(d[i]);
    std::size_t j = i;
    while (ccc != 0 && j > 0 && combining_class(d[j - 1]) > ccc) {
      std::swap(d[j], d[j - 1]);
      --j;
    }
  }
  std::u32string out;
  std::size_t starter = std::u32string::npos;  // index in `out` of the last starter
  int last_class = -1;
  for (char32_t c : d) {
    int ccc = combining_class(c);
    if (starter != std::u32string::npos) {
      // Not blocked: nothing between the starter and c, or everything between of a lower
      // class than c's (and c not a starter following a non-starter).
      bool blocked = last_class != -1 && (last_class == 0 || last_class >= ccc);
      if (!blocked) {
        if (char32_t composite = compose_pair(out[starter], c)) {
          out[starter] = composite;
          continue;
        }
      }
    }
    if (ccc == 0) {
      starter = out.size();
      last_class = -1;
    } else {
      last_class = ccc;
    }
    out += c;
  }
  return from_u32(out);
}

char32_t decode_utf8(std::string_view s, std::size_t& pos) {
  auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  auto cont = [&](std::size_t i) -> char32_t {
    return i < s.size() ? static_cast<unsigned char>(s[i]) & 0x3F : 0;
  };
  if (b0 < 0xE0) {
    char32_t c = ((b0 & 0x1F) << 6) | cont(pos + 1);
    pos += 2;
    return c;
  }
  if (b0 < 0xF0) {
    char32_t c = ((b0 & 0x0F) << 12) | (cont(pos + 1) << 6) | cont(pos + 2);
    pos += 3;
    return c;
  }
  char32_t c = ((b0 & 0x07) << 18) | (cont(pos + 1) << 12) | (cont(pos + 2) << 6) | cont(pos + 3);
  pos += 4;
  return c;
}

void encode_utf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool validate_utf8(std::string_view s, std::size_t& length, bool& ascii) {
  length = 0;
  ascii = true;
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    auto b0 = static_cast<unsigned char>(s[i]);
    ++length;
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    ascii = false;
    int extra = 0;
    char32_t c = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      extra = 1;
      c = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      extra = 2;
      c = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      extra = 3;
      c = b0 & 0x07;
    } else {
      return false;
    }
    for (int k = 1; k <= extra; ++k) {
      if (i + static_cast<std::size_t>(k) >= n) return false;
      auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((b & 0xC0) != 0x80) return false;
      c = (c << 6) | (b & 0x3F);
    }
    if ((extra == 2 && c < 0x800) || (extra == 3 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF)) {
      return false;
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) out += decode_utf8(s, pos);
  return out;
}

std::string from_u32(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) encode_utf8(c, out);
  return out;
}

void append_escape(char32_t c, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  int digits = c < 0x100 ? 2 : (c < 0x10000 ? 4 : 8);
  out += '\\';
  out += digits == 2 ? 'x' : (digits == 4 ? 'u' : 'U');
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(c >> shift) & 0xF];
}

bool is_printable(char32_t c) {
  if (c < 0x80) return c >= 0x20 && c < 0x7F;
  return in_ranges(kPrintable, c);
}
bool is_space(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  return in_ranges(kSpace, c);
}
bool is_id_start(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  return in_ranges(kIdStart, c);
}
bool is_id_continue(char32_t c) {
  if (c < 0x80) return is_id_start(c) || (c >= '0' && c <= '9');
  return in_ranges(kIdContinue, c);
}
bool is_cased(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return in_ranges(kCased, c);
}
bool is_alnum(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return in_ranges(kAlnum, c);
}
bool is_case_ignorable(char32_t c) { return in_ranges(kCaseIgnorable, c); }

std::u32string lower_string(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != 0x3A3) {
      append_lower(s[i], out);
      continue;
    }
    // CPython's handle_capital_sigma: final form after a cased letter (case-ignorable
    // characters skipped) unless a cased letter follows.
    std::size_t j = i;
    char32_t c = 0;
    bool found = false;
    while (j > 0) {
      c = s[--j];
      if (!is_case_ignorable(c)) {
        found = true;
        break;
      }
    }
    bool final_sigma = found && is_cased(c);
    if (final_sigma) {
      std::size_t k = i + 1;
      while (k < s.size() && is_case_ignorable(s[k])) ++k;
      final_sigma = k == s.size() || !is_cased(s[k]);
    }
    out += final_sigma ? char32_t{0x3C2} : char32_t{0x3C3};
  }
  return out;
}

int decimal_value(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') ? static_cast<int>(c - '0') : -1;
  auto it = std::upper_bound(std::begin(kDigitZeros), std::end(kDigitZeros), c);
  if (it == std::begin(kDigitZeros)) return -1;
  char32_t zero = *(it - 1);
  return c - zero < 10 ? static_cast<int>(c - zero) : -1;
}
void append_upper(char32_t c, std::u32string& out) {
  if (c < 0x80) {
    out += (c >= 'a' && c <= 'z') ? c - 32 : c;
    return;
  }
  append_mapped(kUpper, c, out);
}
void append_lower(char32_t c, std::u32string& out) {
  if (c < 0x80) {
    out += (c >= 'A' && c <= 'Z') ? c + 32 : c;
    return;
  }
  append_mapped(kLower, c, out);
}
void append_title(char32_t c, std::u32string& out) {
  if (c < 0x80) {
    out += (c >= 'a' && c <= 'z') ? c - 32 : c;
    return;
  }
  append_mapped(kTitle, c, out);
}

}  // namespace hparams::detail
