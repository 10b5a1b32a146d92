// Python 3.11's tokenizer rules for an expression given to eval(): implicit line joining in
// brackets, backslash continuation, numeric literal forms, string prefixes and escapes.
#include "eval/lexer.hpp"

#include <cstdlib>
#include <cstring>

#include "num/numbers.hpp"
#include "text/unicode.hpp"
#include "value/value_impl.hpp"

namespace hparams::detail {
namespace {

// Python's tokenizer refuses more than 200 open brackets (MAXLEVEL).
constexpr int kMaxBrackets = 200;

bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_hex(char32_t c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

struct KeywordEntry {
  const char* word;
  Tok kind;
};
constexpr KeywordEntry kKeywords[] = {
    {"False", Tok::KwFalse},    {"None", Tok::KwNone},    {"True", Tok::KwTrue},
    {"and", Tok::KwAnd},        {"or", Tok::KwOr},        {"not", Tok::KwNot},
    {"in", Tok::KwIn},          {"is", Tok::KwIs},        {"if", Tok::KwIf},
    {"else", Tok::KwElse},      {"for", Tok::KwFor},      {"lambda", Tok::KwLambda},
    {"as", Tok::Keyword},       {"assert", Tok::Keyword}, {"async", Tok::Keyword},
    {"await", Tok::Keyword},    {"break", Tok::Keyword},  {"class", Tok::Keyword},
    {"continue", Tok::Keyword}, {"def", Tok::Keyword},    {"del", Tok::Keyword},
    {"elif", Tok::Keyword},     {"except", Tok::Keyword}, {"finally", Tok::Keyword},
    {"from", Tok::Keyword},     {"global", Tok::Keyword}, {"import", Tok::Keyword},
    {"nonlocal", Tok::Keyword}, {"pass", Tok::Keyword},   {"raise", Tok::Keyword},
    {"return", Tok::Keyword},   {"try", Tok::Keyword},    {"while", Tok::Keyword},
    {"with", Tok::Keyword},     {"yield", Tok::Keyword},
};

}  // namespace

Lexer::Lexer(std::string_view source) : source_(source) {
  // eval() drops leading spaces and tabs of its input.
  while (pos_ < source_.size() && (source_[pos_] == ' ' || source_[pos_] == '\t')) {
    ++pos_;
    ++column_;
  }
}

void Lexer::fail(const std::string& message, int line, int column) const {
  throw Error(ErrorKind::SyntaxError, message, SourceLocation{"", line, column});
}

char32_t Lexer::current(std::size_t ahead) const {
  std::size_t p = pos_ + ahead;
  if (p >= source_.size()) return 0;
  auto c = static_cast<unsigned char>(source_[p]);
  if (c < 0x80) return c;
  std::size_t q = p;
  return decode_utf8(source_, q);
}

void Lexer::advance_bytes(std::size_t n) {
  for (std::size_t i = 0; i < n && pos_ < source_.size(); ++i) {
    auto c = static_cast<unsigned char>(source_[pos_]);
    ++pos_;
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column_;
    }
  }
}

const Token& Lexer::fill(std::size_t ahead) {
  while (ahead_count_ <= ahead) {
    ahead_[(ahead_start_ + ahead_count_) % ahead_.size()] = scan();
    ++ahead_count_;
  }
  return ahead_[(ahead_start_ + ahead) % ahead_.size()];
}

Token Lexer::next() {
  if (ahead_count_ == 0) return scan();
  Token t = std::move(ahead_[ahead_start_]);
  ahead_start_ = (ahead_start_ + 1) % ahead_.size();
  --ahead_count_;
  return t;
}

void Lexer::skip_space_and_comments() {
  while (pos_ < source_.size()) {
    char c = source_[pos_];
    if (c == ' ' || c == '\t' || c == '\f') {
      advance_bytes(1);
    } else if (c == '#') {
      while (pos_ < source_.size() && source_[pos_] != '\n') advance_bytes(1);
    } else if (c == '\\') {
      std::size_t after = pos_ + 1;
      if (after < source_.size() && source_[after] == '\r') ++after;
      if (after < source_.size() && source_[after] == '\n') {
        advance_bytes(after + 1 - pos_);
      } else if (after >= source_.size()) {
        fail("unexpected EOF while parsing", line_, column_);
      } else {
        fail("unexpected character after line continuation character", line_, column_ + 1);
      }
    } else if (c == '\r' && pos_ + 1 < source_.size() && source_[pos_ + 1] == '\n') {
      advance_bytes(1);
    } else if (c == '\n' && depth_ > 0) {
      advance_bytes(1);
    } else {
      return;
    }
  }
}

Token Lexer::scan() {
  skip_space_and_comments();
  // Outside brackets a newline ends a logical line; blank and comment-only lines add nothing,
  // and an indented line after a newline is an "unexpected indent".
  if (pos_ < source_.size() && source_[pos_] == '\n') {
    Token t;
    t.kind = Tok::Newline;
    t.line = line_;
    t.column = column_;
    t.begin = t.end = static_cast<std::uint32_t>(pos_);
    advance_bytes(1);
    while (true) {
      std::size_t p = pos_;
      int indent = 0;
      while (p < source_.size() &&
             (source_[p] == ' ' || source_[p] == '\t' || source_[p] == '\f')) {
        ++p;
        ++indent;
      }
      if (p < source_.size() && source_[p] == '\r') ++p;
      if (p >= source_.size()) {
        advance_bytes(p - pos_);
        break;
      }
      if (source_[p] == '\n' || source_[p] == '#') {
        while (p < source_.size() && source_[p] != '\n') ++p;
        advance_bytes(p - pos_);
        if (pos_ < source_.size()) advance_bytes(1);
        continue;
      }
      if (indent > 0) fail("unexpected indent", line_, indent + 1);
      break;
    }
    if (!emitted_any_) return scan();  // leading blank lines
    return t;
  }
  Token t;
  t.line = line_;
  t.column = column_;
  t.begin = static_cast<std::uint32_t>(pos_);
  if (pos_ >= source_.size()) {
    t.kind = Tok::End;
    t.end = t.begin;
    if (depth_ > 0) {
      const OpenBracket& open = open_[static_cast<std::size_t>(depth_ - 1)];
      fail(std::string("'") + open.kind + "' was never closed", open.line, open.column);
    }
    return t;
  }
  emitted_any_ = true;
  char32_t c = current();
  auto single = [&](Tok kind, std::size_t len) {
    t.kind = kind;
    advance_bytes(len);
    t.end = static_cast<std::uint32_t>(pos_);
    return t;
  };
  if (is_digit(c) || (c == '.' && is_digit(current(1)))) return scan_number(t);
  if (c == '"' || c == '\'') return scan_string(t, 0);
  if (is_id_start(c)) {
    // A string prefix directly followed by a quote starts a string literal.
    std::size_t len = 0;
    while (len < 3 && pos_ + len < source_.size() &&
           std::strchr("rRbBuUfF", source_[pos_ + len]) != nullptr) {
      ++len;
    }
    for (std::size_t k = 1; k <= len; ++k) {
      char q = pos_ + k < source_.size() ? source_[pos_ + k] : 0;
      if (q == '"' || q == '\'') {
        std::string prefix(source_.substr(pos_, k));
        for (char& ch : prefix)
          ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (prefix == "r" || prefix == "u" || prefix == "b" || prefix == "f" || prefix == "br" ||
            prefix == "rb" || prefix == "fr" || prefix == "rf") {
          return scan_string(t, k);
        }
        break;
      }
    }
    std::size_t p = pos_;
    while (p < source_.size()) {
      std::size_t q = p;
      char32_t ch = decode_utf8(source_, q);
      if (!is_id_continue(ch)) break;
      p = q;
    }
    std::string_view word = source_.substr(pos_, p - pos_);
    t.kind = Tok::Name;
    // Keywords are 2 to 8 ASCII letters; most names are not, so test cheaply first.
    if (word.size() >= 2 && word.size() <= 8) {
      for (const auto& k : kKeywords) {
        if (k.word[0] == word[0] && word == k.word) {
          t.kind = k.kind;
          break;
        }
      }
    }
    advance_bytes(p - pos_);
    t.end = static_cast<std::uint32_t>(pos_);
    return t;
  }
  auto next_is = [&](char ch) { return pos_ + 1 < source_.size() && source_[pos_ + 1] == ch; };
  auto next2_is = [&](char ch) { return pos_ + 2 < source_.size() && source_[pos_ + 2] == ch; };
  switch (c) {
    case '(':
    case '[':
    case '{':
      if (depth_ >= kMaxBrackets) fail("too many nested parentheses", line_, column_);
      open_[static_cast<std::size_t>(depth_)] = {static_cast<char>(c), line_, column_};
      ++depth_;
      return single(c == '(' ? Tok::LParen : c == '[' ? Tok::LBracket : Tok::LBrace, 1);
    case ')':
    case ']':
    case '}':
      if (depth_ == 0)
        fail(std::string("unmatched '") + static_cast<char>(c) + "'", line_, column_);
      {
        // CPython's words for a closing bracket of another kind than the open one.
        const OpenBracket& open = open_[static_cast<std::size_t>(depth_ - 1)];
        char wanted = open.kind == '(' ? ')' : open.kind == '[' ? ']' : '}';
        if (c != static_cast<char32_t>(wanted)) {
          std::string message = std::string("closing parenthesis '") + static_cast<char>(c) +
                                "' does not match opening parenthesis '" + open.kind + "'";
          if (open.line != line_) message += " on line " + std::to_string(open.line);
          fail(message, line_, column_);
        }
      }
      --depth_;
      return single(c == ')' ? Tok::RParen : c == ']' ? Tok::RBracket : Tok::RBrace, 1);
    case ',':
      return single(Tok::Comma, 1);
    case ';':
      return single(Tok::Semicolon, 1);
    case '~':
      return single(Tok::Tilde, 1);
    case ':':
      return next_is('=') ? single(Tok::Walrus, 2) : single(Tok::Colon, 1);
    case '.':
      if (next_is('.') && next2_is('.')) return single(Tok::Ellipsis, 3);
      return single(Tok::Dot, 1);
    case '=':
      return next_is('=') ? single(Tok::Eq, 2) : single(Tok::Assign, 1);
    case '!':
      if (next_is('=')) return single(Tok::Ne, 2);
      fail("invalid syntax", line_, column_);
    case '<':
      if (next_is('<')) return next2_is('=') ? single(Tok::AugAssign, 3) : single(Tok::LShift, 2);
      if (next_is('=')) return single(Tok::Le, 2);
      if (next_is('>')) fail("invalid syntax", line_, column_);
      return single(Tok::Lt, 1);
    case '>':
      if (next_is('>')) return next2_is('=') ? single(Tok::AugAssign, 3) : single(Tok::RShift, 2);
      if (next_is('=')) return single(Tok::Ge, 2);
      return single(Tok::Gt, 1);
    case '*':
      if (next_is('*'))
        return next2_is('=') ? single(Tok::AugAssign, 3) : single(Tok::DoubleStar, 2);
      return next_is('=') ? single(Tok::AugAssign, 2) : single(Tok::Star, 1);
    case '/':
      if (next_is('/'))
        return next2_is('=') ? single(Tok::AugAssign, 3) : single(Tok::DoubleSlash, 2);
      return next_is('=') ? single(Tok::AugAssign, 2) : single(Tok::Slash, 1);
    case '-':
      if (next_is('>')) return single(Tok::Arrow, 2);
      return next_is('=') ? single(Tok::AugAssign, 2) : single(Tok::Minus, 1);
    case '+':
      return next_is('=') ? single(Tok::AugAssign, 2) : single(Tok::Plus, 1);
    case '%':
      return next_is('=') ? single(Tok::AugAssign, 2) : single(Tok::Percent, 1);
    case '@':
      return next_is('=') ? single(Tok::AugAssign, 2) : single(Tok::At, 1);
    case '&':
      return next_is('=') ? single(Tok::AugAssign, 2) : single(Tok::Amp, 1);
    case '|':
      return next_is('=') ? single(Tok::AugAssign, 2) : single(Tok::Pipe, 1);
    case '^':
      return next_is('=') ? single(Tok::AugAssign, 2) : single(Tok::Caret, 1);
    default:
      break;
  }
  if (c >= 0x80) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "invalid character '%s' (U+%04X)",
                  std::string(source_.substr(pos_, c < 0x800     ? 2
                                                   : c < 0x10000 ? 3
                                                                 : 4))
                      .c_str(),
                  static_cast<unsigned>(c));
    fail(buf, line_, column_);
  }
  if (c < 0x20 || c == 0x7F) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "invalid non-printable character U+%04X",
                  static_cast<unsigned>(c));
    fail(buf, line_, column_);
  }
  fail("invalid syntax", line_, column_);
}

Token Lexer::scan_number(Token t) {
  t.kind = Tok::Number;
  const std::size_t start = pos_;
  std::size_t p = pos_;
  auto at = [&](std::size_t i) -> char { return i < source_.size() ? source_[i] : '\0'; };
  auto column_at = [&](std::size_t i) { return t.column + static_cast<int>(i - start); };
  // Digits with single underscores between them; returns false on a misplaced underscore.
  auto digits = [&](auto accept) {
    bool any = false;
    while (true) {
      if (accept(at(p))) {
        ++p;
        any = true;
      } else if (at(p) == '_' && any && accept(at(p + 1))) {
        ++p;
      } else {
        break;
      }
    }
    return any;
  };
  auto finish_check = [&](const char* kind) {
    // A number directly followed by a name is an error unless the name is one of the
    // keywords Python still accepts there (`1if x else y`).
    char32_t c = current(p - pos_);
    if (c == '_' || (c < 0x80 ? is_id_start(c) : is_id_continue(c)) || (c < 0x80 && is_digit(c))) {
      for (const char* kw : {"and", "else", "for", "if", "in", "is", "not", "or"}) {
        std::size_t n = std::strlen(kw);
        if (source_.compare(p, n, kw) == 0) return;
      }
      fail(std::string("invalid ") + kind + " literal", t.line, column_at(p));
    }
  };
  auto strip = [](std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
      if (ch != '_') out += ch;
    }
    return out;
  };
  char c0 = at(p), c1 = static_cast<char>(std::tolower(static_cast<unsigned char>(at(p + 1))));
  if (c0 == '0' && (c1 == 'x' || c1 == 'o' || c1 == 'b')) {
    int base = c1 == 'x' ? 16 : c1 == 'o' ? 8 : 2;
    const char* kind = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
    p += 2;
    if (at(p) == '_') ++p;
    auto accept = [base](char ch) {
      return base == 16 ? is_hex(static_cast<unsigned char>(ch))
                        : (ch >= '0' && ch < static_cast<char>('0' + base));
    };
    if (!digits(accept)) fail(std::string("invalid ") + kind + " literal", t.line, column_at(p));
    if (is_digit(static_cast<unsigned char>(at(p)))) {
      fail(std::string("invalid digit '") + at(p) + "' in " + kind + " literal", t.line,
           column_at(p));
    }
    finish_check(kind);
    std::string text = strip(source_.substr(start + 2, p - start - 2));
    while (text.size() > 1 && text[0] == '0') text.erase(0, 1);
    t.literal = int_from_digits(text, base);
    advance_bytes(p - pos_);
    t.end = static_cast<std::uint32_t>(pos_);
    return t;
  }
  bool is_float = false;
  auto dec = [](char ch) { return ch >= '0' && ch <= '9'; };
  if (at(p) != '.') digits(dec);
  if (at(p) == '_') fail("invalid decimal literal", t.line, column_at(p));
  std::size_t int_end = p;
  if (at(p) == '.') {
    is_float = true;
    ++p;
    if (at(p) == '_') fail("invalid decimal literal", t.line, column_at(p));
    digits(dec);
    if (at(p) == '_') fail("invalid decimal literal", t.line, column_at(p));
  }
  char e = at(p);
  if (e == 'e' || e == 'E') {
    std::size_t q = p + 1;
    if (at(q) == '+' || at(q) == '-') ++q;
    if (dec(at(q))) {
      is_float = true;
      p = q;
      digits(dec);
      if (at(p) == '_') fail("invalid decimal literal", t.line, column_at(p));
    } else {
      fail("invalid decimal literal", t.line, column_at(p));
    }
  }
  if (at(p) == 'j' || at(p) == 'J') {
    fail("complex numbers are not supported in the value language", t.line, t.column);
  }
  finish_check("decimal");
  std::string text = strip(source_.substr(start, p - start));
  if (is_float) {
    t.literal = Value(parse_decimal(text));
  } else {
    std::string_view int_text = source_.substr(start, int_end - start);
    if (int_text.size() > 1 && int_text[0] == '0' &&
        int_text.find_first_not_of("0_") != std::string_view::npos) {
      fail(
          "leading zeros in decimal integer literals are not permitted; use an 0o prefix for "
          "octal integers",
          t.line, t.column);
    }
    try {
      t.literal = int_from_digits(text, 10);
    } catch (const Error& err) {
      fail(err.message() +
               " - Consider hexadecimal for huge integer literals to avoid decimal conversion "
               "limits.",
           t.line, t.column);
    }
  }
  advance_bytes(p - pos_);
  t.end = static_cast<std::uint32_t>(pos_);
  return t;
}

Token Lexer::scan_string(Token t, std::size_t prefix_len) {
  t.kind = Tok::String;
  bool raw = false;
  for (std::size_t i = 0; i < prefix_len; ++i) {
    char ch = static_cast<char>(std::tolower(static_cast<unsigned char>(source_[pos_ + i])));
    if (ch == 'r') raw = true;
    if (ch == 'f' || ch == 'b') t.fstring_or_bytes = true;
  }
  advance_bytes(prefix_len);
  char quote = source_[pos_];
  bool triple =
      pos_ + 2 < source_.size() && source_[pos_ + 1] == quote && source_[pos_ + 2] == quote;
  int start_line = t.line, start_column = t.column;
  advance_bytes(triple ? 3 : 1);
  std::string out;
  bool ascii = true;
  std::size_t length = 0;
  auto put = [&](char32_t c) {
    if (c >= 0x80) ascii = false;
    ++length;
    encode_utf8(c, out);
  };
  while (true) {
    if (pos_ >= source_.size()) {
      fail(triple ? "unterminated triple-quoted string literal (detected at line " +
                        std::to_string(line_) + ")"
                  : "unterminated string literal (detected at line " + std::to_string(start_line) +
                        ")",
           start_line, start_column);
    }
    char c = source_[pos_];
    if (c == quote) {
      if (!triple) {
        advance_bytes(1);
        break;
      }
      if (pos_ + 2 < source_.size() && source_[pos_ + 1] == quote && source_[pos_ + 2] == quote) {
        advance_bytes(3);
        break;
      }
    }
    if (c == '\r' && pos_ + 1 < source_.size() && source_[pos_ + 1] == '\n') {
      advance_bytes(1);
      continue;
    }
    if (c == '\n' && !triple) {
      fail("unterminated string literal (detected at line " + std::to_string(start_line) + ")",
           start_line, start_column);
    }
    if (c != '\\') {
      std::size_t q = pos_;
      char32_t cp = decode_utf8(source_, q);
      put(cp);
      advance_bytes(q - pos_);
      continue;
    }
    // A backslash.
    int esc_line = line_, esc_column = column_;
    char n = pos_ + 1 < source_.size() ? source_[pos_ + 1] : '\0';
    if (raw) {
      // In raw strings a backslash escapes the quote (and newline) but stays in the text.
      put('\\');
      advance_bytes(1);
      if (n == quote || n == '\\' || n == '\n') {
        std::size_t q = pos_;
        put(decode_utf8(source_, q));
        advance_bytes(q - pos_);
      }
      continue;
    }
    auto hex_escape = [&](int count, char letter) {
      char32_t value = 0;
      for (int k = 0; k < count; ++k) {
        char h = pos_ + 2 + static_cast<std::size_t>(k) < source_.size()
                     ? source_[pos_ + 2 + static_cast<std::size_t>(k)]
                     : '\0';
        if (!is_hex(static_cast<unsigned char>(h))) {
          fail(std::string(
                   "(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\") +
                   letter + std::string(static_cast<std::size_t>(count), 'X') + " escape",
               esc_line, esc_column);
        }
        value =
            value * 16 + static_cast<char32_t>(std::strtol(std::string(1, h).c_str(), nullptr, 16));
      }
      if (value > 0x10FFFF) {
        fail("(unicode error) 'unicodeescape' codec can't decode bytes: illegal Unicode character",
             esc_line, esc_column);
      }
      advance_bytes(2 + static_cast<std::size_t>(count));
      put(value);
    };
    switch (n) {
      case '\n':
        advance_bytes(2);
        break;
      case '\r':
        advance_bytes(2);
        if (pos_ < source_.size() && source_[pos_] == '\n') advance_bytes(1);
        break;
      case '\\':
        put('\\');
        advance_bytes(2);
        break;
      case '\'':
        put('\'');
        advance_bytes(2);
        break;
      case '"':
        put('"');
        advance_bytes(2);
        break;
      case 'a':
        put('\a');
        advance_bytes(2);
        break;
      case 'b':
        put('\b');
        advance_bytes(2);
        break;
      case 'f':
        put('\f');
        advance_bytes(2);
        break;
      case 'n':
        put('\n');
        advance_bytes(2);
        break;
      case 'r':
        put('\r');
        advance_bytes(2);
        break;
      case 't':
        put('\t');
        advance_bytes(2);
        break;
      case 'v':
        put('\v');
        advance_bytes(2);
        break;
      case 'x':
        hex_escape(2, 'x');
        break;
      case 'u':
        hex_escape(4, 'u');
        break;
      case 'U':
        hex_escape(8, 'U');
        break;
      case 'N':
        fail("(unicode error) \\N{...} escapes are not supported in the value language", esc_line,
             esc_column);
      default:
        if (n >= '0' && n <= '7') {
          char32_t value = 0;
          std::size_t k = 1;
          while (k <= 3 && pos_ + k < source_.size() && source_[pos_ + k] >= '0' &&
                 source_[pos_ + k] <= '7') {
            value = value * 8 + static_cast<char32_t>(source_[pos_ + k] - '0');
            ++k;
          }
          advance_bytes(k);
          put(value);
        } else {
          // Unknown escapes keep their backslash (Python only warns).
          put('\\');
          advance_bytes(1);
        }
    }
  }
  t.end = static_cast<std::uint32_t>(pos_);
  check_size(out.size(), "a string literal");
  t.literal = make_str(std::move(out), length, ascii);
  return t;
}

}  // namespace hparams::detail
