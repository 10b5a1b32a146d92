// Python's float semantics: repr, hashing, %, //, ** and round.
#include "num/numbers.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace hparams::detail {

void float_repr_into(double d, std::string& out) {
  if (std::isnan(d)) {
    out += "nan";
    return;
  }
  if (std::isinf(d)) {
    out += d > 0 ? "inf" : "-inf";
    return;
  }
  if (d == 0) {
    out += std::signbit(d) ? "-0.0" : "0.0";
    return;
  }
  // Shortest round-trip digits from to_chars, laid out by Python's repr rule: positional
  // when -4 <= exponent < 16, else scientific with at least two exponent digits.
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view text(buf, static_cast<std::size_t>(result.ptr - buf));
  bool negative = text[0] == '-';
  if (negative) text.remove_prefix(1);
  auto e_pos = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  int exponent = std::atoi(std::string(text.substr(e_pos + 1)).c_str());
  if (negative) out += '-';
  int decpt = exponent + 1;  // digits are 0.DDDD * 10**decpt
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-decpt), '0');
      out += digits;
    } else if (static_cast<std::size_t>(decpt) >= digits.size()) {
      out += digits;
      out.append(static_cast<std::size_t>(decpt) - digits.size(), '0');
      out += ".0";
    } else {
      out.append(digits, 0, static_cast<std::size_t>(decpt));
      out += '.';
      out.append(digits, static_cast<std::size_t>(decpt));
    }
    return;
  }
  out += digits[0];
  if (digits.size() > 1) {
    out += '.';
    out.append(digits, 1);
  }
  char exp_buf[16];
  std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+',
                exponent < 0 ? -exponent : exponent);
  out += exp_buf;
}

std::string float_repr(double d) {
  std::string out;
  float_repr_into(d, out);
  return out;
}

std::int64_t float_hash(double v) {
  constexpr int kBits = 61;
  constexpr std::uint64_t kModulus = (std::uint64_t{1} << kBits) - 1;
  if (!std::isfinite(v)) {
    if (std::isinf(v)) return v > 0 ? 314159 : -314159;
    return 0;  // CPython hashes NaN by identity; any constant keeps sets consistent here
  }
  int e = 0;
  double m = std::frexp(v, &e);
  int sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  std::uint64_t x = 0;
  while (m != 0) {
    x = ((x << 28) & kModulus) | x >> (kBits - 28);
    m *= 268435456.0;
    e -= 28;
    auto y = static_cast<std::uint64_t>(m);
    m -= static_cast<double>(y);
    x += y;
    if (x >= kModulus) x -= kModulus;
  }
  e = e >= 0 ? e % kBits : kBits - 1 - ((-1 - e) % kBits);
  x = ((x << e) & kModulus) | x >> (kBits - e);
  auto h = static_cast<std::int64_t>(x) * sign;
  return h == -1 ? -2 : h;
}

double float_mod(double a, double b) {
  if (b == 0) raise(ErrorKind::ZeroDivisionError, "float modulo");
  double mod = std::fmod(a, b);
  if (mod != 0) {
    if ((b < 0) != (mod < 0)) mod += b;
  } else {
    mod = std::copysign(0.0, b);
  }
  return mod;
}

double float_floordiv(double a, double b) {
  if (b == 0) raise(ErrorKind::ZeroDivisionError, "float floor division by zero");
  double mod = std::fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0) {
    if ((b < 0) != (mod < 0)) div -= 1.0;
  }
  double floordiv = 0;
  if (div != 0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, a / b);
  }
  return floordiv;
}

double float_pow(double iv, double iw) {
  // The special cases follow CPython's float_pow.
  if (iw == 0) return 1.0;
  if (std::isnan(iv)) return iv;
  if (std::isnan(iw)) return iv == 1.0 ? 1.0 : iw;
  if (std::isinf(iw)) {
    iv = std::fabs(iv);
    if (iv == 1.0) return 1.0;
    if ((iw > 0) == (iv > 1.0)) return std::fabs(iw);
    return 0.0;
  }
  if (std::isinf(iv)) {
    bool odd = std::fmod(std::fabs(iw), 2.0) == 1.0;
    if (iw > 0) return odd ? iv : std::fabs(iv);
    return odd ? std::copysign(0.0, iv) : 0.0;
  }
  if (iv == 0.0) {
    bool odd = std::fmod(std::fabs(iw), 2.0) == 1.0;
    if (iw < 0) {
      raise(ErrorKind::ZeroDivisionError, "0.0 cannot be raised to a negative power");
    }
    return odd ? iv : 0.0;
  }
  bool negate = false;
  if (iv < 0.0) {
    if (iw != std::floor(iw)) {
      // Python returns a complex number here; the value language has none.
      raise(ErrorKind::ValueError,
            "negative number cannot be raised to a fractional power (complex result)");
    }
    iv = -iv;
    negate = std::fmod(std::fabs(iw), 2.0) == 1.0;
  }
  if (iv == 1.0) return negate ? -1.0 : 1.0;
  errno = 0;
  double ix = std::pow(iv, iw);
  if (std::isinf(ix)) raise(ErrorKind::OverflowError, "(34, 'Numerical result out of range')");
  return negate ? -ix : ix;
}

double float_round(double x, std::int64_t ndigits) {
  if (!std::isfinite(x)) return x;
  if (ndigits > 323) return x;
  if (ndigits < -308) return 0.0 * x;
  if (x == 0) return x;
  // Exact rational arithmetic: x * 10**n rounded half to even, then the nearest double to
  // that decimal. This is what CPython's dtoa-based double_round computes.
  mpq_t q;
  mpq_init(q);
  mpq_set_d(q, x);
  Mpz scale, num, den, quot, rem;
  mpz_ui_pow_ui(scale, 10, static_cast<unsigned long>(ndigits < 0 ? -ndigits : ndigits));
  mpz_set(num, mpq_numref(q));
  mpz_set(den, mpq_denref(q));
  mpq_clear(q);
  if (ndigits >= 0) {
    mpz_mul(num, num, scale);
  } else {
    mpz_mul(den, den, scale);
  }
  mpz_fdiv_qr(quot, rem, num, den);
  mpz_mul_2exp(rem, rem, 1);
  int c = mpz_cmp(rem, den);
  if (c > 0 || (c == 0 && mpz_odd_p(quot))) mpz_add_ui(quot, quot, 1);
  if (mpz_sgn(quot) == 0) return std::copysign(0.0, x);
  std::string text(mpz_sizeinbase(quot, 10) + 2, '\0');
  mpz_get_str(text.data(), 10, quot);
  text.resize(std::strlen(text.c_str()));
  text += 'e';
  text += std::to_string(-ndigits);
  errno = 0;
  double result = std::strtod(text.c_str(), nullptr);
  if (std::isinf(result)) raise(ErrorKind::OverflowError, "rounded value too large to represent");
  return result;
}

double parse_decimal(std::string_view text) {
  double out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec == std::errc() && end == text.data() + text.size()) return out;
  // Out of range (from_chars leaves the value unset): strtod gives inf, 0 or a subnormal.
  return std::strtod(std::string(text).c_str(), nullptr);
}

Value float_round_to_int(double x) {
  double rounded = std::round(x);
  if (std::fabs(x - rounded) == 0.5) rounded = 2.0 * std::round(x / 2.0);
  return float_to_int(rounded);
}

}  // namespace hparams::detail
