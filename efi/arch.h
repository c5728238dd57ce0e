/* The few instructions that differ between x86-64 and AArch64: a cycle counter and a hardware RNG. */
#ifndef PF_EFI_ARCH_H
#define PF_EFI_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#if defined(__x86_64__)
#include <cpuid.h>

/* The TSC: invariant on every CPU that runs 64-bit UEFI firmware of the last decade. */
static inline uint64_t arch_ticks(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

#define ARCH_HWRNG_NAME "rdrand"

/* CPUID.1:ECX bit 30. */
static inline bool arch_hwrng_present(void)
{
	unsigned a, b, c, d;
	return __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 30));
}

/* One RDRAND draw; false when the unit had nothing (the caller retries). */
static inline bool arch_hwrng_draw(uint64_t *ret)
{
	uint64_t v;
	uint8_t ok;
	__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok) : : "cc");
	if (ok)
		*ret = v;
	return ok;
}

#elif defined(__aarch64__)

/* The generic timer's virtual count (CNTVCT_EL0), readable from any exception level the firmware
 * leaves us in; the ISB keeps the read from being hoisted before earlier instructions. */
static inline uint64_t arch_ticks(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

#define ARCH_HWRNG_NAME "rndr"

/* FEAT_RNG: ID_AA64ISAR0_EL1.RNDR, bits 63:60, non-zero. The register is readable at EL1 and EL2,
 * where UEFI applications run. */
static inline bool arch_hwrng_present(void)
{
	uint64_t isar0;
	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	return (isar0 >> 60) != 0;
}

/* One RNDR draw (by its encoding, s3_3_c2_c4_0, so that any assembler takes it): NZCV is 0b0100 when the
 * unit had nothing, 0 on success. */
static inline bool arch_hwrng_draw(uint64_t *ret)
{
	uint64_t v, nzcv;
	__asm__ volatile("mrs %0, s3_3_c2_c4_0; mrs %1, nzcv" : "=r"(v), "=r"(nzcv) : : "cc");
	if (nzcv != 0)
		return false;
	*ret = v;
	return true;
}

#else
#error "Preflight builds for x86-64 and AArch64 only"
#endif

#endif
