// hparams eval EXPR: the repr of a value, as CPython's eval would give it.
#include <iostream>
#include <iterator>

#include "command.hpp"

namespace hparams::cli {
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

int eval_one(const std::string& argument) {
  std::string text = argument;
  if (argument == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  try {
    std::cout << evaluate(text).repr() << '\n';
    return kOk;
  } catch (const Error& e) {
    std::cerr << "error: " << e.kind_name() << ": " << e.message() << '\n';
    if (int line = e.location().line; line > 0) {
      std::cerr << show_position(line_of(text, line), e.location().column);
    }
    return kInvalid;
  }
}

// One expression per input line; prints repr(value) or `!Kind: message` per line.
int eval_each_line() {
  std::string line;
  int failures = 0;
  while (std::getline(std::cin, line)) {
    try {
      std::cout << evaluate(line).repr() << '\n';
    } catch (const Error& e) {
      std::cout << '!' << e.kind_name() << ": " << e.message() << '\n';
      ++failures;
    }
  }
  return failures == 0 ? kOk : kInvalid;
}

}  // namespace

Action add_eval(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "Evaluate a value expression and print its repr()");
  auto expression = std::make_shared<std::string>();
  auto each_line = std::make_shared<bool>(false);
  cmd->add_option("expression", *expression, "The expression ('-' reads standard input)");
  cmd->add_flag("--each-line", *each_line,
                "Evaluate each line of standard input; print repr or !Kind: message per line");
  cmd->positionals_at_end();
  return [=] {
    if (*each_line) return eval_each_line();
    if (cmd->count("expression") == 0) {
      std::cerr << "error: eval needs an expression (or --each-line)\n";
      return static_cast<int>(kUsage);
    }
    return eval_one(*expression);
  };
}

}  // namespace hparams::cli
