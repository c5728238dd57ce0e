/* libFuzzer target: device-code sign-in's parsers (device code answer, token answer) and the form encoder. */
#include "fuzzutil.h"
#include "signin.h"

static bool terminated(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;
	pf_signin_code *c = pf_malloc(sizeof(*c));
	pf_signin_token *t = pf_malloc(sizeof(*t));
	if (c && pf_signin_code_parse(buf, size, c) == PF_OK) {
		if (!terminated(c->device_code, sizeof(c->device_code)) || !terminated(c->err.description, sizeof(c->err.description)))
			__builtin_trap();
		/* Either an error or all three members; a usable code is visible ASCII. */
		if (!c->err.error[0] && (!c->device_code[0] || !c->user_code[0] || !c->verification_uri[0]))
			__builtin_trap();
		for (const char *p = c->device_code; *p; p++)
			if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
				__builtin_trap();
		char body[PF_SIGNIN_DEVICE_CODE_MAX * 3 + 512];
		if (pf_signin_token_body("client", pf_span_of(c->device_code), body, sizeof(body)) >= sizeof(body))
			__builtin_trap();
	}
	if (t && pf_signin_token_parse(buf, size, t) == PF_OK && t->has_token) {
		if (t->token_len == 0 || t->token_len > PF_GRAPH_TOKEN_MAX || strlen(t->access_token) != t->token_len)
			__builtin_trap();
		pf_signin_poll p;
		uint64_t next;
		pf_signin_poll_init(&p, 1, 1, 0);
		if (pf_signin_poll_next(&p, t, 0, &next) != PF_POLL_TOKEN)
			__builtin_trap();
	}
	char form[64];
	size_t n = 0;
	pf_form_add(form, sizeof(form), &n, "k", (pf_span){ (const char *)buf, size });
	if (strlen(form) >= sizeof(form) || (n < sizeof(form) && strlen(form) != n))
		__builtin_trap();
	pf_free(t);
	pf_free(c);
	pf_free(buf);
	return 0;
}
