#include "hparams/error.hpp"

#include <algorithm>
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

namespace {

// Cuts `text` to at most `limit` bytes on a character boundary, saying how long it was: an
// error about a 60 MB value must not carry the value.
std::string bounded(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::size_t total = text.size();
  text.resize(cut);
  text += "... (" + std::to_string(total) + " bytes in all)";
  return text;
}

constexpr std::size_t kMaxMessageBytes = 2000;

}  // namespace

Error::Error(ErrorKind kind, std::string message, SourceLocation where, std::string key)
    : Error(kind, bounded(std::move(message), kMaxMessageBytes), std::move(where),
            bounded(std::move(key), 400), 0) {}

Error::Error(ErrorKind kind, std::string message, SourceLocation where, std::string key, int)
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
  // A long line is shown as a window of about 160 characters around the column.
  constexpr int kBefore = 80, kWindow = 160;
  auto starts_char = [&](std::size_t i) {
    return (static_cast<unsigned char>(source_line[i]) & 0xC0) != 0x80;
  };
  std::size_t begin = 0, end = source_line.size();
  int skipped = 0;  // characters left out before the window
  if (source_line.size() > static_cast<std::size_t>(kWindow)) {
    int wanted = std::max(0, column - 1 - kBefore);
    std::size_t i = 0;
    for (; i < source_line.size() && skipped < wanted; ++i) {
      if (starts_char(i)) ++skipped;
    }
    while (i < source_line.size() && !starts_char(i)) ++i;
    begin = i;
    int shown = 0;
    for (; i < source_line.size() && shown < kWindow; ++i) {
      if (starts_char(i)) ++shown;
    }
    while (i < source_line.size() && !starts_char(i)) ++i;
    end = i;
  }
  const std::string_view prefix = begin > 0 ? "..." : "";
  std::string out = "    ";
  out += prefix;
  out += source_line.substr(begin, end - begin);
  if (end < source_line.size()) out += "...";
  out += '\n';
  if (column > 0) {
    out += "    ";
    out.append(prefix.size(), ' ');
    int at = 1 + skipped;
    for (std::size_t i = begin; i < end && at < column; ++i) {
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

namespace {
std::string all_reports(const std::vector<Error>& errors,
                        const std::vector<std::string>& source_lines) {
  std::string out;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    out += errors[i].report(i < source_lines.size() ? source_lines[i] : std::string());
  }
  return out;
}
}  // namespace

Error::Error(const Error& first, const std::string& what_text)
    : std::runtime_error(what_text),
      kind_(first.kind_),
      message_(first.message_),
      where_(first.where_),
      key_(first.key_) {}

ErrorList::ErrorList(std::vector<Error> errors, std::vector<std::string> source_lines)
    : ErrorList(std::move(errors), all_reports(errors, source_lines), 0) {}

ErrorList::ErrorList(std::vector<Error>&& errors, std::string reports, int)
    : Error(errors.empty() ? Error(ErrorKind::ConfigError, "no errors") : errors.front(),
            reports.empty() ? std::string("no errors")
                            : reports.substr(0, reports.find_last_not_of('\n') + 1)),
      errors_(std::move(errors)),
      reports_(std::move(reports)) {}

}  // namespace hparams
