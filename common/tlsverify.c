/* The TLS check's certificate side: BearSSL's minimal X.509 engine keeping the server's own certificate,
 * BearSSL time from Unix time, and a failed handshake judged and explained in words. */
#include "tlsverify.h"
#include "der.h"
#include "fmt.h"
#include "pftime.h"

/* ---- the X.509 engine: every call goes to the minimal engine; the first certificate is also copied ---- */

static pf_tls_x509 *self(const br_x509_class **ctx)
{
	return (pf_tls_x509 *)(void *)ctx;
}

static void x_start_chain(const br_x509_class **ctx, const char *server_name)
{
	pf_tls_x509 *x = self(ctx);
	x->leaf_len = 0;
	x->leaf_whole = false;
	x->certs = 0;
	x->minimal.vtable->start_chain(&x->minimal.vtable, server_name);
}

static void x_start_cert(const br_x509_class **ctx, uint32_t length)
{
	pf_tls_x509 *x = self(ctx);
	if (x->certs == 0)
		x->leaf_whole = length <= sizeof(x->leaf);
	x->minimal.vtable->start_cert(&x->minimal.vtable, length);
}

static void x_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	pf_tls_x509 *x = self(ctx);
	if (x->certs == 0 && x->leaf_whole) {
		size_t n = PF_MIN(len, sizeof(x->leaf) - x->leaf_len);
		memcpy(x->leaf + x->leaf_len, buf, n);
		x->leaf_len += n;
	}
	x->minimal.vtable->append(&x->minimal.vtable, buf, len);
}

static void x_end_cert(const br_x509_class **ctx)
{
	pf_tls_x509 *x = self(ctx);
	x->certs++;
	x->minimal.vtable->end_cert(&x->minimal.vtable);
}

static unsigned x_end_chain(const br_x509_class **ctx)
{
	pf_tls_x509 *x = self(ctx);
	return x->minimal.vtable->end_chain(&x->minimal.vtable);
}

static const br_x509_pkey *x_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	const pf_tls_x509 *x = (const pf_tls_x509 *)(const void *)ctx;
	return x->minimal.vtable->get_pkey(&x->minimal.vtable, usages);
}

static const br_x509_class wrap_vtable = {
	sizeof(pf_tls_x509), x_start_chain, x_start_cert, x_append, x_end_cert, x_end_chain, x_get_pkey,
};

void pf_tls_x509_wrap(pf_tls_x509 *x, br_ssl_engine_context *eng)
{
	x->vtable = &wrap_vtable;
	x->leaf_len = 0;
	x->leaf_whole = false;
	x->certs = 0;
	br_ssl_engine_set_x509(eng, &x->vtable);
}

void pf_tls_x509_set_time(pf_tls_x509 *x, int64_t unix_s)
{
	/* BearSSL counts days from 0000-01-01 (proleptic Gregorian); 1970-01-01 is day 719528. */
	int64_t days = unix_s / 86400, secs = unix_s % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	br_x509_minimal_set_time(&x->minimal, (uint32_t)(days + 719528), (uint32_t)secs);
}

pf_status pf_tls_leaf_names(const pf_tls_x509 *x, char **ret_issuer, char **ret_subject)
{
	if (!x->leaf_whole || x->certs == 0)
		return PF_ERR_NOT_FOUND;
	size_t n;
	pf_status st = pf_der_check(x->leaf, x->leaf_len, PF_DER_MAX_DEPTH, &n);
	if (st != PF_OK)
		return st;
	return pf_x509_names(x->leaf, n, ret_issuer, ret_subject);
}

/* ---- explanations ---- */

const char *pf_tls_alert_name(int alert)
{
	static const struct {
		int n;
		const char *name;
	} alerts[] = {
		{ 0, "close_notify" }, { 10, "unexpected_message" }, { 20, "bad_record_mac" },
		{ 22, "record_overflow" }, { 40, "handshake_failure" }, { 42, "bad_certificate" },
		{ 43, "unsupported_certificate" }, { 44, "certificate_revoked" }, { 45, "certificate_expired" },
		{ 46, "certificate_unknown" }, { 47, "illegal_parameter" }, { 48, "unknown_ca" },
		{ 49, "access_denied" }, { 50, "decode_error" }, { 51, "decrypt_error" }, { 70, "protocol_version" },
		{ 71, "insufficient_security" }, { 80, "internal_error" }, { 86, "inappropriate_fallback" },
		{ 90, "user_canceled" }, { 109, "missing_extension" }, { 110, "unsupported_extension" },
		{ 112, "unrecognized_name" }, { 116, "certificate_required" }, { 120, "no_application_protocol" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(alerts); i++)
		if (alerts[i].n == alert)
			return alerts[i].name;
	return NULL;
}

static int64_t x509_unix(const pf_x509_time *t)
{
	pf_time p = { .year = t->year, .month = t->month, .day = t->day, .hour = t->hour, .minute = t->minute,
		      .second = t->second, .has_tz = true };
	return pf_time_to_unix(&p);
}

/* Which end of the server certificate's validity the time is outside of. */
static void explain_dates(const pf_tls_x509 *x, int64_t now, const char *src, char *out, size_t cap)
{
	char when[32], nb[32], na[32];
	pf_time t;
	pf_time_from_unix(now, &t);
	t.has_tz = true;
	t.tz_minutes = 0;
	pf_time_iso(&t, when, sizeof(when));
	pf_x509_cert c;
	size_t n;
	if (x->leaf_whole && x->certs && pf_der_check(x->leaf, x->leaf_len, PF_DER_MAX_DEPTH, &n) == PF_OK &&
	    pf_x509_parse(x->leaf, n, &c) == PF_OK) {
		pf_x509_time_str(&c.not_before, nb, sizeof(nb));
		pf_x509_time_str(&c.not_after, na, sizeof(na));
		if (now > x509_unix(&c.not_after)) {
			pf_snprintf(out, cap, "certificate expired: not after %s, time %s (%s)", na, when, src);
			return;
		}
		if (now < x509_unix(&c.not_before)) {
			pf_snprintf(out, cap, "certificate not yet valid: not before %s, time %s (%s)", nb, when, src);
			return;
		}
	}
	pf_snprintf(out, cap, "a certificate of the chain expired or is not yet valid at %s (%s)", when, src);
}

static const char *proto_reason(int err)
{
	switch (err) {
	case BR_ERR_UNSUPPORTED_VERSION:
	case BR_ERR_BAD_VERSION:
		return "protocol version: the server chose a version other than TLS 1.0-1.2";
	case BR_ERR_BAD_CIPHER_SUITE:
		return "the server chose a cipher suite that was not offered";
	case BR_ERR_IO:
		return "connection closed during the handshake";
	case BR_ERR_BAD_SIGNATURE:
		return "the server's key exchange signature is invalid";
	case BR_ERR_BAD_MAC:
		return "record integrity check failed";
	case BR_ERR_NO_RANDOM:
		return "no entropy for the handshake";
	case BR_ERR_X509_BAD_SIGNATURE:
		return "a certificate signature in the chain is invalid";
	case BR_ERR_X509_NOT_CA:
		return "an intermediate certificate is not a CA";
	case BR_ERR_X509_WEAK_PUBLIC_KEY:
		return "a key in the chain is too weak";
	case BR_ERR_X509_CRITICAL_EXTENSION:
		return "a certificate has an unsupported critical extension";
	case BR_ERR_X509_FORBIDDEN_KEY_USAGE:
		return "the server certificate's key usage forbids TLS";
	case BR_ERR_X509_TIME_UNKNOWN:
		return "no time to check certificate dates against";
	default:
		return NULL;
	}
}

pf_tls_fail pf_tls_explain(int err, const pf_tls_x509 *x, int64_t now_unix, const char *time_source, char *out,
			   size_t cap)
{
	char *issuer = NULL, *subject = NULL;
	pf_tls_fail kind = PF_TLS_FAIL_OTHER;
	bool named = pf_tls_leaf_names(x, &issuer, &subject) == PF_OK;
	const char *reason;

	if (err == BR_ERR_X509_NOT_TRUSTED) {
		kind = PF_TLS_FAIL_UNTRUSTED;
		if (named)
			pf_snprintf(out, cap, "not from a trusted root: issuer %s; subject %s", issuer, subject);
		else
			pf_snprintf(out, cap, "not from a trusted root (server certificate not readable)");
	} else if (err == BR_ERR_X509_EXPIRED) {
		explain_dates(x, now_unix, time_source, out, cap);
	} else if (err == BR_ERR_X509_BAD_SERVER_NAME) {
		pf_snprintf(out, cap, "wrong host name: certificate is for %s", named ? subject : "another name");
	} else if (err >= BR_ERR_RECV_FATAL_ALERT && err < BR_ERR_SEND_FATAL_ALERT) {
		int a = err - BR_ERR_RECV_FATAL_ALERT;
		const char *name = pf_tls_alert_name(a);
		pf_snprintf(out, cap, "alert from the server: %d %s%s", a, name ? name : "?",
			    a == 40 ? " (no shared cipher suite or other handshake failure)"
			    : a == 70 ? " (protocol version: TLS 1.2 refused)" : "");
	} else if (err >= BR_ERR_SEND_FATAL_ALERT && err < BR_ERR_SEND_FATAL_ALERT + 256) {
		int a = err - BR_ERR_SEND_FATAL_ALERT;
		const char *name = pf_tls_alert_name(a);
		pf_snprintf(out, cap, "handshake aborted by us with alert %d %s", a, name ? name : "?");
	} else if ((reason = proto_reason(err))) {
		pf_snprintf(out, cap, "%s", reason);
	} else {
		pf_snprintf(out, cap, "handshake failed (BearSSL error %d)", err);
	}
	pf_free(issuer);
	pf_free(subject);
	return kind;
}
