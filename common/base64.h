/* Base64 decoding (RFC 4648 standard alphabet) for hardware hashes and other text-wrapped binaries. */
#ifndef PF_BASE64_H
#define PF_BASE64_H

#include "pf.h"

/* An upper bound on the bytes that len characters of Base64 decode to (whitespace included). */
size_t pf_base64_decoded_max(size_t len);

/*
 * Decodes the standard alphabet (A-Z a-z 0-9 + /), with or without '=' padding. Spaces, tabs, CR
 * and LF are skipped anywhere, so wrapped text decodes. PF_ERR_INVALID for any other character,
 * '=' before the end or in a wrong number, and a length no encoder makes (one character left over
 * in the last group); non-zero bits in the last character's unused low bits are accepted, as most
 * decoders do. PF_ERR_TOO_BIG when the result would exceed cap. out may be partly written on
 * failure; ret_len gets the decoded size on success.
 */
PF_MUST_CHECK pf_status pf_base64_decode(const void *in, size_t len, uint8_t *out, size_t cap, size_t *ret_len);

#endif
