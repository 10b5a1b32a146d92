// Python int semantics on int64 with a GMP fallback. Every result passes through make_int so
// that an int that fits int64 is always stored small.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "num/numbers.hpp"

namespace hparams::detail {
namespace {

constexpr std::int64_t kHashModulus = (std::int64_t{1} << 61) - 1;

const BigIntObject& big(const Value& v) { return ValueAccess::as<BigIntObject>(v); }

Value big_result(Mpz& z) { return make_int(z.get()); }

}  // namespace

Mpz::Mpz(const Value& v) {
  mpz_init(z_);
  std::int64_t small = 0;
  if (small_int(v, small)) {
    set(small);
  } else {
    mpz_set(z_, big(v).z);
  }
}

void Mpz::set(std::int64_t v) {
  if (v >= std::numeric_limits<long>::min() && v <= std::numeric_limits<long>::max()) {
    mpz_set_si(z_, static_cast<long>(v));
  } else {
    // long is 64-bit on our targets; keep a portable path anyway.
    bool negative = v < 0;
    auto magnitude = negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    mpz_import(z_, 1, 1, sizeof(magnitude), 0, 0, &magnitude);
    if (negative) mpz_neg(z_, z_);
  }
}

Value make_int(mpz_srcptr z) {
  if (mpz_fits_slong_p(z)) return Value(static_cast<long>(mpz_get_si(z)));
  std::size_t limbs = mpz_size(z);
  account(limbs * sizeof(mp_limb_t) + 48);
  charge_work(limbs);
  auto* object = new BigIntObject();
  mpz_set(object->z, z);
  return ValueAccess::adopt(Tag::BigInt, object);
}

void check_int_bits(std::size_t bits) {
  if (bits > kMaxIntBits) {
    raise(ErrorKind::MemoryError, "integer result too large for the sandbox (more than " +
                                      std::to_string(kMaxIntBits) + " bits)");
  }
}

int int_sign(const Value& a) {
  std::int64_t s = 0;
  if (small_int(a, s)) return s < 0 ? -1 : (s > 0 ? 1 : 0);
  return mpz_sgn(big(a).z);
}

std::size_t int_bit_length(const Value& a) {
  std::int64_t s = 0;
  if (small_int(a, s)) {
    auto m = s < 0 ? 0 - static_cast<std::uint64_t>(s) : static_cast<std::uint64_t>(s);
    return m == 0 ? 0 : 64 - static_cast<std::size_t>(__builtin_clzll(m));
  }
  return mpz_sizeinbase(big(a).z, 2);
}

Value int_add(const Value& a, const Value& b) {
  std::int64_t x = 0, y = 0, r = 0;
  if (small_int(a, x) && small_int(b, y) && !__builtin_add_overflow(x, y, &r)) return Value(r);
  Mpz za(a), zb(b);
  mpz_add(za, za, zb);
  return big_result(za);
}

Value int_sub(const Value& a, const Value& b) {
  std::int64_t x = 0, y = 0, r = 0;
  if (small_int(a, x) && small_int(b, y) && !__builtin_sub_overflow(x, y, &r)) return Value(r);
  Mpz za(a), zb(b);
  mpz_sub(za, za, zb);
  return big_result(za);
}

Value int_mul(const Value& a, const Value& b) {
  std::int64_t x = 0, y = 0, r = 0;
  if (small_int(a, x) && small_int(b, y) && !__builtin_mul_overflow(x, y, &r)) return Value(r);
  check_int_bits(int_bit_length(a) + int_bit_length(b));
  charge_work((int_bit_length(a) + int_bit_length(b)) / 64 * 2);
  Mpz za(a), zb(b);
  mpz_mul(za, za, zb);
  return big_result(za);
}

// Dividing big ints costs about three multiplications of their size (GMP, measured: a
// 1M-bit division takes 10 ms on the reference machine, about 200,000 steps).
static void charge_division(const Value& a, const Value& b) {
  charge_work((int_bit_length(a) + int_bit_length(b)) / 10);
}

Value int_floordiv(const Value& a, const Value& b) {
  if (int_sign(b) == 0) raise(ErrorKind::ZeroDivisionError, "integer division or modulo by zero");
  std::int64_t x = 0, y = 0;
  if (small_int(a, x) && small_int(b, y) &&
      !(x == std::numeric_limits<std::int64_t>::min() && y == -1)) {
    std::int64_t q = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
    return Value(q);
  }
  charge_division(a, b);
  Mpz za(a), zb(b);
  mpz_fdiv_q(za, za, zb);
  return big_result(za);
}

Value int_mod(const Value& a, const Value& b) {
  if (int_sign(b) == 0) raise(ErrorKind::ZeroDivisionError, "integer division or modulo by zero");
  std::int64_t x = 0, y = 0;
  if (small_int(a, x) && small_int(b, y)) {
    if (y == -1) return Value(0);
    std::int64_t r = x % y;
    if (r != 0 && ((r < 0) != (y < 0))) r += y;
    return Value(r);
  }
  charge_division(a, b);
  Mpz za(a), zb(b);
  mpz_fdiv_r(za, za, zb);
  return big_result(za);
}

Value int_neg(const Value& a) {
  std::int64_t x = 0;
  if (small_int(a, x) && x != std::numeric_limits<std::int64_t>::min()) return Value(-x);
  Mpz za(a);
  mpz_neg(za, za);
  return big_result(za);
}

Value int_invert(const Value& a) {
  std::int64_t x = 0;
  if (small_int(a, x)) return Value(~x);
  Mpz za(a);
  mpz_com(za, za);
  return big_result(za);
}

Value int_abs(const Value& a) {
  return int_sign(a) < 0 ? int_neg(a) : (tag_of(a) == Tag::Bool ? Value(ValueAccess::small(a)) : a);
}

Value int_pow(const Value& a, const Value& b) {
  std::int64_t base = 0, exponent = 0;
  bool small_exponent = small_int(b, exponent);
  if (small_int(a, base)) {
    if (base == 0) return Value(int_sign(b) == 0 ? 1 : 0);
    if (base == 1) return Value(1);
    if (base == -1) {
      if (small_exponent) return Value((exponent & 1) ? -1 : 1);
      return Value(mpz_odd_p(big(b).z) ? -1 : 1);
    }
  }
  if (!small_exponent) check_int_bits(kMaxIntBits + 1);
  // |a| ** b has about b * bit_length(a) bits.
  auto bits = int_bit_length(a);
  if (exponent > 0 && static_cast<double>(bits - 1) * static_cast<double>(exponent) > kMaxIntBits) {
    check_int_bits(kMaxIntBits + 1);
  }
  if (small_int(a, base)) {
    std::int64_t result = 1, factor = base;
    std::int64_t e = exponent;
    bool overflow = false;
    while (e > 0 && !overflow) {
      if (e & 1) overflow = __builtin_mul_overflow(result, factor, &result);
      e >>= 1;
      if (e > 0 && !overflow) overflow = __builtin_mul_overflow(factor, factor, &factor);
    }
    if (!overflow) return Value(result);
  }
  // A big power costs about a few multiplications of the result's size: charge it first.
  charge_work(
      static_cast<std::uint64_t>(static_cast<double>(bits) * static_cast<double>(exponent) / 64.0) *
      8);
  Mpz za(a);
  mpz_pow_ui(za, za, static_cast<unsigned long>(exponent));
  return big_result(za);
}

Value int_powmod(const Value& a, const Value& b, const Value& m) {
  if (int_sign(m) == 0) raise(ErrorKind::ValueError, "pow() 3rd argument cannot be 0");
  Mpz za(a), zb(b), zm(m);
  bool negative_modulus = mpz_sgn(zm) < 0;
  if (negative_modulus) mpz_neg(zm, zm);
  if (mpz_sgn(zb) < 0) {
    if (mpz_invert(za, za, zm) == 0) {
      raise(ErrorKind::ValueError, "base is not invertible for the given modulus");
    }
    mpz_neg(zb, zb);
  }
  // One modular multiplication per bit of the exponent, each costing about n^1.6 limb
  // operations for an n-limb modulus (measured: a 40,000-bit exponent and modulus take 5.3 s,
  // 40,000 bits modulo a 6,400-bit modulus 0.34 s). Charged before the work starts.
  const double limbs = static_cast<double>(mpz_size(zm.get()));
  const double per_bit = std::max(1.0, std::pow(limbs, 1.6) / 10.0);
  const double cost = static_cast<double>(mpz_sizeinbase(zb.get(), 2)) * per_bit;
  charge_work(cost > 1e18 ? std::uint64_t{1} << 62 : static_cast<std::uint64_t>(cost));
  Mpz result;
  mpz_powm(result, za, zb, zm);
  // Python's result takes the modulus's sign.
  if (negative_modulus && mpz_sgn(result) != 0) mpz_sub(result, result, zm);
  return big_result(result);
}

Value int_lshift(const Value& a, const Value& b) {
  if (int_sign(b) < 0) raise(ErrorKind::ValueError, "negative shift count");
  if (int_sign(a) == 0) return Value(0);
  std::int64_t n = 0;
  if (!small_int(b, n)) raise(ErrorKind::OverflowError, "too many digits in integer");
  check_int_bits(int_bit_length(a) + static_cast<std::size_t>(n));
  std::int64_t x = 0;
  if (small_int(a, x) && n < 63) {
    std::int64_t shifted = static_cast<std::int64_t>(static_cast<std::uint64_t>(x) << n);
    if ((shifted >> n) == x) return Value(shifted);
  }
  Mpz za(a);
  mpz_mul_2exp(za, za, static_cast<mp_bitcnt_t>(n));
  return big_result(za);
}

Value int_rshift(const Value& a, const Value& b) {
  if (int_sign(b) < 0) raise(ErrorKind::ValueError, "negative shift count");
  std::int64_t n = 0;
  if (!small_int(b, n) || static_cast<std::size_t>(n) >= int_bit_length(a) + 1) {
    return Value(int_sign(a) < 0 ? -1 : 0);
  }
  std::int64_t x = 0;
  if (small_int(a, x)) return Value(n >= 64 ? (x < 0 ? -1 : 0) : (x >> n));
  Mpz za(a);
  mpz_fdiv_q_2exp(za, za, static_cast<mp_bitcnt_t>(n));
  return big_result(za);
}

Value int_bitop(char op, const Value& a, const Value& b) {
  std::int64_t x = 0, y = 0;
  if (small_int(a, x) && small_int(b, y)) {
    std::int64_t r = op == '&' ? (x & y) : op == '|' ? (x | y) : (x ^ y);
    return Value(r);
  }
  Mpz za(a), zb(b);
  if (op == '&') {
    mpz_and(za, za, zb);
  } else if (op == '|') {
    mpz_ior(za, za, zb);
  } else {
    mpz_xor(za, za, zb);
  }
  return big_result(za);
}

double int_to_double(const Value& a) {
  std::int64_t x = 0;
  if (small_int(a, x)) {
    // Conversion of an int64 to double rounds to nearest even in hardware.
    return static_cast<double>(x);
  }
  Mpz z(a);
  int sign = mpz_sgn(z);
  mpz_abs(z, z);
  std::size_t bits = mpz_sizeinbase(z, 2);
  if (bits <= 53) return sign * mpz_get_d(z);
  if (bits > 1024) raise(ErrorKind::OverflowError, "int too large to convert to float");
  // Keep 54 bits plus a sticky bit, then round half to even to 53.
  std::size_t drop = bits - 54;
  bool sticky = mpz_scan1(z, 0) < drop;
  mpz_fdiv_q_2exp(z, z, drop);
  std::uint64_t q = mpz_get_ui(z);
  std::uint64_t mantissa = q >> 1;
  if ((q & 1) && (sticky || (mantissa & 1))) ++mantissa;
  double result = std::ldexp(static_cast<double>(mantissa), static_cast<int>(drop + 1));
  if (std::isinf(result)) raise(ErrorKind::OverflowError, "int too large to convert to float");
  return sign * result;
}

double int_truediv(const Value& a, const Value& b) {
  if (int_sign(b) == 0) raise(ErrorKind::ZeroDivisionError, "division by zero");
  std::int64_t x = 0, y = 0;
  constexpr std::int64_t kExact = std::int64_t{1} << 53;
  if (small_int(a, x) && small_int(b, y) && x > -kExact && x < kExact && y > -kExact &&
      y < kExact) {
    return static_cast<double>(x) / static_cast<double>(y);
  }
  Mpz num(a), den(b);
  int sign = mpz_sgn(num) * mpz_sgn(den);
  if (sign == 0) return 0.0 * (mpz_sgn(den));
  mpz_abs(num, num);
  mpz_abs(den, den);
  long na = static_cast<long>(mpz_sizeinbase(num, 2));
  long nb = static_cast<long>(mpz_sizeinbase(den, 2));
  if (na - nb > 1025)
    raise(ErrorKind::OverflowError, "integer division result too large for a float");
  if (na - nb < -1080) return sign * 0.0;
  // Scale so that the quotient has at least 55 significant bits.
  long k = 55 - (na - nb);
  if (k >= 0) {
    mpz_mul_2exp(num, num, static_cast<mp_bitcnt_t>(k));
  } else {
    mpz_mul_2exp(den, den, static_cast<mp_bitcnt_t>(-k));
  }
  Mpz q, r;
  mpz_tdiv_qr(q, r, num, den);
  bool sticky = mpz_sgn(r) != 0;
  long qbits = static_cast<long>(mpz_sizeinbase(q, 2));
  long leading_exponent = qbits - 1 - k;  // value ~ 2**leading_exponent
  long precision = 53;
  if (leading_exponent < -1022) precision = 53 - (-1022 - leading_exponent);
  long drop = qbits - precision;
  if (drop < 1) drop = 1;  // never less than one rounding bit: q has >= 55 bits anyway
  if (drop > qbits + 1) {
    return sign * 0.0;
  }
  bool lost_below_half = mpz_scan1(q, 0) < static_cast<mp_bitcnt_t>(drop - 1);
  bool half_bit = mpz_tstbit(q, static_cast<mp_bitcnt_t>(drop - 1));
  mpz_fdiv_q_2exp(q, q, static_cast<mp_bitcnt_t>(drop));
  if (half_bit && (sticky || lost_below_half || mpz_odd_p(q))) mpz_add_ui(q, q, 1);
  double mantissa = mpz_get_d(q);  // at most 54 bits, exact
  double result = std::ldexp(mantissa, static_cast<int>(drop - k));
  if (std::isinf(result)) {
    raise(ErrorKind::OverflowError, "integer division result too large for a float");
  }
  return sign * result;
}

int int_compare(const Value& a, const Value& b) {
  std::int64_t x = 0, y = 0;
  if (small_int(a, x) && small_int(b, y)) return x < y ? -1 : (x > y ? 1 : 0);
  Mpz za(a), zb(b);
  int c = mpz_cmp(za, zb);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int int_float_compare(const Value& a, double f) {
  if (std::isinf(f)) return f > 0 ? -1 : 1;
  std::int64_t x = 0;
  constexpr std::int64_t kExact = std::int64_t{1} << 53;
  if (small_int(a, x) && x > -kExact && x < kExact) {
    double d = static_cast<double>(x);
    return d < f ? -1 : (d > f ? 1 : 0);
  }
  Mpz za(a);
  int c = mpz_cmp_d(za, f);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

Value float_to_int(double f) {
  if (std::isnan(f)) raise(ErrorKind::ValueError, "cannot convert float NaN to integer");
  if (std::isinf(f)) raise(ErrorKind::OverflowError, "cannot convert float infinity to integer");
  double t = std::trunc(f);
  if (t >= -9.2e18 && t <= 9.2e18) return Value(static_cast<std::int64_t>(t));
  Mpz z;
  mpz_set_d(z, t);
  return big_result(z);
}

std::string int_to_decimal(const Value& a) {
  std::int64_t x = 0;
  if (small_int(a, x)) return std::to_string(x);
  const auto& z = big(a).z;
  std::size_t bits = mpz_sizeinbase(z, 2);
  // Python checks the digit count before converting; bits * log10(2) bounds it.
  if (bits > 14284) {  // more than 4300 digits for sure
    raise(ErrorKind::ValueError,
          "Exceeds the limit (4300 digits) for integer string conversion; use "
          "sys.set_int_max_str_digits() to increase the limit");
  }
  std::string out(mpz_sizeinbase(z, 10) + 2, '\0');
  mpz_get_str(out.data(), 10, z);
  out.resize(std::strlen(out.c_str()));
  std::size_t digits = out.size() - (out[0] == '-' ? 1 : 0);
  if (digits > kMaxStrDigits) {
    raise(ErrorKind::ValueError,
          "Exceeds the limit (4300 digits) for integer string conversion; use "
          "sys.set_int_max_str_digits() to increase the limit");
  }
  return out;
}

std::string int_to_base_abs(const Value& a, int base) {
  Mpz z(a);
  mpz_abs(z, z);
  std::string out(mpz_sizeinbase(z, base) + 2, '\0');
  mpz_get_str(out.data(), base, z);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Value int_from_digits(std::string_view digits, int base) {
  bool power_of_two = (base & (base - 1)) == 0;
  if (!power_of_two && digits.size() > kMaxStrDigits) {
    raise(ErrorKind::ValueError,
          "Exceeds the limit (4300 digits) for integer string conversion: value has " +
              std::to_string(digits.size()) +
              " digits; use sys.set_int_max_str_digits() to increase the limit");
  }
  if (digits.size() <= 18 && base == 10) {
    std::int64_t v = 0;
    for (char c : digits) v = v * 10 + (c - '0');
    return Value(v);
  }
  if (power_of_two) check_int_bits(digits.size() * 5);
  std::string text(digits);
  Mpz z;
  if (mpz_set_str(z, text.c_str(), base) != 0) raise(ErrorKind::ValueError, "invalid digits");
  return big_result(z);
}

Value int_round(const Value& a, std::int64_t ndigits) {
  // round(a, -k): nearest multiple of 10**k, ties to even multiple.
  std::size_t k = static_cast<std::size_t>(-ndigits);
  if (k > kMaxStrDigits + 20) return Value(0);
  Mpz z(a), unit, q, r;
  mpz_ui_pow_ui(unit, 10, k);
  mpz_fdiv_qr(q, r, z, unit);
  mpz_mul_2exp(r, r, 1);
  int c = mpz_cmp(r, unit);
  if (c > 0 || (c == 0 && mpz_odd_p(q))) mpz_add_ui(q, q, 1);
  mpz_mul(q, q, unit);
  return big_result(q);
}

std::int64_t int_hash(const Value& a) {
  std::int64_t x = 0;
  std::int64_t h = 0;
  if (small_int(a, x)) {
    if (x == std::numeric_limits<std::int64_t>::min()) {
      h = -static_cast<std::int64_t>((std::uint64_t{1} << 63) %
                                     static_cast<std::uint64_t>(kHashModulus));
    } else {
      std::int64_t m = x < 0 ? -x : x;
      h = m % kHashModulus;
      if (x < 0) h = -h;
    }
  } else {
    Mpz z(a), mod;
    int sign = mpz_sgn(z);
    mpz_abs(z, z);
    mpz_set_si(mod, 1);
    mpz_mul_2exp(mod, mod, 61);
    mpz_sub_ui(mod, mod, 1);
    mpz_mod(z, z, mod);
    h = static_cast<std::int64_t>(mpz_get_ui(z)) * sign;
  }
  return h == -1 ? -2 : h;
}

}  // namespace hparams::detail
