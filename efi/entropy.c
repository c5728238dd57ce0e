/* Entropy for the TLS engine: EFI_RNG_PROTOCOL, else the CPU's RNG (RDRAND, RNDR), else weak sources (counter jitter, time). */
#include "entropy.h"
#include <efilib.h>
#include <bearssl.h>
#include "clock.h"
#include "arch.h"

static EFI_GUID rng_guid = EFI_RNG_PROTOCOL_GUID;

static bool from_protocol(uint8_t *buf, size_t n)
{
	EFI_RNG_PROTOCOL *rng = NULL;
	if (EFI_ERROR(BS->LocateProtocol(&rng_guid, NULL, (void **)&rng)) || !rng)
		return false;
	/* NULL algorithm: the driver's default (a DRBG seeded from its hardware source). */
	return !EFI_ERROR(rng->GetRNG(rng, NULL, n, buf));
}

static bool hwrng64(uint64_t *ret)
{
	/* Intel's and Arm's guidance alike: retry a few times; a persistent failure means the unit is broken. */
	for (int i = 0; i < 10; i++)
		if (arch_hwrng_draw(ret))
			return true;
	return false;
}

static bool from_hwrng(uint8_t *buf, size_t n)
{
	if (!arch_hwrng_present())
		return false;
	for (size_t i = 0; i < n; i += 8) {
		uint64_t v;
		if (!hwrng64(&v))
			return false;
		memcpy(buf + i, &v, PF_MIN(8, n - i));
	}
	return true;
}

/* Counter jitter around short stalls, the RTC and the uptime, hashed. Guessable by a patient attacker;
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
			uint64_t t0 = arch_ticks();
			BS->Stall(1);
			uint64_t dt = arch_ticks() - t0, ms = clock_ms();
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
	if (from_hwrng(tmp, sizeof(tmp)))
		return ENTROPY_HWRNG;
	return ENTROPY_WEAK;
}

const char *entropy_source_str(entropy_source s)
{
	return s == ENTROPY_RNG_PROTOCOL ? "rng-protocol" : s == ENTROPY_HWRNG ? ARCH_HWRNG_NAME : "weak";
}

void entropy_get(entropy_source s, uint8_t *buf, size_t n, entropy_source *ret_used)
{
	if (s == ENTROPY_RNG_PROTOCOL && from_protocol(buf, n)) {
		*ret_used = ENTROPY_RNG_PROTOCOL;
		return;
	}
	if (s <= ENTROPY_HWRNG && from_hwrng(buf, n)) {
		*ret_used = ENTROPY_HWRNG;
		return;
	}
	from_weak(buf, n);
	*ret_used = ENTROPY_WEAK;
}
