// hparams/ini.hpp: the .cfg file as a lossless document, read as Python's configparser reads
// it with the original Python library's settings.
//
// `=` and `:` delimiters (the first one splits), full-line `#`/`;` comments, no inline
// comments, multi-line values by indentation (blank lines kept, comment lines dropped,
// continuation lines stripped), `[DEFAULT]`, keys lower-cased, section names as written,
// strict duplicate detection. A UTF-8 BOM is skipped and CRLF reads like LF. Printing an
// unmodified document gives back its bytes; set_value() changes only that value's text.
//
//   auto doc = hparams::ini::Document::parse("[run]\nname = x\nlr = 3e-4\n", "hparams.cfg");
//   std::cout << doc.find("run", "lr")->value << "\n";  // 3e-4
//   doc.set_value("run", "lr", "1e-3");
//   std::cout << doc.str();  // [run]\nname = x\nlr = 1e-3\n
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hparams/error.hpp"
#include "hparams/export.hpp"

namespace hparams::ini {

/// One `key = value` entry. Its texts are views into the document (the file's own bytes, or
/// the document's copy of a lower-cased key or a joined multi-line value): they live as long
/// as the document and until it is edited.
struct HPARAMS_EXPORT Entry {
  std::string_view key;    ///< lower-cased, as configparser's optionxform does
  std::string_view value;  ///< the logical value: lines joined with '\n', trailing space dropped
  int line = 0;            ///< line of the key (1-based)
  int column = 0;          ///< column of the key (1-based, code points)
  int value_line = 0;      ///< where the value text starts
  int value_column = 0;
  /// 0 for a one-line value; else 1 + the index of its line table in the document.
  std::uint32_t continuation = 0;
  std::uint32_t section = 0;      ///< index of its section in Document::sections()
  std::uint32_t value_begin = 0;  ///< byte span of the value in the document text
  std::uint32_t value_end = 0;
};

struct HPARAMS_EXPORT Section {
  std::string name;
  int line = 0;
  bool is_default = false;
  std::span<const Entry> entries;  ///< in file order (a range of Document::entries())

  const Entry* find(std::string_view key) const;
};

class HPARAMS_EXPORT Document {
 public:
  /// Parses `text`. Throws ErrorList with every structural error (MissingSectionHeaderError,
  /// DuplicateSectionError, DuplicateOptionError, ParsingError), each naming file and line.
  static Document parse(std::string text, std::string file = "<string>");
  /// Reads and parses a file. IOError naming it when it cannot be read, is not a regular file
  /// (a directory, /dev/zero, a FIFO) or holds more than `max_bytes`.
  static Document load(const std::filesystem::path& path,
                       std::size_t max_bytes = kDefaultMaxFileBytes);
  /// The default size limit of a .cfg file (256 MiB).
  static constexpr std::size_t kDefaultMaxFileBytes = std::size_t{256} << 20;

  Document() = default;
  Document(Document&&) noexcept = default;
  Document& operator=(Document&&) noexcept = default;
  /// A copy re-reads the text, so that its views point into its own copy.
  Document(const Document& other);
  Document& operator=(const Document& other);

  const std::string& file() const noexcept { return file_; }
  /// Names another file as this document's (in errors and locations); the text is unchanged.
  void rename(std::string file) noexcept { file_ = std::move(file); }
  /// Sections in file order; `[DEFAULT]` appears where it first appears (if it does).
  const std::vector<Section>& sections() const noexcept { return sections_; }
  /// Every entry, section after section (each section's entries in file order).
  const std::vector<Entry>& entries() const noexcept { return entries_; }
  const Section* find_section(std::string_view name) const;
  /// The DEFAULT section, or nullptr.
  const Section* defaults() const;
  /// The entry of `key` in `section` (own entries only, no DEFAULT inheritance).
  const Entry* find(std::string_view section, std::string_view key) const;

  /// The document's text: the input bytes, with any set_value() edits.
  const std::string& str() const noexcept { return text_; }
  /// The text of line `line` (1-based), without its line break.
  std::string_view line_text(int line) const;
  /// Maps a (line, column) inside an entry's value (1-based, as an evaluation error gives
  /// them) to the file: continuation lines start where they start in the file.
  SourceLocation locate(const Entry& entry, int line_in_value, int column_in_value) const;

  /// One change: a new value text for an entry of `section`, which the section has (or, with
  /// `add`, gets as a new line after its last entry: how a section overrides a key it
  /// inherits from DEFAULT).
  struct Edit {
    std::string section;
    std::string key;
    std::string text;
    bool add = false;
  };
  /// Applies several edits and re-reads the document once (set_value() and add_value() are
  /// single edits). Edits of one section are applied in order. LookupError when an edited
  /// entry or section does not exist, DuplicateOptionError when an added key does; nothing
  /// is changed then.
  void edit(std::span<const Edit> edits);

  /// Replaces the value text of an existing entry (the rest of the file is untouched) and
  /// re-reads the document. A multi-line `text` is written with continuation lines indented.
  /// Throws LookupError when the entry does not exist.
  void set_value(std::string_view section, std::string_view key, std::string_view text);
  /// Adds `key = text` to `section` after its last entry (after its header when it has none),
  /// in the document's line-break style, and re-reads the document. This is how a section
  /// overrides a key it inherits from DEFAULT. Throws LookupError when the section does not
  /// exist and DuplicateOptionError when the section already has the key.
  void add_value(std::string_view section, std::string_view key, std::string_view text);

 private:
  std::vector<std::pair<int, int>>& continue_value(Entry& e);
  std::string text_;
  std::string file_;
  std::vector<Section> sections_;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> line_starts_;
  // Where each line of a multi-line value starts (line, column), per multi-line entry.
  std::vector<std::vector<std::pair<int, int>>> continuations_;
  // Texts that are not in the file as such: lower-cased keys, joined multi-line values. A
  // deque never moves its elements, so views into them stay valid.
  std::deque<std::string> owned_;
};

/// configparser's optionxform: Python's str.lower().
HPARAMS_EXPORT std::string lower_key(std::string_view key);

}  // namespace hparams::ini
