/*
 * The math functions of Duktape's Math object and Date arithmetic, for a firmware without libm.
 *
 * The exact ones (fabs, trunc, floor, ceil, fmod, sqrt) are exact here too: they work on the bits,
 * fmod by long division of the significands, sqrt by the SSE2 instruction. The transcendental ones
 * reduce their argument with constants split into parts whose products with the reduction count are
 * exact (Cody and Waite), then sum a Taylor series in Horner form; they are within a few units in
 * the last place of glibc's for the arguments a script meets (test_pfmath checks). Not done: exact
 * reduction of huge trigonometric arguments (above about 1e6 the result stays within [-1, 1] but
 * drifts from the true value) and correctly rounded results (pow: y log x is carried in
 * double-double, so the result is within a few units in the last place like exp's; integer powers
 * that fit in a double are exact).
 * Number parsing and printing never come here: Duktape does both exactly with its own big integers.
 */
#include "pfmath.h"
#include <stdbool.h>
#include <stdint.h>

static uint64_t bits_of(double x)
{
	union { double d; uint64_t u; } v = { .d = x };
	return v.u;
}

static double from_bits(uint64_t u)
{
	union { double d; uint64_t u; } v = { .u = u };
	return v.d;
}

static int is_nan(double x)
{
	return (bits_of(x) & ~(1ull << 63)) > 0x7ff0000000000000ull;
}

static int is_inf(double x)
{
	return (bits_of(x) & ~(1ull << 63)) == 0x7ff0000000000000ull;
}

/* 2^k for -1074 <= k <= 1023, exactly. */
static double pow2(int k)
{
	if (k >= -1022)
		return from_bits((uint64_t)(k + 1023) << 52);
	return from_bits(1ull << (k + 1074));
}

/* x * 2^k for any k, in steps that stay representable until the last. */
static double scale2(double x, int k)
{
	while (k > 1023) {
		x *= pow2(1023);
		k -= 1023;
	}
	while (k < -1022) {
		x *= pow2(-1022);
		k += 1022;
	}
	return x * pow2(k);
}

static const double PI_HI = 0x1.921fb54442d18p+1, PI_LO = 1.2246467991473532e-16;
static const double PIO2_HI = 0x1.921fb54442d18p+0, PIO2_LO = 6.123233995736766e-17;
static const double LN2_HI = 0x1.62e42fee00000p-1, LN2_LO = 1.9082149292705877e-10;
static const double NAN_VALUE = __builtin_nan("");
static const double INF_VALUE = __builtin_inf();

double pf_fabs(double x)
{
	return from_bits(bits_of(x) & ~(1ull << 63));
}

double pf_trunc(double x)
{
	uint64_t u = bits_of(x);
	int e = (int)((u >> 52) & 0x7ff) - 1023;
	if (e >= 52)
		return x; /* already an integer, or NaN or infinite */
	if (e < 0)
		return from_bits(u & (1ull << 63)); /* |x| < 1: a zero of x's sign */
	return from_bits(u & ~((1ull << (52 - e)) - 1));
}

double pf_floor(double x)
{
	double t = pf_trunc(x);
	return (x < 0 && t != x) ? t - 1.0 : t;
}

double pf_ceil(double x)
{
	double t = pf_trunc(x);
	return (x > 0 && t != x) ? t + 1.0 : t;
}

/* |x| = m * 2^e with m an integer below 2^53; x finite and nonzero. */
static void split(double x, uint64_t *m, int *e)
{
	uint64_t u = bits_of(x);
	int be = (int)((u >> 52) & 0x7ff);
	*m = u & ((1ull << 52) - 1);
	if (be) {
		*m |= 1ull << 52;
		*e = be - 1075;
	} else {
		*e = -1074;
	}
}

double pf_fmod(double x, double y)
{
	if (is_nan(x) || is_nan(y) || is_inf(x) || y == 0)
		return NAN_VALUE;
	if (is_inf(y) || x == 0 || pf_fabs(x) < pf_fabs(y))
		return x;
	uint64_t mx, my;
	int ex, ey;
	split(x, &mx, &ex);
	split(y, &my, &ey);
	/* The remainder of (mx * 2^(ex-ey)) / my, ten bits of the quotient at a time: mx < my < 2^53
	 * after each step, so mx << 10 stays below 2^63. The result is a multiple of y's unit, below
	 * |y|, hence exact. */
	while (ex > ey) {
		mx %= my;
		int sh = ex - ey > 10 ? 10 : ex - ey;
		mx <<= sh;
		ex -= sh;
	}
	mx %= my; /* ex >= ey always: |x| >= |y|, and subnormals share the exponent of the smallest normals */
	double r = scale2((double)mx, ey);
	return x < 0 ? -r : r;
}

double pf_sqrt(double x)
{
	double r;
#if defined(__aarch64__)
	__asm__("fsqrt %d0, %d1" : "=w"(r) : "w"(x));
#else
	__asm__("sqrtsd %1, %0" : "=x"(r) : "x"(x));
#endif
	return r;
}

double pf_exp(double x)
{
	if (is_nan(x))
		return x;
	if (x > 709.782712893384)
		return INF_VALUE;
	if (x < -745.1332191019412)
		return 0.0;
	/* x = k ln2 + r with |r| <= ln2 / 2; exp(r) by its series to r^14 / 14!. */
	double kd = pf_floor(x * 1.4426950408889634 + 0.5);
	int k = (int)kd;
	double r = (x - kd * LN2_HI) - kd * LN2_LO;
	double p = 1.0;
	for (int n = 14; n >= 1; n--)
		p = 1.0 + p * r / n;
	return scale2(p, k);
}

/* log(m) for m in [sqrt(1/2), sqrt(2)): 2 atanh(s) with s = (m - 1) / (m + 1), |s| < 0.172. */
static double log_near1(double m)
{
	double f = m - 1.0;
	double s = f / (2.0 + f), z = s * s;
	double p = 0.0;
	for (int n = 12; n >= 1; n--)
		p = z * (1.0 / (2 * n + 1) + p);
	return 2.0 * s + 2.0 * s * p;
}

/* x = m * 2^e, m in [sqrt(1/2), sqrt(2)); x positive and finite. */
static double reduce_log(double x, int *e)
{
	int extra = 0;
	if (x < 0x1p-1022) {
		x *= 0x1p54;
		extra = -54;
	}
	uint64_t u = bits_of(x);
	int be = (int)((u >> 52) & 0x7ff) - 1023;
	double m = from_bits((u & ((1ull << 52) - 1)) | (1023ull << 52));
	if (m > 1.4142135623730951) {
		m *= 0.5;
		be++;
	}
	*e = be + extra;
	return m;
}

static int log_special(double x, double *ret)
{
	if (is_nan(x) || x < 0) {
		*ret = NAN_VALUE;
		return 1;
	}
	if (x == 0) {
		*ret = -INF_VALUE;
		return 1;
	}
	if (is_inf(x)) {
		*ret = x;
		return 1;
	}
	return 0;
}

double pf_log(double x)
{
	double r;
	if (log_special(x, &r))
		return r;
	int e;
	double m = reduce_log(x, &e);
	return e * LN2_HI + (e * LN2_LO + log_near1(m));
}

double pf_log2(double x)
{
	double r;
	if (log_special(x, &r))
		return r;
	int e;
	double m = reduce_log(x, &e);
	return e + log_near1(m) * 1.4426950408889634; /* exact for powers of two */
}

double pf_log10(double x)
{
	double r = pf_log(x) * 0.4342944819032518;
	if (is_nan(r) || is_inf(r))
		return r;
	/* Powers of ten give their exponent exactly (Math.log10(1000) === 3). */
	double k = pf_floor(r + 0.5);
	if (k >= 0 && k <= 22 && pf_pow(10.0, k) == x)
		return k;
	return r;
}

/* Exact sums and products of doubles as an unevaluated pair hi + lo (Knuth's TwoSum, Dekker's
 * product with Veltkamp's split), for the extra bits pow needs. */
static void two_sum(double a, double b, double *hi, double *lo)
{
	double s = a + b, bb = s - a;
	*hi = s;
	*lo = (a - (s - bb)) + (b - bb);
}

static void two_prod(double a, double b, double *hi, double *lo)
{
	double p = a * b;
	double ca = 134217729.0 * a, ah = ca - (ca - a), al = a - ah;
	double cb = 134217729.0 * b, bh = cb - (cb - b), bl = b - bh;
	*hi = p;
	*lo = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/* log(x) as hi + lo, some ten bits beyond a double: x = m 2^e, log m = 2s + s^3 P(s^2) with
 * s = f / (2 + f), f = m - 1 (exact), s carried as two parts; x positive and finite. */
static void log_dd(double x, double *hi, double *lo)
{
	int e;
	double m = reduce_log(x, &e);
	double f = m - 1.0;
	double u_hi, u_lo, q_hi, q_lo;
	two_sum(2.0, f, &u_hi, &u_lo); /* 2 + f exactly */
	double s_hi = f / u_hi;
	two_prod(s_hi, u_hi, &q_hi, &q_lo);
	double s_lo = ((f - q_hi) - q_lo - s_hi * u_lo) / u_hi; /* f - s_hi (2 + f), divided back */
	double z = s_hi * s_hi, p = 0.0;
	for (int n = 12; n >= 1; n--)
		p = z * (1.0 / (2 * n + 1) + p);
	double tail = 2.0 * s_hi * p;
	double a_hi, a_lo;
	two_sum(e * LN2_HI, 2.0 * s_hi, &a_hi, &a_lo);
	two_sum(a_hi, a_lo + (e * LN2_LO + (2.0 * s_lo + tail)), hi, lo);
}

/* exp(y log x): y log x to some 64 bits, then exp(hi) (1 + lo). */
static double exp_of_product(double y, double x)
{
	double l_hi, l_lo, p_hi, p_lo;
	log_dd(x, &l_hi, &l_lo);
	double t = y * l_hi;
	if (t > 800 || t < -800 || is_nan(t) || pf_fabs(y) > 0x1p900)
		return pf_exp(t); /* overflow or underflow either way, or 1 (no split of a huge y) */
	two_prod(y, l_hi, &p_hi, &p_lo);
	p_lo += y * l_lo;
	double r_hi, r_lo;
	two_sum(p_hi, p_lo, &r_hi, &r_lo);
	double e = pf_exp(r_hi);
	if (is_inf(e) || e == 0)
		return e;
	return e + e * r_lo;
}

/* x^n for an integer n >= 0 by squaring, if every product is exact (Dekker's error term zero, no
 * overflow, far from underflow): then the result is exact. False otherwise. */
static bool pow_uint_exact(double x, uint64_t n, double *ret)
{
	double r = 1.0, hi, lo;
	while (n) {
		if (n & 1) {
			two_prod(r, x, &hi, &lo);
			if (lo != 0 || is_inf(hi) || pf_fabs(hi) < 0x1p-900)
				return false;
			r = hi;
		}
		n >>= 1;
		if (n) {
			two_prod(x, x, &hi, &lo);
			if (lo != 0 || is_inf(hi) || pf_fabs(hi) < 0x1p-900)
				return false;
			x = hi;
		}
	}
	*ret = r;
	return true;
}

double pf_pow(double x, double y)
{
	if (y == 0)
		return 1.0;
	if (x == 1.0)
		return 1.0;
	if (is_nan(x) || is_nan(y))
		return NAN_VALUE;
	double ay = pf_fabs(y), ax = pf_fabs(x);
	int y_int = pf_trunc(y) == y;
	int y_odd = y_int && ay < 0x1p53 && pf_fmod(ay, 2.0) == 1.0;
	if (is_inf(y)) {
		if (ax == 1.0)
			return 1.0;
		return (ax < 1.0) == (y > 0) ? 0.0 : INF_VALUE;
	}
	if (x == 0) {
		double r = y < 0 ? INF_VALUE : 0.0;
		return (y_odd && bits_of(x) >> 63) ? -r : r;
	}
	if (is_inf(x)) {
		double r = y < 0 ? 0.0 : INF_VALUE;
		return (y_odd && x < 0) ? -r : r;
	}
	if (x < 0 && !y_int)
		return NAN_VALUE;
	double r;
	if (y_int && ay < 0x1p53 && pow_uint_exact(ax, (uint64_t)ay, &r)) {
		if (y < 0)
			r = 1.0 / r; /* one rounding: 10**-3 is the double nearest 0.001 */
	} else if (y == 0.5) {
		r = pf_sqrt(ax); /* common enough to be exact */
	} else {
		r = exp_of_product(y, ax);
	}
	return (x < 0 && y_odd) ? -r : r;
}

/* sin and cos on [-pi/4, pi/4], by their series to r^17 and r^16. */
static double sin_kernel(double r)
{
	double z = r * r, p = 0.0;
	for (int n = 8; n >= 1; n--)
		p = -z / ((2.0 * n) * (2.0 * n + 1)) * (1.0 + p);
	return r + r * p;
}

static double cos_kernel(double r)
{
	double z = r * r, p = 0.0;
	for (int n = 8; n >= 1; n--)
		p = -z / ((2.0 * n - 1) * (2.0 * n)) * (1.0 + p);
	return 1.0 + p;
}

/* x = k pi/2 + r, |r| <= pi/4 (a little more for huge x); returns k mod 4. pi/2 in four parts of
 * 33 bits each, so that k times each part is exact for |k| < 2^20. */
static int reduce_trig(double x, double *ret)
{
	static const double P1 = 0x1.921fb544p+0, P2 = 0x1.0b4611a6p-34, P3 = 0x1.3198a2ep-69,
			    P4 = 0x1.b839a252049c1p-104;
	int q = 0;
	/* One pass for |x| below about 1e6; above, repeated passes keep r within [-pi/4, pi/4] but the
	 * parts' products are no longer exact and the result drifts from the true sine (documented). */
	do {
		double kd = pf_floor(x * 0.6366197723675814 + 0.5);
		x = (((x - kd * P1) - kd * P2) - kd * P3) - kd * P4;
		q = (q + ((int)(int64_t)pf_fmod(kd, 4.0) & 3)) & 3; /* -1 & 3 is 3: k mod 4 for a negative k too */
	} while (pf_fabs(x) > 0.7853981633974484);
	*ret = x;
	return q;
}

double pf_sin(double x)
{
	if (is_nan(x) || is_inf(x))
		return NAN_VALUE;
	if (pf_fabs(x) < 0x1p-26)
		return x;
	double r;
	switch (reduce_trig(x, &r)) {
	case 0: return sin_kernel(r);
	case 1: return cos_kernel(r);
	case 2: return -sin_kernel(r);
	default: return -cos_kernel(r);
	}
}

double pf_cos(double x)
{
	if (is_nan(x) || is_inf(x))
		return NAN_VALUE;
	double r;
	switch (reduce_trig(x, &r)) {
	case 0: return cos_kernel(r);
	case 1: return -sin_kernel(r);
	case 2: return -cos_kernel(r);
	default: return sin_kernel(r);
	}
}

double pf_tan(double x)
{
	if (is_nan(x) || is_inf(x))
		return NAN_VALUE;
	if (pf_fabs(x) < 0x1p-26)
		return x;
	double r;
	int q = reduce_trig(x, &r);
	double s = sin_kernel(r), c = cos_kernel(r);
	return (q & 1) ? -c / s : s / c;
}

/* atan on [0, 1]: above 2 - sqrt(3), shifted by pi/6 (atan t = pi/6 + atan((t sqrt3 - 1) / (t + sqrt3))),
 * then the series to u^31 (|u| <= 0.268). */
static double atan_01(double t)
{
	static const double PI6_HI = 0.5235987755982989, PI6_LO = -5.360408832255455e-17;
	static const double SQRT3 = 1.7320508075688772;
	int shifted = t > 0.2679491924311227;
	double u = shifted ? (t * SQRT3 - 1.0) / (t + SQRT3) : t;
	double z = u * u, p = 0.0;
	for (int n = 15; n >= 1; n--)
		p = z * (((n & 1) ? -1.0 : 1.0) / (2 * n + 1) + p);
	double a = u + u * p;
	return shifted ? PI6_HI + (PI6_LO + a) : a;
}

double pf_atan(double x)
{
	if (is_nan(x))
		return x;
	double ax = pf_fabs(x), r;
	if (ax > 0x1p66)
		r = PIO2_HI;
	else if (ax > 1.0)
		r = PIO2_HI + (PIO2_LO - atan_01(1.0 / ax));
	else
		r = atan_01(ax);
	return bits_of(x) >> 63 ? -r : r;
}

double pf_atan2(double y, double x)
{
	if (is_nan(x) || is_nan(y))
		return NAN_VALUE;
	int yneg = (int)(bits_of(y) >> 63), xneg = (int)(bits_of(x) >> 63);
	double r;
	if (y == 0)
		r = xneg ? PI_HI : 0.0;
	else if (is_inf(y))
		r = is_inf(x) ? (xneg ? 3 * (PI_HI / 4) : PI_HI / 4) : PIO2_HI;
	else if (x == 0)
		r = PIO2_HI;
	else if (is_inf(x))
		r = xneg ? PI_HI : 0.0;
	else {
		double a = pf_atan(pf_fabs(y / x));
		r = xneg ? PI_HI + (PI_LO - a) : a;
	}
	return yneg ? -r : r;
}

double pf_asin(double x)
{
	if (is_nan(x) || pf_fabs(x) > 1.0)
		return NAN_VALUE;
	return pf_atan2(x, pf_sqrt((1.0 - x) * (1.0 + x)));
}

double pf_acos(double x)
{
	if (is_nan(x) || pf_fabs(x) > 1.0)
		return NAN_VALUE;
	return pf_atan2(pf_sqrt((1.0 - x) * (1.0 + x)), x);
}

double pf_cbrt(double x)
{
	if (is_nan(x) || is_inf(x) || x == 0)
		return x;
	double a = pf_fabs(x);
	int extra = 0;
	if (a < 0x1p-1022) {
		a *= 0x1p54;
		extra = -18;
	}
	/* a = b 2^(3q) with b in [1, 8): Newton's iteration on b alone (no overflow in y^3), from 1.5. */
	int e = (int)((bits_of(a) >> 52) & 0x7ff) - 1023;
	int q = e >= 0 ? e / 3 : -((-e + 2) / 3); /* floor(e / 3) */
	double b = scale2(a, -3 * q), y = 1.5;
	for (int i = 0; i < 8; i++)
		y = y - (y * y * y - b) / (3.0 * y * y);
	double k = pf_floor(y + 0.5);
	if (k * k * k == b)
		y = k; /* perfect cubes exactly */
	y = scale2(y, q + extra);
	return x < 0 ? -y : y;
}
