/* Test helper: builds hardware-hash blobs record by record and encodes them as Base64, as Windows would. */
#ifndef PF_TEST_HASHBUILD_H
#define PF_TEST_HASHBUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	uint8_t b[20000];
	size_t len;
} hb_blob;

/* "OA", the end-of-records offset (patched by hb_end), records from offset 4. */
static inline void hb_start(hb_blob *h)
{
	memset(h, 0, sizeof(*h));
	h->b[0] = 'O';
	h->b[1] = 'A';
	h->len = 4;
}

/* A record of type with payload (n bytes); the length field counts the 4-byte header. */
static inline void hb_rec(hb_blob *h, uint8_t type, const void *payload, size_t n)
{
	size_t total = n + 4;
	h->b[h->len] = type;
	h->b[h->len + 1] = 0;
	h->b[h->len + 2] = (uint8_t)total;
	h->b[h->len + 3] = (uint8_t)(total >> 8);
	memcpy(h->b + h->len + 4, payload, n);
	h->len += total;
}

/* A string record the way Windows writes one: UTF-8 with its NUL counted. */
static inline void hb_str(hb_blob *h, uint8_t type, const char *s)
{
	hb_rec(h, type, s, strlen(s) + 1);
}

static inline void hb_nic(hb_blob *h, uint8_t medium, const uint8_t mac[6])
{
	uint8_t p[12] = { medium };
	memcpy(p + 4, mac, 6);
	hb_rec(h, 8, p, sizeof(p));
}

static inline void hb_disk(hb_blob *h, uint32_t capacity, uint8_t bus)
{
	uint8_t p[12] = { (uint8_t)capacity, (uint8_t)(capacity >> 8), (uint8_t)(capacity >> 16), (uint8_t)(capacity >> 24) };
	p[8] = bus;
	hb_rec(h, 6, p, sizeof(p));
}

/* Writes the end-of-records offset and appends a fake 16-byte trailer (checksum or signature). */
static inline void hb_end(hb_blob *h)
{
	h->b[2] = (uint8_t)h->len;
	h->b[3] = (uint8_t)(h->len >> 8);
	memset(h->b + h->len, 0xA5, 16);
	h->len += 16;
}

/* Standard Base64 with padding; the caller frees. */
static inline char *hb_base64(const uint8_t *p, size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *o = malloc(n / 3 * 4 + 8);
	size_t k = 0, i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		o[k++] = al[v >> 18];
		o[k++] = al[v >> 12 & 63];
		o[k++] = al[v >> 6 & 63];
		o[k++] = al[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;
		o[k++] = al[v >> 18];
		o[k++] = al[v >> 12 & 63];
		o[k++] = '=';
		o[k++] = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		o[k++] = al[v >> 18];
		o[k++] = al[v >> 12 & 63];
		o[k++] = al[v >> 6 & 63];
		o[k++] = '=';
	}
	o[k] = '\0';
	return o;
}

/* The SMBIOS type 1 UUID bytes used by the tests' "device A". */
static const uint8_t hb_uuid_a[16] = { 0x78, 0x56, 0x34, 0x12, 0xBC, 0x9A, 0xF0, 0xDE, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF };

/* A realistic hash of device A: serial, vendor strings, UUID, one NIC, one NVMe disk, a TPM. */
static inline void hb_device(hb_blob *h, const char *serial, const uint8_t uuid[16], const uint8_t mac[6], const char *disk_serial)
{
	hb_start(h);
	uint8_t ver[8] = { 10, 0, 0x61, 0x4A };
	hb_rec(h, 1, ver, sizeof(ver));
	uint8_t cpu[8] = { 0, 0, 0, 0, 9, 0, 8, 0 };
	hb_rec(h, 2, cpu, 0);               /* too short for its fixed layout: skipped */
	hb_rec(h, 2, cpu + 4, 4);           /* arch at +4 */
	hb_disk(h, 512000, 17);
	hb_str(h, 7, disk_serial);
	hb_nic(h, 14, mac);
	uint8_t chassis[4] = { 10, 2 };
	hb_rec(h, 10, chassis, 2);
	hb_rec(h, 12, uuid, 16);
	hb_str(h, 13, "2.0");
	hb_str(h, 14, serial);
	hb_str(h, 15, "Contoso Firmware");
	hb_str(h, 16, "Contoso Ltd.");
	hb_str(h, 17, "Model 7");
	hb_str(h, 18, "SKU-7");
	hb_str(h, 19, "Family 7");
	uint8_t unknown[5] = { 1, 2, 3, 4, 5 };
	hb_rec(h, 99, unknown, sizeof(unknown));
	uint8_t ek[260];
	for (size_t i = 0; i < sizeof(ek); i++)
		ek[i] = (uint8_t)i;
	hb_rec(h, 25, ek, sizeof(ek));
	hb_end(h);
}

#endif
