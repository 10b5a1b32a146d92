// hparams/config.hpp: a loaded .cfg file: every value evaluated, with typed, exact access.
//
// Loading evaluates every value at once (the key `name` stays raw text) and reports every
// bad value together, each with file:line:col and `section.key`. A loaded Config is
// immutable: reading it from several threads is safe.
//
//   auto config = hparams::Config::load("hparams.cfg");
//   int seed = config.get<int>("run.seed");
//   auto widths = config.get<std::vector<int>>("model", "widths");
//   double lr = config.get_or<double>("optimizer.lr", 1e-3);
//   double momentum = config.get_or<double>("optimizer.momentum", 0.9);  // absent: the fallback
//   if (const hparams::Value* v = config.find("model.dropout")) std::cout << v->repr() << "\n";
//   // None
//   std::cout << seed << " " << widths.back() << " " << lr << " " << momentum << "\n";
//   // 42 128 0.0003 0.9
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hparams/convert.hpp"
#include "hparams/error.hpp"
#include "hparams/eval.hpp"
#include "hparams/export.hpp"
#include "hparams/ini.hpp"
#include "hparams/value.hpp"

namespace hparams {

class Config;

namespace detail {
// A run resuming from a saved copy equal to its cfg byte for byte takes the cfg's loaded
// config and gives it the saved copy's name (the name errors and locations give).
void rename_source(Config& config, std::string file);
}  // namespace detail

struct HPARAMS_EXPORT LoadOptions {
  EvalLimits limits;
  /// The largest .cfg file read (a larger one is an IOError).
  std::size_t max_file_bytes = ini::Document::kDefaultMaxFileBytes;
  /// What all the values of one file may hold together (`limits` bound each value); past it
  /// the load stops with a MemoryError naming the key, so a small file cannot take gigabytes.
  std::size_t max_values_bytes = std::size_t{512} << 20;
  /// False reads names only: every value is None and nothing is evaluated (to resolve
  /// names before the values are known, as run overrides are).
  bool evaluate = true;
  /// Strict: what lint() finds (values that silently became text or a tuple) is an error of
  /// the load, reported with the others. Off by default: the original accepts such files.
  bool strict = false;
  /// A config whose values may be reused: an entry with the same section, key and text as
  /// one of its entries takes that value instead of being evaluated again (evaluation is
  /// pure, values immutable). It must outlive the load. A run resuming from a saved copy
  /// that matches its cfg file evaluates the file once this way.
  const Config* reuse = nullptr;
};

/// A loaded .cfg file.
///
/// `[DEFAULT]` values are values through the sections that inherit them, as in the original:
/// a bad `[DEFAULT]` value that some section inherits is an error of that section's key
/// (`train.root`, placed at the `[DEFAULT]` line); one that every section overrides is not an
/// error of the file, only a warning (warnings()), and reading it throws its error.
class HPARAMS_EXPORT Config {
 public:
  /// Reads, parses and evaluates a file. Throws IOError, or ErrorList with every error.
  static Config load(const std::filesystem::path& path, const LoadOptions& options = {});
  /// The same from text; `file` names it in errors.
  static Config parse(std::string text, std::string file = "<string>",
                      const LoadOptions& options = {});
  /// Evaluates an already parsed document.
  static Config from_document(ini::Document document, const LoadOptions& options = {});

  Config(Config&&) noexcept;
  Config& operator=(Config&&) noexcept;
  ~Config();

  const ini::Document& document() const noexcept;
  const std::string& file() const noexcept;
  /// The document, taken out of the config (which is then unusable): to edit a document
  /// whose names were resolved without evaluation.
  ini::Document release_document() &&;
  /// What is wrong but not an error of the file: `[DEFAULT]` values that do not evaluate
  /// and that no section inherits.
  const std::vector<Error>& warnings() const noexcept;
  /// Values that are probably mistakes although they load: an unknown name that became text
  /// (`true`, `null`, a dotted name such as `nn.ReLU`, an expression such as
  /// `root + '/train'`), and a trailing comma that made a tuple (`256,`). Each is a
  /// ConfigError naming `section.key`, placed at the value, with a hint. A path-like text
  /// (`data/train`) and a bare word (`adam`) are not flagged: raw text is meant there.
  std::vector<Error> lint() const;

  /// Section names in file order, without DEFAULT.
  std::vector<std::string> sections() const;
  bool has_section(std::string_view section) const;
  /// Keys of a section in file order, then the DEFAULT keys it inherits. LookupError if the
  /// section does not exist.
  std::vector<std::string> keys(std::string_view section) const;

  /// The value of `key`: "section.key", or an unqualified key (from DEFAULT, or the one
  /// section that has it; ambiguous is a LookupError listing the candidates). Names also
  /// match in normalised form (lower-case, non-alphanumerics as '_'). nullptr if absent; a
  /// `[DEFAULT]` value that did not evaluate (see warnings()) throws its error.
  const Value* find(std::string_view key) const;
  const Value* find(std::string_view section, std::string_view key) const;
  /// As find(), but a missing key is a LookupError with a "did you mean" hint.
  const Value& at(std::string_view key) const;
  const Value& at(std::string_view section, std::string_view key) const;
  const Value& operator[](std::string_view key) const { return at(key); }

  /// The value converted exactly to T (see convert.hpp). A section name alone gives the
  /// section as a dict. Errors name `section.key` and the value's place in the file.
  template <class T>
  T get(std::string_view key) const {
    return convert<T>(at(key), key);
  }
  template <class T>
  T get(std::string_view section, std::string_view key) const {
    return convert<T>(at(section, key), std::string(section) + "." + std::string(key));
  }
  /// get<T>, or `fallback` when the key is absent (a present value of the wrong type is
  /// still an error).
  template <class T>
  T get_or(std::string_view key, T fallback) const {
    const Value* v = find(key);
    return v == nullptr ? fallback : convert<T>(*v, key);
  }

  /// Where a key lives, for editing the document (run overrides): the section the name
  /// designates as written ("DEFAULT" for defaults), the key as stored, and whether that
  /// section only inherits the key from DEFAULT. Same name rules as find(); nullopt if absent.
  struct Place {
    std::string section;
    std::string key;
    bool inherited = false;
  };
  std::optional<Place> place(std::string_view key) const;
  /// A LookupError for a missing `key`, with the "did you mean" hint.
  Error missing_key(std::string_view key) const;

  /// The raw text of a value as written in the file (LookupError if absent).
  std::string_view raw(std::string_view key) const;
  /// Everything as a dict of dicts: {section: {key: value}} (DEFAULT keys inherited).
  Value to_dict() const;
  /// One section as a dict.
  Value section_dict(std::string_view section) const;
  /// to_dict() as JSON text in the mapping of hparams/json.hpp (`indent` as there).
  std::string to_json(int indent = 2) const;

 private:
  friend void detail::rename_source(Config& config, std::string file);
  struct Impl;
  explicit Config(std::unique_ptr<Impl> impl);
  template <class T>
  T convert(const Value& v, std::string_view key) const {
    try {
      return from_value<T>(v, key);
    } catch (const Error&) {
      // Only a failure needs the qualified name and the place in the file: convert again
      // (conversions are deterministic) to word the error with them.
      try {
        from_value<T>(v, qualified(key));
      } catch (const Error& e) {
        rethrow_located(e, key);
      }
      throw;
    }
  }
  std::string qualified(std::string_view key) const;
  [[noreturn]] void rethrow_located(const Error& e, std::string_view key) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hparams
