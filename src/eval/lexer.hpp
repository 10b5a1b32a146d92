// Internal: Python's tokenizer, restricted to what an eval()'d expression can contain.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "hparams/value.hpp"

namespace hparams::detail {

enum class Tok : std::uint8_t {
  End,
  Newline,
  Name,
  Number,
  String,
  Keyword,  // a reserved word other than the ones below (always a syntax error here)
  KwFalse,
  KwNone,
  KwTrue,
  KwAnd,
  KwOr,
  KwNot,
  KwIn,
  KwIs,
  KwIf,
  KwElse,
  KwFor,
  KwLambda,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  Dot,
  Semicolon,
  Assign,
  Walrus,
  Arrow,
  Ellipsis,
  Plus,
  Minus,
  Star,
  Slash,
  DoubleSlash,
  Percent,
  DoubleStar,
  At,
  LShift,
  RShift,
  Amp,
  Pipe,
  Caret,
  Tilde,
  Lt,
  Gt,
  Le,
  Ge,
  Eq,
  Ne,
  AugAssign,  // += -= ... (always a syntax error here)
};

struct Token {
  Tok kind = Tok::End;
  int line = 1;
  int column = 1;           // 1-based, in code points
  std::uint32_t begin = 0;  // byte offsets into the source
  std::uint32_t end = 0;
  Value literal;  // Number and String tokens
  bool fstring_or_bytes = false;
};

/// Produces tokens on demand with arbitrary lookahead. Throws SyntaxError (with line and
/// column) on malformed input.
class Lexer {
 public:
  explicit Lexer(std::string_view source);
  const Token& peek(std::size_t ahead = 0) {
    if (ahead < ahead_count_) return ahead_[(ahead_start_ + ahead) % ahead_.size()];
    return fill(ahead);
  }
  Token next();
  std::string_view text(const Token& t) const { return source_.substr(t.begin, t.end - t.begin); }
  std::string_view source() const { return source_; }

 private:
  const Token& fill(std::size_t ahead);
  Token scan();
  void skip_space_and_comments();
  Token scan_number(Token t);
  Token scan_string(Token t, std::size_t prefix_len);
  [[noreturn]] void fail(const std::string& message, int line, int column) const;
  char32_t current(std::size_t ahead = 0) const;
  void advance_bytes(std::size_t n);

  std::string_view source_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  int depth_ = 0;  // open brackets
  // The open brackets, innermost last (CPython's tokenizer names them in its messages); 200 at
  // most (kMaxBrackets).
  struct OpenBracket {
    char kind;
    int line;
    int column;
  };
  std::array<OpenBracket, 200> open_{};
  bool at_line_start_ = false;
  bool emitted_any_ = false;
  // Lookahead ring: the grammar never looks more than two tokens ahead.
  std::array<Token, 4> ahead_;
  std::size_t ahead_start_ = 0;
  std::size_t ahead_count_ = 0;
};

}  // namespace hparams::detail
