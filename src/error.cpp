#include "hparams/error.hpp"

#include <array>

namespace hparams {

std::string_view kind_name(ErrorKind kind) noexcept {
  static constexpr std::array<std::string_view, 19> kNames = {"SyntaxError",
                                                              "NameError",
                                                              "TypeError",
                                                              "ValueError",
                                                              "ZeroDivisionError",
                                                              "KeyError",
                                                              "IndexError",
                                                              "AttributeError",
                                                              "OverflowError",
                                                              "MemoryError",
                                                              "RecursionError",
                                                              "TimeoutError",
                                                              "ParsingError",
                                                              "MissingSectionHeaderError",
                                                              "DuplicateSectionError",
                                                              "DuplicateOptionError",
                                                              "LookupError",
                                                              "ConfigError",
                                                              "IOError"};
  auto index = static_cast<std::size_t>(kind);
  return index < kNames.size() ? kNames[index] : std::string_view("Error");
}

Error::Error(ErrorKind kind, std::string message, SourceLocation where, std::string key)
    : std::runtime_error(compose(kind, message, where, key)),
      kind_(kind),
      message_(std::move(message)),
      where_(std::move(where)),
      key_(std::move(key)) {}

std::string Error::compose(ErrorKind kind, const std::string& message, const SourceLocation& where,
                           const std::string& key) {
  std::string out;
  if (!where.file.empty() || where.line > 0) {
    out += where.file.empty() ? std::string("<value>") : where.file;
    if (where.line > 0) {
      out += ':' + std::to_string(where.line);
      if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += ": error: ";
  }
  out += hparams::kind_name(kind);
  // Named as a lookup or an override names it (`data.path`), so the text can be pasted.
  if (!key.empty()) out += " in " + key;
  out += ": ";
  out += message;
  return out;
}

Error Error::relocated(const SourceLocation& base, int continuation_column, std::string key) const {
  SourceLocation where = base;
  if (where_.line > 1) {
    where.line = base.line + where_.line - 1;
    where.column = where_.column > 0 ? continuation_column + where_.column - 1 : 0;
  } else if (where_.column > 0) {
    where.column = base.column + where_.column - 1;
  }
  return Error(kind_, message_, std::move(where), std::move(key));
}

Error Error::at(int line, int column) const {
  if (where_.line > 0) return *this;
  SourceLocation where = where_;
  where.line = line;
  where.column = column;
  return Error(kind_, message_, std::move(where), key_);
}

std::string show_position(std::string_view source_line, int column) {
  if (source_line.empty()) return {};
  std::string out = "    ";
  out += source_line;
  out += '\n';
  if (column > 0) {
    out += "    ";
    int at = 1;
    for (std::size_t i = 0; i < source_line.size() && at < column; ++i) {
      auto byte = static_cast<unsigned char>(source_line[i]);
      if ((byte & 0xC0) == 0x80) continue;
      out += byte == '\t' ? '\t' : ' ';
      ++at;
    }
    out += "^\n";
  }
  return out;
}

std::string Error::report(std::string_view source_line) const {
  return std::string(what()) + '\n' + show_position(source_line, where_.column);
}

ErrorList::ErrorList(std::vector<Error> errors, std::vector<std::string> source_lines)
    : Error(errors.empty() ? Error(ErrorKind::ConfigError, "no errors") : errors.front()),
      errors_(std::move(errors)) {
  for (std::size_t i = 0; i < errors_.size(); ++i) {
    reports_ += errors_[i].report(i < source_lines.size() ? source_lines[i] : std::string());
  }
}

}  // namespace hparams
