/* Little-endian reads from byte buffers (firmware tables, PE images, signature lists); the caller checks bounds. */
#ifndef PF_LE_H
#define PF_LE_H
#include "pf.h"

static inline uint16_t pf_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t pf_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
