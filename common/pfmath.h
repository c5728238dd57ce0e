/* The C math functions Duktape needs (common/pac_duk_config.h), written here so that the firmware
 * build has them and the host build runs the same code; test_pfmath compares them with libm. */
#ifndef PF_PFMATH_H
#define PF_PFMATH_H

/* Exact: the result is the correctly rounded (here: exact) value, as C99 specifies. */
double pf_fabs(double x);
double pf_floor(double x);
double pf_ceil(double x);
double pf_trunc(double x);
double pf_fmod(double x, double y);
double pf_sqrt(double x);
/* Within a few units in the last place of libm's result; pf_pow is exact for integer powers whose
 * result fits in a double. Special values (NaN, infinities, signed zeros) follow C99 Annex F. */
double pf_pow(double x, double y);
double pf_exp(double x);
double pf_log(double x);
double pf_log2(double x);
double pf_log10(double x);
double pf_sin(double x);
double pf_cos(double x);
double pf_tan(double x);
double pf_atan(double x);
double pf_atan2(double y, double x);
double pf_asin(double x);
double pf_acos(double x);
double pf_cbrt(double x);

#endif
