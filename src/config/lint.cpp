// Config::lint(): values that load but are probably mistakes (hparams check --strict).
#include <algorithm>
#include <cctype>

#include "eval/lexer.hpp"
#include "hparams/config.hpp"

namespace hparams {
namespace {

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// What is wrong with a value that became its raw text, or empty when nothing is.
std::string raw_text_problem(std::string_view text) {
  std::vector<detail::Token> tokens;
  try {
    detail::Lexer lexer(text);
    while (lexer.peek().kind != detail::Tok::End) {
      detail::Token t = lexer.next();
      if (t.kind != detail::Tok::Newline) tokens.push_back(std::move(t));
    }
  } catch (const Error&) {
    return {};
  }
  if (tokens.empty()) return {};
  using detail::Tok;
  if (tokens.size() == 1 && tokens[0].kind == Tok::Name) {
    std::string word = lowered(text);
    if (word == "true") return "did you mean True? (Python's booleans are True and False)";
    if (word == "false") return "did you mean False? (Python's booleans are True and False)";
    if (word == "none" || word == "null" || word == "nil") return "did you mean None?";
    return {};  // a bare word: raw text is what the original's users mean (optimizer = adam)
  }
  bool dotted = tokens.size() >= 3 && tokens.size() % 2 == 1;
  for (std::size_t i = 0; dotted && i < tokens.size(); ++i) {
    dotted = tokens[i].kind == (i % 2 == 0 ? Tok::Name : Tok::Dot);
  }
  if (dotted) {
    return "a dotted name is not a value here (the sandbox has no modules or attributes): "
           "quote it if you mean the text, e.g. '" +
           std::string(text) + "'";
  }
  // A path or an identifier with dashes (data/train, resnet-50, ./runs) is meant as text.
  bool path_like = std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '/' || c == '.' ||
           c == '-' || c == '~';
  });
  if (path_like) return {};
  return "an expression over unknown names became its raw text (values cannot refer to other "
         "keys or to names of the program): quote it if you mean the text";
}

}  // namespace

std::vector<Error> Config::lint() const {
  std::vector<Error> out;
  const ini::Document& doc = document();
  for (const ini::Section& section : doc.sections()) {
    for (const ini::Entry& entry : section.entries) {
      if (entry.key == "name") continue;
      const Value* value = nullptr;
      try {
        value = find(section.name, entry.key);
      } catch (const Error&) {
        continue;  // a [DEFAULT] value that does not evaluate: a warning already
      }
      if (value == nullptr) continue;
      std::string problem;
      std::string_view text = entry.value;
      if (value->is_str() && value->as_str() == text) {
        problem = raw_text_problem(text);
      } else if (value->is_tuple()) {
        std::string_view t = text;
        while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
        if (!t.empty() && t.back() == ',' && t.front() != '(') {
          problem = "the trailing comma makes this the tuple " + value->repr().substr(0, 60) +
                    ": remove the comma if one value is meant";
        }
      }
      if (problem.empty()) continue;
      std::string key = (section.is_default ? std::string("DEFAULT") : section.name) + "." +
                        std::string(entry.key);
      // The caret line shows the text as written; the message says what it became.
      out.emplace_back(ErrorKind::ConfigError,
                       value->is_str() ? "the value became the text " +
                                             value->repr().substr(0, 64) + ": " + problem
                                       : problem,
                       SourceLocation{doc.file(), entry.value_line, entry.value_column}, key);
    }
  }
  return out;
}

}  // namespace hparams
