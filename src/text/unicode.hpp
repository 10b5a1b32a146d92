// Internal: UTF-8 and the character properties CPython 3.11 uses (tables generated from it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hparams::detail {

/// Decodes one code point at `pos` (advanced past it). Strings inside the library are valid
/// UTF-8, except that lone surrogates (which Python strs may hold) are encoded as 3 bytes.
char32_t decode_utf8(std::string_view s, std::size_t& pos);
void encode_utf8(char32_t cp, std::string& out);
/// Checks UTF-8 (surrogates refused) and counts code points; false if invalid.
bool validate_utf8(std::string_view s, std::size_t& length, bool& ascii);
std::u32string to_u32(std::string_view s);
std::string from_u32(std::u32string_view s);

bool is_printable(char32_t c);
/// Appends Python's escape of a code point: \xNN below 0x100, else \uNNNN or \UNNNNNNNN.
void append_escape(char32_t c, std::string& out);
bool is_space(char32_t c);
bool is_id_start(char32_t c);
bool is_id_continue(char32_t c);
bool is_cased(char32_t c);
bool is_alnum(char32_t c);
/// The value of a decimal digit (any script), or -1.
int decimal_value(char32_t c);
bool is_case_ignorable(char32_t c);
/// Unicode normalization form NFKC, as Python applies it to identifiers (PEP 3131).
std::string nfkc(std::string_view utf8);
/// Python's str.lower() of a whole string (full mappings and the final-sigma rule).
std::u32string lower_string(std::u32string_view s);
/// Full case mappings (may produce up to three code points).
void append_upper(char32_t c, std::u32string& out);
void append_lower(char32_t c, std::u32string& out);
void append_title(char32_t c, std::u32string& out);

}  // namespace hparams::detail
