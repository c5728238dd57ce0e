/* WIN-* findings: no installed Windows, a boot manager the firmware would refuse, the 2011 CA, the build. */
#include "bootmgr.h"
#include "str.h"

static bool role_is(const char *role, const char *want) { return role && pf_strcmp(role, want) == 0; }

static void check_signature(const pf_bootmgr *bm, const pf_secboot *sb, pf_findings *f)
{
	pf_finding *fd;
	const char *path = bm->path ? bm->path : "\\EFI\\Microsoft\\Boot\\bootmgfw.efi";

	switch (bm->verdict) {
	case PF_BM_UNSIGNED:
	case PF_BM_DAMAGED:
	case PF_BM_TAMPERED:
	case PF_BM_REVOKED_HASH:
	case PF_BM_REVOKED_CERT:
	case PF_BM_REVOKED_SVN:
		fd = pf_finding_add(f, PF_WIN_BOOTMGR_REFUSED, "Windows will not start once Secure Boot is on.");
		pf_finding_detail(fd, "%s: %s (%s)", path, bm->verdict_detail ? bm->verdict_detail : "",
				  pf_bm_verdict_str(bm->verdict));
		return;
	case PF_BM_NOT_IN_DB:
		fd = pf_finding_add(f, PF_WIN_DB_LACKS_SIGNER_CA, "db lacks the CA that signed Windows Boot Manager (\"%s\").",
				    bm->ca ? bm->ca : "unknown");
		pf_finding_detail(fd, "%s: %s; signer %s", path, bm->verdict_detail ? bm->verdict_detail : "",
				  bm->signer_subject ? bm->signer_subject : "?");
		return;
	case PF_BM_TRUSTED:
	case PF_BM_UNKNOWN:
		break;
	}
	/* Trusted today through PCA 2011 only: the CVE-2023-24932 servicing puts PCA 2011 into dbx. */
	if (bm->verdict == PF_BM_TRUSTED && role_is(bm->ca_role, "pca-2011")) {
		bool db2023 = pf_sb_list_has(&sb->lists[PF_SB_DB], "windows-2023");
		fd = pf_finding_add(f, PF_WIN_BOOTMGR_2011_ONLY,
				    "Windows Boot Manager is signed by Microsoft Windows Production PCA 2011 only, which the Secure Boot servicing revokes.");
		pf_finding_detail(fd, "%s: %s; db %s Windows UEFI CA 2023%s", path, bm->verdict_detail ? bm->verdict_detail : "",
				  db2023 ? "holds" : "lacks",
				  db2023 ? "" : ": the 2023 boot manager cannot start here either until the firmware adds it");
	}
}

static void check_build(const pf_bootmgr *bm, const pf_time *now, pf_findings *f)
{
	pf_finding *fd;
	const uint16_t *v = bm->version.file;

	if (!bm->version_valid)
		return;
	if (v[0] != 10 || v[1] != 0 || v[2] < 19041 || (bm->release && !bm->release->autopilot)) {
		fd = pf_finding_add(f, PF_WIN_BUILD_UNSUPPORTED, "The installed Windows (boot manager %u.%u.%u.%u) is a release Autopilot does not support.",
				    v[0], v[1], v[2], v[3]);
		pf_finding_detail(fd, "%s", bm->release ? bm->release->name : "no Windows 10 22H2 or Windows 11 build");
		return;
	}
	if (!bm->release || !now || !pf_time_valid(now))
		return;
	if (pf_time_to_unix(now) > pf_time_to_unix(&bm->release->end_of_servicing)) {
		const pf_time *e = &bm->release->end_of_servicing;
		fd = pf_finding_add(f, PF_WIN_BUILD_OUT_OF_SERVICING, "The installed Windows (%s) is past its end of servicing.",
				    bm->release->name);
		pf_finding_detail(fd, "boot manager %u.%u.%u.%u; servicing ended %04u-%02u-%02u (Enterprise and Education)", v[0],
				  v[1], v[2], v[3], e->year, e->month, e->day);
	}
}

/* UEFI firmware starts only images of its own CPU's machine type: an x64 boot manager on an AArch64
 * device (or the other way round) does not start, whatever its signature. */
static void check_machine(const pf_bootmgr *bm, pf_findings *f)
{
	char a[8], b[8];
	if (!bm->machine || !bm->host_machine || bm->machine == bm->host_machine)
		return;
	pf_finding *fd = pf_finding_add(f, PF_WIN_BOOTMGR_WRONG_ARCH,
					"The installed Windows is built for %s, this device's processor runs %s: it cannot start here.",
					pf_pe_machine_name(bm->machine, a), pf_pe_machine_name(bm->host_machine, b));
	pf_finding_detail(fd, "%s: PE Machine 0x%04x, firmware 0x%04x", bm->path ? bm->path : "\\EFI\\Microsoft\\Boot\\bootmgfw.efi",
			  (unsigned)bm->machine, (unsigned)bm->host_machine);
}

void pf_bootmgr_check(const pf_bootmgr *bm, const pf_secboot *sb, const pf_config *cfg, const pf_time *now,
		      pf_findings *f)
{
	if (!bm->found) {
		pf_finding *fd = pf_finding_add(f, PF_WIN_NOT_FOUND, "No installed Windows was found on this device's disks.");
		if (fd && cfg->require_installed_windows)
			fd->severity = PF_SEV_ERROR;
		pf_finding_detail(fd, "%zu EFI System Partition%s on internal disks, none with \\EFI\\Microsoft\\Boot\\bootmgfw.efi%s",
				  bm->n_esps, bm->n_esps == 1 ? "" : "s",
				  cfg->require_installed_windows ? "; required by windows.require_installed" : "");
		return;
	}
	check_signature(bm, sb, f);
	check_build(bm, now, f);
	check_machine(bm, f);
}
