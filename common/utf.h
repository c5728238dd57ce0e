/* Text encodings met on a stick and in firmware: UTF-8, UTF-16LE/BE (BOM), Windows-1252, and UCS-2 for ConOut. */
#ifndef PF_UTF_H
#define PF_UTF_H

#include "pf.h"

typedef enum { PF_ENC_UTF8, PF_ENC_UTF16LE, PF_ENC_UTF16BE, PF_ENC_CP1252 } pf_encoding;

/* Guesses a file's encoding from its BOM (UTF-8, UTF-16LE, UTF-16BE); without a BOM, UTF-8 if the
 * first bytes are valid UTF-8, else Windows-1252. ret_bom_len gets the BOM's size (0 without). */
pf_encoding pf_detect_encoding(const void *buf, size_t len, size_t *ret_bom_len);
const char *pf_encoding_str(pf_encoding e);

/* Appends the UTF-8 form of code point cp to dst (room for 4 bytes needed); returns bytes written. */
size_t pf_utf8_put(char *dst, uint32_t cp);
/* Decodes one UTF-8 sequence; invalid or truncated input gives U+FFFD and consumes one byte. */
uint32_t pf_utf8_get(const uint8_t *p, size_t len, size_t *ret_used);
bool pf_utf8_valid(const void *buf, size_t len);
uint32_t pf_cp1252_to_cp(uint8_t b);

/* Whole-buffer conversion to NUL-terminated UTF-8 (BOM already stripped by the caller); invalid
 * input becomes U+FFFD. */
PF_MUST_CHECK pf_status pf_to_utf8(const void *buf, size_t len, pf_encoding enc, char **ret, size_t *ret_len);

/* UTF-8 to NUL-terminated UCS-2 for the console and file names: characters outside the BMP become
 * U+FFFD. Writes at most cap units including the NUL (cap > 0); returns units written without NUL. */
size_t pf_utf8_to_ucs2(const char *src, size_t len, uint16_t *dst, size_t cap);
/* UCS-2/UTF-16 (n units, stops at a NUL) to allocated UTF-8; NULL when out of memory. */
char *pf_ucs2_to_utf8(const uint16_t *src, size_t n);

#endif
