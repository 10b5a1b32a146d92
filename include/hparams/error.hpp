// hparams/error.hpp: the one exception type of the library.
//
// Every failure, from a typo in a value to a duplicate section, is an hparams::Error carrying
// the Python exception kind it corresponds to, a Python-like message, where it happened
// (file, line, column; 1-based, 0 when unknown) and which `section.key` it concerns.
//
//   try {
//     hparams::Value v = hparams::evaluate("'a' + 1");
//   } catch (const hparams::Error& e) {
//     std::cout << e.kind_name() << ": " << e.message() << "\n";
//     // TypeError: can only concatenate str (not "int") to str
//     std::cout << e.what() << "\n";
//     // <value>:1:5: error: TypeError: can only concatenate str (not "int") to str
//   }
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "hparams/export.hpp"

namespace hparams {

/// The kind of an error. Value-language errors use Python's exception names; the document
/// layer uses configparser's names.
enum class ErrorKind {
  SyntaxError,
  NameError,
  TypeError,
  ValueError,
  ZeroDivisionError,
  KeyError,
  IndexError,
  AttributeError,
  OverflowError,
  MemoryError,     ///< a size limit of the sandbox (64 MiB per value) was hit
  RecursionError,  ///< a value's syntax tree deeper than 3,000 levels (as CPython's compiler)
  TimeoutError,    ///< the step budget of one value was used up, or a wait for a run
  // Document layer (configparser's names).
  ParsingError,
  MissingSectionHeaderError,
  DuplicateSectionError,
  DuplicateOptionError,
  // Access and runs.
  LookupError,  ///< a missing section or key
  ConfigError,  ///< anything else wrong with a configuration or a run
  IOError,
};

/// The two lines that show a position: `    LINE` and `    ^` under the column-th code point
/// (tabs kept so that the caret lines up). A line longer than 160 characters is shown as a
/// window around the column, cut ends marked `...`. Empty when `source_line` is.
HPARAMS_EXPORT std::string show_position(std::string_view source_line, int column);

/// Python's (or configparser's) name for `kind`, e.g. "TypeError".
HPARAMS_EXPORT std::string_view kind_name(ErrorKind kind) noexcept;

/// Where something is: a file (may be empty), a 1-based line and a 1-based column counted in
/// code points. 0 means unknown.
struct HPARAMS_EXPORT SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

/// The library's exception. `what()` is the one-line form
/// `file:line:col: error: Kind in section.key: message`, omitting unknown parts. A message
/// longer than 2,000 bytes is cut, saying how long it was (an error never carries a huge
/// value).
class HPARAMS_EXPORT Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, SourceLocation where = {}, std::string key = {});

  ErrorKind kind() const noexcept { return kind_; }
  std::string_view kind_name() const noexcept { return hparams::kind_name(kind_); }
  /// The message alone, as Python words it ("division by zero").
  const std::string& message() const noexcept { return message_; }
  const SourceLocation& location() const noexcept { return where_; }
  /// The `section.key` the error concerns, or empty.
  const std::string& key() const noexcept { return key_; }

  /// A copy relocated into a file: `line`/`column` of this error are taken relative to a value
  /// that starts at `base` (line `base.line`, column `base.column` for its first line;
  /// continuation lines start at `continuation_column`).
  Error relocated(const SourceLocation& base, int continuation_column, std::string key) const;

  /// A copy placed at `line`:`column` (of the evaluated text), unless already placed.
  Error at(int line, int column) const;

  /// The full report: `what()`, then `source_line` and a caret under the column.
  std::string report(std::string_view source_line) const;

 protected:
  /// `first`'s kind, message, location and key, with `what_text` as what().
  Error(const Error& first, const std::string& what_text);

 private:
  Error(ErrorKind kind, std::string message, SourceLocation where, std::string key, int);
  static std::string compose(ErrorKind kind, const std::string& message,
                             const SourceLocation& where, const std::string& key);
  ErrorKind kind_;
  std::string message_;
  SourceLocation where_;
  std::string key_;
};

/// Several errors found in one pass (every bad line of a file, every bad value of a config).
/// `what()` lists them all, one report (with the offending line and a caret) each, so that an
/// uncaught ErrorList shows every error; kind(), message(), location() and key() are those of
/// the first.
class HPARAMS_EXPORT ErrorList : public Error {
 public:
  explicit ErrorList(std::vector<Error> errors, std::vector<std::string> source_lines = {});
  const std::vector<Error>& errors() const noexcept { return errors_; }
  /// The reports of all errors, each followed by its source line and a caret.
  const std::string& reports() const noexcept { return reports_; }

 private:
  ErrorList(std::vector<Error>&& errors, std::string reports, int);
  std::vector<Error> errors_;
  std::string reports_;
};

}  // namespace hparams
