// Lexer rows: input -> token kinds with line:column, or the SyntaxError it raises.
#include "eval/lexer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "hparams/error.hpp"

namespace {

using hparams::detail::Lexer;
using hparams::detail::Tok;

std::string name(Tok t) {
  switch (t) {
    case Tok::End:
      return "End";
    case Tok::Newline:
      return "NL";
    case Tok::Name:
      return "Name";
    case Tok::Number:
      return "Num";
    case Tok::String:
      return "Str";
    case Tok::Keyword:
      return "Kw";
    case Tok::KwNot:
      return "not";
    case Tok::KwIn:
      return "in";
    case Tok::KwIf:
      return "if";
    case Tok::LParen:
      return "(";
    case Tok::RParen:
      return ")";
    case Tok::LBracket:
      return "[";
    case Tok::RBracket:
      return "]";
    case Tok::Comma:
      return ",";
    case Tok::Plus:
      return "+";
    case Tok::Minus:
      return "-";
    case Tok::DoubleStar:
      return "**";
    case Tok::DoubleSlash:
      return "//";
    case Tok::Le:
      return "<=";
    case Tok::Ne:
      return "!=";
    case Tok::Walrus:
      return ":=";
    case Tok::Ellipsis:
      return "...";
    case Tok::AugAssign:
      return "aug";
    case Tok::Dot:
      return ".";
    default:
      return "?";
  }
}

// "Kind@line:col Kind@line:col ..." with literals as repr.
std::string tokens(const std::string& source) {
  Lexer lexer(source);
  std::string out;
  while (true) {
    auto t = lexer.next();
    if (!out.empty()) out += ' ';
    out += name(t.kind) + "@" + std::to_string(t.line) + ":" + std::to_string(t.column);
    if (t.kind == Tok::Number || t.kind == Tok::String) out += "=" + t.literal.repr();
    if (t.kind == Tok::End) break;
  }
  return out;
}

struct Row {
  const char* input;
  const char* expected;
};

TEST(Lexer, Tokens) {
  const Row rows[] = {
      {"1", "Num@1:1=1 End@1:2"},
      {"  x", "Name@1:3 End@1:4"},
      {"a+-b", "Name@1:1 +@1:2 -@1:3 Name@1:4 End@1:5"},
      {"2**-1", "Num@1:1=2 **@1:2 -@1:4 Num@1:5=1 End@1:6"},
      {"7//2", "Num@1:1=7 //@1:2 Num@1:4=2 End@1:5"},
      {"x <= y != z", "Name@1:1 <=@1:3 Name@1:6 !=@1:8 Name@1:11 End@1:12"},
      {"not in", "not@1:1 in@1:5 End@1:7"},
      {"1_000", "Num@1:1=1000 End@1:6"},
      {"0x_fF", "Num@1:1=255 End@1:6"},
      {"0o17 0b101", "Num@1:1=15 Num@1:6=5 End@1:11"},
      {"1.5e-3 .5 8.", "Num@1:1=0.0015 Num@1:8=0.5 Num@1:11=8.0 End@1:13"},
      {"1if x", "Num@1:1=1 if@1:2 Name@1:5 End@1:6"},
      {"'a' \"b\"", "Str@1:1='a' Str@1:5='b' End@1:8"},
      {"r'\\n'", "Str@1:1='\\\\n' End@1:6"},
      {"'\\x41\\u00e9\\U0001F600\\101'", "Str@1:1='Aé😀A' End@1:27"},
      {"'片仮名' x", "Str@1:1='片仮名' Name@1:7 End@1:8"},
      {"'''a\nb''' c", "Str@1:1='a\\nb' Name@2:6 End@2:7"},
      {"[1,\n 2]", "[@1:1 Num@1:2=1 ,@1:3 Num@2:2=2 ]@2:3 End@2:4"},
      {"1 \\\n+ 2", "Num@1:1=1 +@2:1 Num@2:3=2 End@2:4"},
      {"1 # c\n", "Num@1:1=1 NL@1:6 End@2:1"},
      {"x.y", "Name@1:1 .@1:2 Name@1:3 End@1:4"},
      {"x := 1", "Name@1:1 :=@1:3 Num@1:6=1 End@1:7"},
      {"...", "...@1:1 End@1:4"},
      {"x += 1", "Name@1:1 aug@1:3 Num@1:6=1 End@1:7"},
      {"class", "Kw@1:1 End@1:6"},
      {"données", "Name@1:1 End@1:8"},
  };
  for (const auto& row : rows) EXPECT_EQ(tokens(row.input), row.expected) << row.input;
}

TEST(Lexer, Errors) {
  struct ErrorRow {
    const char* input;
    int line;
    int column;
    const char* message_part;
  };
  const ErrorRow rows[] = {
      {"'abc", 1, 1, "unterminated string literal"},
      {"x = '''a\nb", 1, 5, "unterminated triple-quoted string literal"},
      {"01", 1, 1, "leading zeros"},
      {"1abc", 1, 2, "invalid decimal literal"},
      {"0x1g", 1, 4, "invalid hexadecimal literal"},
      {"0b", 1, 3, "invalid binary literal"},
      {"1__0", 1, 2, "invalid decimal literal"},
      {"1e", 1, 2, "invalid decimal literal"},
      {"1j", 1, 1, "complex numbers"},
      {"a $ b", 1, 3, "invalid syntax"},
      {"x…", 1, 2, "invalid character '…' (U+2026)"},
      {"'\\x4'", 1, 2, "truncated \\xXX escape"},
      {"'\\N{DASH}'", 1, 2, "\\N{...}"},
      {")", 1, 1, "unmatched ')'"},
      // CPython 3.11's messages and positions (its SyntaxError's lineno and offset).
      {"(1,", 1, 1, "'(' was never closed"},
      {"([1, 2", 1, 2, "'[' was never closed"},
      {"(1,\n 2", 1, 1, "'(' was never closed"},
      {"[1)", 1, 3, "closing parenthesis ')' does not match opening parenthesis '['"},
      {"{1: (2]", 1, 7, "closing parenthesis ']' does not match opening parenthesis '('"},
      {"(1,\n]", 2, 1, "closing parenthesis ']' does not match opening parenthesis '(' on line 1"},
      {"1 \\ 2", 1, 4, "unexpected character after line continuation"},
      {"1\n  2", 2, 3, "unexpected indent"},
  };
  for (const auto& row : rows) {
    try {
      tokens(row.input);
      ADD_FAILURE() << "no error for " << row.input;
    } catch (const hparams::Error& e) {
      EXPECT_EQ(e.kind(), hparams::ErrorKind::SyntaxError) << row.input;
      EXPECT_EQ(e.location().line, row.line) << row.input;
      EXPECT_EQ(e.location().column, row.column) << row.input;
      EXPECT_NE(e.message().find(row.message_part), std::string::npos)
          << row.input << ": " << e.message();
    }
  }
}

TEST(Lexer, BracketLimitIsCPythons) {
  // CPython's tokenizer allows 200 open brackets and refuses the 201st.
  EXPECT_NO_THROW(tokens(std::string(200, '(') + std::string(200, ')')));
  try {
    tokens(std::string(201, '['));
    ADD_FAILURE();
  } catch (const hparams::Error& e) {
    EXPECT_EQ(e.message(), "too many nested parentheses");
    EXPECT_EQ(e.location().column, 201);
  }
}

}  // namespace
