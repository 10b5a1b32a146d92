// The hparams command-line tool.
//
//   hparams eval '[1] * 3'        prints [1, 1, 1]
//   hparams eval -- '-2**2'       expressions starting with '-'
//   hparams eval - < value.txt    reads the expression from standard input
#include <CLI/CLI.hpp>
#include <iostream>
#include <iterator>
#include <string>

#include "hparams/hparams.hpp"

namespace {

// The line of `text` that holds `line` (1-based).
std::string_view line_of(std::string_view text, int line) {
  std::size_t begin = 0;
  for (int i = 1; i < line; ++i) {
    auto next = text.find('\n', begin);
    if (next == std::string_view::npos) return {};
    begin = next + 1;
  }
  auto end = text.find('\n', begin);
  std::string_view out =
      text.substr(begin, end == std::string_view::npos ? text.size() - begin : end - begin);
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return out;
}

int run_eval(const std::string& argument) {
  std::string text = argument;
  if (argument == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  try {
    hparams::Value v = hparams::evaluate(text);
    std::cout << v.repr() << '\n';
    return 0;
  } catch (const hparams::Error& e) {
    std::cerr << "error: " << e.kind_name() << ": " << e.message() << '\n';
    int line = e.location().line;
    if (line > 0) {
      std::string_view source = line_of(text, line);
      if (source.size() <= 400) {
        std::cerr << "    " << source << '\n';
        if (e.location().column > 0) {
          std::string caret = "    ";
          int column = 1;
          for (std::size_t i = 0; i < source.size() && column < e.location().column; ++i) {
            auto byte = static_cast<unsigned char>(source[i]);
            if ((byte & 0xC0) == 0x80) continue;
            caret += byte == '\t' ? '\t' : ' ';
            ++column;
          }
          std::cerr << caret << "^\n";
        }
      } else {
        std::cerr << "    (line " << line << ", column " << e.location().column << ")\n";
      }
    }
    return 1;
  }
}

// One expression per input line; prints repr(value) or `!Kind: message` per line.
int run_each_line() {
  std::string line;
  int failures = 0;
  while (std::getline(std::cin, line)) {
    try {
      std::cout << hparams::evaluate(line).repr() << '\n';
    } catch (const hparams::Error& e) {
      std::cout << '!' << e.kind_name() << ": " << e.message() << '\n';
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hparams: hyper-parameters of deep-learning runs, configured in Python syntax"};
  app.set_version_flag("--version", hparams::kVersion);
  app.require_subcommand(1);

  std::string expression;
  auto* eval = app.add_subcommand("eval", "Evaluate a value expression and print its repr()");
  bool each_line = false;
  eval->add_option("expression", expression, "The expression ('-' reads standard input)");
  eval->add_flag("--each-line", each_line,
                 "Evaluate each line of standard input; print repr or !Kind: message per line");
  eval->positionals_at_end();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (eval->parsed()) {
    if (each_line) return run_each_line();
    if (expression.empty() && eval->count("expression") == 0) {
      std::cerr << "error: eval needs an expression (or --each-line)\n";
      return 2;
    }
    return run_eval(expression);
  }
  return 0;
}
