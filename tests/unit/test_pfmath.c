/* common/pfmath.c (the firmware's math for Duktape) against the host's libm. */
#include <math.h>
#include "testutil.h"
#include "pfmath.h"

/* Distance in units in the last place; signed zeros and NaNs must match exactly. */
static double ulps(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b) ? 0 : 1e30;
	if (a == b)
		return signbit(a) == signbit(b) ? 0 : 1e30;
	if (signbit(a) != signbit(b) || isinf(a) || isinf(b))
		return 1e30;
	int64_t x, y;
	memcpy(&x, &a, 8);
	memcpy(&y, &b, 8);
	return (double)llabs(x - y);
}

/* A fixed pseudo-random mix: small, medium, huge, tiny and subnormal values, integers, quarters. */
static double sample(uint64_t *s, int kind)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	double r = (double)(*s >> 11) / 9007199254740992.0;
	switch (kind % 6) {
	case 0: return (r - 0.5) * 20;
	case 1: return (r - 0.5) * 2e5;
	case 2: return ldexp(r, (int)(*s % 2000) - 1000) * ((*s >> 7) & 1 ? 1 : -1);
	case 3: return floor((r - 0.5) * 1e4) / 4;
	case 4: return (r - 0.5) * 2;
	default: return (double)(int)(r * 1000);
	}
}

typedef struct {
	const char *name;
	double (*ours)(double);
	double (*libm)(double);
	double max_ulp;
	double max_arg; /* larger |x| not compared (documented limits) */
} unary;

static void test_unary(void **state)
{
	(void)state;
	static const unary fns[] = {
		{ "fabs", pf_fabs, fabs, 0, INFINITY },    { "floor", pf_floor, floor, 0, INFINITY },
		{ "ceil", pf_ceil, ceil, 0, INFINITY },    { "trunc", pf_trunc, trunc, 0, INFINITY },
		{ "sqrt", pf_sqrt, sqrt, 0, INFINITY },    { "exp", pf_exp, exp, 2, INFINITY },
		{ "log", pf_log, log, 2, INFINITY },       { "log2", pf_log2, log2, 3, INFINITY },
		{ "log10", pf_log10, log10, 3, INFINITY }, { "sin", pf_sin, sin, 4, 1e5 },
		{ "cos", pf_cos, cos, 4, 1e5 },            { "tan", pf_tan, tan, 6, 1e5 },
		{ "atan", pf_atan, atan, 3, INFINITY },    { "asin", pf_asin, asin, 4, INFINITY },
		{ "acos", pf_acos, acos, 4, INFINITY },    { "cbrt", pf_cbrt, cbrt, 4, INFINITY },
	};
	static const double specials[] = { 0.0, -0.0, 1, -1, INFINITY, -INFINITY, NAN, 0.5, -0.5, 2, -2, 3,
					   1e-310, -1e-310, 1e308, 5e-324, 0x1p-1022, 709.78, -745.2 };
	for (size_t f = 0; f < PF_ARRAY_SIZE(fns); f++) {
		uint64_t s = 42;
		double worst = 0, at = 0;
		for (int i = 0; i < 60000 + (int)PF_ARRAY_SIZE(specials); i++) {
			double x = i < (int)PF_ARRAY_SIZE(specials) ? specials[i] : sample(&s, i);
			if (fabs(x) > fns[f].max_arg)
				continue;
			double u = ulps(fns[f].ours(x), fns[f].libm(x));
			if (u > worst) {
				worst = u;
				at = x;
			}
		}
		if (worst > fns[f].max_ulp)
			fail_msg("%s(%.17g) = %.17g, libm %.17g (%g ulp)", fns[f].name, at, fns[f].ours(at),
				 fns[f].libm(at), worst);
	}
	/* Beyond the trigonometric limit the results stay sines. */
	assert_true(fabs(pf_sin(1e300)) <= 1 && fabs(pf_cos(-1e22)) <= 1);
	/* What scripts compare exactly. */
	assert_true(pf_log10(1000) == 3 && pf_log2(8) == 3 && pf_cbrt(27) == 3 && pf_cbrt(-8) == -2);
	assert_true(pf_exp(0) == 1 && pf_log(1) == 0 && pf_sin(0) == 0 && pf_cos(0) == 1);
}

static void test_binary(void **state)
{
	(void)state;
	static const double specials[] = { 0.0, -0.0, 1, -1, INFINITY, -INFINITY, NAN, 0.5, -0.5, 2, -2, 3, -3,
					   1e-310, 1e308, 5e-324, 0.25, 10 };
	const size_t n = PF_ARRAY_SIZE(specials);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			double x = specials[i], y = specials[j];
			if (ulps(pf_fmod(x, y), fmod(x, y)) > 0)
				fail_msg("fmod(%g, %g) = %g, libm %g", x, y, pf_fmod(x, y), fmod(x, y));
			if (ulps(pf_pow(x, y), pow(x, y)) > 2)
				fail_msg("pow(%g, %g) = %g, libm %g", x, y, pf_pow(x, y), pow(x, y));
			if (ulps(pf_atan2(x, y), atan2(x, y)) > 2)
				fail_msg("atan2(%g, %g) = %g, libm %g", x, y, pf_atan2(x, y), atan2(x, y));
		}
	uint64_t s = 7;
	for (int i = 0; i < 60000; i++) {
		double x = sample(&s, i), y = sample(&s, i / 6);
		if (ulps(pf_fmod(x, y), fmod(x, y)) > 0) /* exact, always */
			fail_msg("fmod(%.17g, %.17g) = %.17g, libm %.17g", x, y, pf_fmod(x, y), fmod(x, y));
		if (ulps(pf_atan2(x, y), atan2(x, y)) > 3)
			fail_msg("atan2(%.17g, %.17g)", x, y);
		/* pow: within a few ulp. */
		double bx = fabs(fmod(x, 100)), by = fmod(y, 300);
		double want = pow(bx, by), got = pf_pow(bx, by);
		double allowed = 4;
		if (ulps(got, want) > allowed)
			fail_msg("pow(%.17g, %.17g) = %.17g, libm %.17g (%g ulp)", bx, by, got, want, ulps(got, want));
	}
	/* Integer powers that fit are exact (10^22 is the last power of ten a double holds), and so are
	 * their reciprocals' single rounding. */
	for (int e = -22; e <= 22; e++)
		assert_true(pf_pow(10, e) == pow(10, e));
	assert_true(pf_pow(2, -1074) == 5e-324 && pf_pow(-2, 3) == -8 && pf_pow(3, 20) == 3486784401.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unary),
		cmocka_unit_test(test_binary),
	};
	return cmocka_run_group_tests_name("pfmath", tests, NULL, NULL);
}
