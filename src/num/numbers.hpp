// Internal: Python's int and float arithmetic, exactly. Ints are int64 with a GMP fallback.
#pragma once

#include <gmp.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "value/value_impl.hpp"

namespace hparams::detail {

/// Python 3.11's limit on int <-> decimal string conversions.
inline constexpr std::size_t kMaxStrDigits = 4300;
/// The sandbox's limit on the size of one int (about 315,000 decimal digits).
inline constexpr std::size_t kMaxIntBits = std::size_t{1} << 20;

/// RAII mpz_t.
class Mpz {
 public:
  Mpz() { mpz_init(z_); }
  explicit Mpz(const Value& int_or_bool);
  explicit Mpz(std::int64_t v) {
    mpz_init(z_);
    set(v);
  }
  ~Mpz() { mpz_clear(z_); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
  void set(std::int64_t v);
  mpz_ptr get() { return z_; }
  mpz_srcptr get() const { return z_; }
  operator mpz_ptr() { return z_; }
  // GMP's mpz_sgn and mpz_odd_p are macros that dereference their argument.
  mpz_ptr operator->() { return z_; }
  mpz_srcptr operator->() const { return z_; }
  operator mpz_srcptr() const { return z_; }

 private:
  mpz_t z_;
};

/// An int Value from an mpz (int64 when it fits).
Value make_int(mpz_srcptr z);
/// True for int and bool (Python's bool is an int subclass).
inline bool is_integral(const Value& v) {
  auto t = tag_of(v);
  return t == Tag::SmallInt || t == Tag::BigInt || t == Tag::Bool;
}
/// The int64 behind an int or bool that fits.
inline bool small_int(const Value& v, std::int64_t& out) {
  auto t = tag_of(v);
  if (t == Tag::SmallInt || t == Tag::Bool) {
    out = ValueAccess::small(v);
    return true;
  }
  return false;
}
void check_int_bits(std::size_t bits);
int int_sign(const Value& v);

Value int_add(const Value& a, const Value& b);
Value int_sub(const Value& a, const Value& b);
Value int_mul(const Value& a, const Value& b);
Value int_floordiv(const Value& a, const Value& b);
Value int_mod(const Value& a, const Value& b);
Value int_neg(const Value& a);
Value int_invert(const Value& a);
Value int_abs(const Value& a);
/// a ** b for b >= 0 (negative b is float arithmetic, decided by the caller).
Value int_pow(const Value& a, const Value& b);
/// pow(a, b, m), negative b through the modular inverse.
Value int_powmod(const Value& a, const Value& b, const Value& m);
Value int_lshift(const Value& a, const Value& b);
Value int_rshift(const Value& a, const Value& b);
Value int_bitop(char op, const Value& a, const Value& b);
/// a / b correctly rounded (Python's long_true_divide).
double int_truediv(const Value& a, const Value& b);
/// Round-half-even conversion; OverflowError "int too large to convert to float".
double int_to_double(const Value& a);

/// A decimal float literal (digits, '.', exponent; no sign, no '_'), correctly rounded as
/// Python's float() does: beyond the double range it is inf, below it 0.0.
double parse_decimal(std::string_view text);
/// -1, 0, 1.
int int_compare(const Value& a, const Value& b);
/// Exact comparison of an int with a finite or infinite float (not NaN).
int int_float_compare(const Value& a, double f);
/// A float's exact integer part (OverflowError for inf, ValueError for nan).
Value float_to_int(double f);
/// Decimal text; ValueError past 4,300 digits, like Python.
std::string int_to_decimal(const Value& a);
/// Text in base 2, 8 or 16 without prefix, of |a| (no digit limit: Python has none there).
std::string int_to_base_abs(const Value& a, int base);
/// Parses digits (no sign, no prefix, no underscores) in `base`; ValueError past the limit.
Value int_from_digits(std::string_view digits, int base);
/// round(a, ndigits) for ndigits < 0, half to even.
Value int_round(const Value& a, std::int64_t ndigits);
std::int64_t int_hash(const Value& a);
std::size_t int_bit_length(const Value& a);

/// Python's float repr: shortest round trip, `1e-05`, `1e+16`, `inf`, `nan`, `-0.0`.
std::string float_repr(double d);
void float_repr_into(double d, std::string& out);
std::int64_t float_hash(double d);
/// Python's float % and //, with Python's signs.
double float_mod(double a, double b);
double float_floordiv(double a, double b);
/// Python's float ** float (OverflowError, ZeroDivisionError, ValueError for complex results).
double float_pow(double a, double b);
/// round(x, ndigits) for floats (Python's double_round).
double float_round(double x, std::int64_t ndigits);
/// round(x) to an int, half to even.
Value float_round_to_int(double x);

}  // namespace hparams::detail
