/* Entropy for the TLS engine: EFI_RNG_PROTOCOL, else RDRAND, else weak sources (TSC jitter, time). */
#include "entropy.h"
#include <efilib.h>
#include <cpuid.h>
#include <bearssl.h>
#include "clock.h"

static EFI_GUID rng_guid = EFI_RNG_PROTOCOL_GUID;

static bool from_protocol(uint8_t *buf, size_t n)
{
	EFI_RNG_PROTOCOL *rng = NULL;
	if (EFI_ERROR(BS->LocateProtocol(&rng_guid, NULL, (void **)&rng)) || !rng)
		return false;
	/* NULL algorithm: the driver's default (a DRBG seeded from its hardware source). */
	return !EFI_ERROR(rng->GetRNG(rng, NULL, n, buf));
}

static bool has_rdrand(void)
{
	unsigned a, b, c, d;
	return __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 30));
}

static bool rdrand64(uint64_t *ret)
{
	/* Intel's guidance: retry a few times; a persistent failure means the unit is broken. */
	for (int i = 0; i < 10; i++) {
		uint64_t v;
		uint8_t ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok) : : "cc");
		if (ok) {
			*ret = v;
			return true;
		}
	}
	return false;
}

static bool from_rdrand(uint8_t *buf, size_t n)
{
	if (!has_rdrand())
		return false;
	for (size_t i = 0; i < n; i += 8) {
		uint64_t v;
		if (!rdrand64(&v))
			return false;
		memcpy(buf + i, &v, PF_MIN(8, n - i));
	}
	return true;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* TSC jitter around short stalls, the RTC and the uptime, hashed. Guessable by a patient attacker;
 * the report says when this is all there was. */
static void from_weak(uint8_t *buf, size_t n)
{
	static uint64_t calls;
	br_sha256_context h;
	uint8_t out[32];
	EFI_TIME rtc = { 0 };
	br_sha256_init(&h);
	calls++;
	br_sha256_update(&h, &calls, sizeof(calls));
	if (!EFI_ERROR(RT->GetTime(&rtc, NULL)))
		br_sha256_update(&h, &rtc, sizeof(rtc));
	for (size_t done = 0; done < n; done += sizeof(out)) {
		for (int i = 0; i < 64; i++) {
			uint64_t t0 = rdtsc();
			BS->Stall(1);
			uint64_t dt = rdtsc() - t0, ms = clock_ms();
			br_sha256_update(&h, &dt, sizeof(dt));
			br_sha256_update(&h, &ms, sizeof(ms));
		}
		br_sha256_out(&h, out);
		memcpy(buf + done, out, PF_MIN(sizeof(out), n - done));
	}
}

entropy_source entropy_probe(void)
{
	uint8_t tmp[16];
	if (from_protocol(tmp, sizeof(tmp)))
		return ENTROPY_RNG_PROTOCOL;
	if (from_rdrand(tmp, sizeof(tmp)))
		return ENTROPY_RDRAND;
	return ENTROPY_WEAK;
}

const char *entropy_source_str(entropy_source s)
{
	return s == ENTROPY_RNG_PROTOCOL ? "rng-protocol" : s == ENTROPY_RDRAND ? "rdrand" : "weak";
}

void entropy_get(entropy_source s, uint8_t *buf, size_t n, entropy_source *ret_used)
{
	if (s == ENTROPY_RNG_PROTOCOL && from_protocol(buf, n)) {
		*ret_used = ENTROPY_RNG_PROTOCOL;
		return;
	}
	if (s <= ENTROPY_RDRAND && from_rdrand(buf, n)) {
		*ret_used = ENTROPY_RDRAND;
		return;
	}
	from_weak(buf, n);
	*ret_used = ENTROPY_WEAK;
}
