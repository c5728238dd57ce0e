# Preflight: build the EFI application, the host test binaries, boot images, and run them.
# make            build/preflight.efi (ARCH=x64, the default); ARCH=aa64: build/aa64/preflight.efi for Windows on
#                 Arm; ARCH=all: both (make usb ARCH=all: one stick with both, build/all/preflight-usb.img)
# make test       dependencies, host unit tests (ASan+UBSan), fuzz smoke runs, QEMU scenarios (x86-64, and
#                 AArch64's aa64-healthy: the cross compiler and the aa64 build come with it)
# make test-long  make test with the long families (all 38 power-cut points, the 10,000-file and 2 GiB sticks)
# make run        dependencies, build, a healthy demo PC under QEMU + OVMF: USB stick, Secure Boot on (test
#                 store ms2023 of ovmf/mkstore), swtpm, the hermetic network; SECBOOT=ms2011|setup|... another
#                 store, SECBOOT=off the plain firmware
# make usb        build/preflight-usb.img (GPT + FAT32 ESP) to write onto a stick, and build/preflight-usb.zip
# make sign       build/preflight-signed.efi, signed with KEY= and CERT= (PEM) by sbsign
# make usb SIGN=db|shim KEY= CERT=   the stick for Secure Boot: own key in db, or shim + MOK (docs/secure-boot.md)
# make netboot    build/netboot/: a boot server folder for PXE and UEFI HTTP boot (INI= RECORDS= CERTS= SAS= URL= SERVER=)
# make bench      benchmarks with ratios against named baselines
# make fuzz       libFuzzer targets for every parser (FUZZ_SECONDS each)
# make fuzz-long  every fuzz target for 10^7 executions or FUZZ_LONG_SECONDS (1800) each, then a corpus merge (not in CI)

VERSION     := 0.1.0
# ARCH=x64 (default) or aa64 (Windows on Arm: AArch64, cross-compiled; docs/architecture.md). Each
# architecture builds into its own folder (build, build/aa64); the dependency sources (build/deps) are
# shared. ARCH=all: `make`, `make sign` and `make usb` for both, the stick in build/all carrying both.
ARCH        ?= x64
DEPS        := build/deps
ifeq ($(ARCH),all)
ALL_ARCHES  := x64 aa64
KEY         ?=
CERT        ?=
SIGN        ?=
.PHONY: all sign usb
all sign:
	@for a in $(ALL_ARCHES); do $(MAKE) --no-print-directory ARCH=$$a $@ KEY=$(KEY) CERT=$(CERT) || exit 1; done

# One stick for a mixed cart: \EFI\BOOT\BOOTX64.EFI and \EFI\BOOT\BOOTAA64.EFI (scripts/mkimage names each
# binary by its PE machine type); SIGN=db signs both with KEY/CERT; SIGN=shim puts each architecture's shim
# and MokManager before them (Debian's x86-64 and arm64 shim-signed).
usb:
ifeq ($(SIGN),)
	@for a in $(ALL_ARCHES); do $(MAKE) --no-print-directory ARCH=$$a all || exit 1; done
	@mkdir -p build/all
	@scripts/mkimage --gpt --zip build/all/preflight-usb.zip --tree scripts/usb-stick --efi build/preflight.efi \
	   --efi build/aa64/preflight.efi -o build/all/preflight-usb.img
else ifeq ($(SIGN),db)
	@for a in $(ALL_ARCHES); do $(MAKE) --no-print-directory ARCH=$$a sign KEY=$(KEY) CERT=$(CERT) || exit 1; done
	@mkdir -p build/all
	@scripts/mkimage --gpt --zip build/all/preflight-usb.zip --tree scripts/usb-stick \
	   --efi build/preflight-signed.efi --efi build/aa64/preflight-signed.efi -o build/all/preflight-usb.img
else ifeq ($(SIGN),shim)
	@for a in $(ALL_ARCHES); do $(MAKE) --no-print-directory ARCH=$$a sign KEY=$(KEY) CERT=$(CERT) || exit 1; done
	@mkdir -p build/all
	@scripts/mkimage --gpt --zip build/all/preflight-usb.zip --tree scripts/usb-stick --shim --mok-cert $(CERT) \
	   --efi build/preflight-signed.efi --efi build/aa64/preflight-signed.efi -o build/all/preflight-usb.img
else
	@echo "make usb ARCH=all: SIGN=$(SIGN) is not one of db, shim" >&2; exit 2
endif
	@echo "built build/all/preflight-usb.img (GPT, one EFI System Partition, x86-64 and AArch64): write it to a USB stick (all data on it is lost)"
	@echo "built build/all/preflight-usb.zip: or unpack it onto any FAT32 stick (docs/stick.md)"

else
ifeq ($(ARCH),x64)
BUILD       := build
EFI_CC      ?= gcc
EFI_LD      := ld
EFI_OBJCOPY := objcopy
EFI_OBJDUMP := objdump
EFI_INC     := /usr/include/efi
EFI_ARCH_INC := $(EFI_INC)/x86_64
EFI_LIB     := /usr/lib
EFI_CRT0    := $(EFI_LIB)/crt0-efi-x86_64.o
EFI_LDS     := $(EFI_LIB)/elf_x86_64_efi.lds
# Firmware interrupts run on the application's stack (no red zone); calls into the firmware use the
# Microsoft x64 convention (GNU_EFI_USE_MS_ABI), efi_main itself is called by crt0 with System V's.
EFI_ARCH_CG := -mno-red-zone -maccumulate-outgoing-args
EFI_ARCH_DEFS := -DEFI_FUNCTION_WRAPPER -DGNU_EFI_USE_MS_ABI
# objcopy writes the PE header (binutils' efi-app-x86_64 target).
EFI_PE      := --target efi-app-x86_64 --subsystem=10
EFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela -j .reloc
EFI_LD_PE   :=
GNUEFI_LIB  :=
BOOT_NAME   := BOOTX64.EFI
else ifeq ($(ARCH),aa64)
BUILD       := build/aa64
EFI_CC      := aarch64-linux-gnu-gcc
EFI_LD      := aarch64-linux-gnu-ld
EFI_OBJCOPY := aarch64-linux-gnu-objcopy
EFI_OBJDUMP := aarch64-linux-gnu-objdump
# gnu-efi in Debian is built for the host only: its source package (scripts/deps) built here for AArch64.
GNUEFI_DIR  := $(DEPS)/gnu-efi
GNUEFI_OUT  := $(BUILD)/gnu-efi
GNUEFI_LIB  := $(GNUEFI_OUT)/gnuefi/libgnuefi.a
EFI_INC     := $(GNUEFI_DIR)/inc
EFI_ARCH_INC := $(EFI_INC)/aarch64
EFI_LIB     := $(GNUEFI_OUT)/lib
EFI_CRT0    := $(GNUEFI_OUT)/gnuefi/crt0-efi-aarch64.o
EFI_LDS     := $(GNUEFI_DIR)/gnuefi/elf_aarch64_efi.lds
# AAPCS64 has no red zone and UEFI uses the same calling convention as C: nothing to add.
EFI_ARCH_CG :=
EFI_ARCH_DEFS :=
# gnu-efi 3.0.15's AArch64 crt0 carries the PE header itself (binutils' objcopy had no efi-app-aarch64
# when it was written): the image is the raw sections, the subsystem a link-time symbol.
EFI_PE      := -O binary
EFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela -j '.rel.*' -j '.rela.*' -j .reloc
EFI_LD_PE   := --defsym=EFI_SUBSYSTEM=0xa -L$(GNUEFI_OUT)/gnuefi
BOOT_NAME   := BOOTAA64.EFI
else
$(error ARCH=$(ARCH) is not one of x64, aa64)
endif
HOST_CC     ?= clang
FUZZ_SECONDS ?= 20
# The vendor field of the .sbat section (shim's SBAT.md): where the product lives.
PROJECT_URL ?= local
# make sign / make usb SIGN=db|shim: the signing key and certificate (PEM).
KEY         ?=
CERT        ?=
SIGN        ?=
SECBOOT     ?=
# BearSSL for the firmware: Debian's source package, fetched by scripts/deps into build/deps/bearssl and
# compiled here with the EFI flags (never Debian's prebuilt libbearssl.a: it uses the red zone). The host
# build (unit tests, fuzzers) uses the packaged libbearssl-dev.
BEARSSL_DIR := $(DEPS)/bearssl
BEARSSL_LIB := $(BUILD)/bearssl-efi/libbearssl.a
HOST_BEARSSL_INC := /usr/include/bearssl
# QR codes for the result screen: the C library of Debian's qr-code-generator source (scripts/deps), one
# file compiled with the EFI flags (Debian's libqrcodegen.a has the stack protector and _FORTIFY_SOURCE).
QRCODEGEN_DIR := $(DEPS)/qrcodegen
QRCODEGEN_OBJ := $(BUILD)/qrcodegen-efi/qrcodegen.o
# PAC files (common/pac.c): Duktape, from the dist sources of Debian's duktape source package (scripts/deps),
# next to our configuration in $(DUK_GEN): common/pac_duk_config.h becomes its duk_config.h (the dist's is
# kept as duk_config_dist.h and included from it). The firmware and the host build compile the same source
# with the same configuration: Debian's libduktape has no execution-timeout hook, which pac.c needs.
DUKTAPE_DIR := $(DEPS)/duktape
DUK_GEN     := $(BUILD)/duktape
ROOTS_C     := $(BUILD)/gen/roots.c

COMMON_SRC  := $(sort $(wildcard common/*.c))
EFI_SRC     := $(sort $(wildcard efi/*.c efi/net/*.c))
UNIT_SRC    := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC    := $(sort $(wildcard tests/fuzz/fuzz_*.c))

WARN        := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
EFI_CFLAGS  := -std=gnu11 -O2 $(WARN) -DPF_EFI -DPF_VERSION=\"$(VERSION)\" \
               -fpic -ffreestanding -fno-stack-protector -fno-stack-check -fshort-wchar \
               $(EFI_ARCH_CG) -mgeneral-regs-only $(EFI_ARCH_DEFS) \
               -isystem $(EFI_INC) -isystem $(EFI_ARCH_INC) -isystem $(BEARSSL_DIR)/inc -isystem $(QRCODEGEN_DIR)/c -isystem $(DUK_GEN) -Icommon -Iefi -Iefi/net -U_FORTIFY_SOURCE
EFI_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic --no-undefined \
               -T $(EFI_LDS) -L$(EFI_LIB) $(EFI_LD_PE)
HOST_CFLAGS := -std=gnu11 -g -O1 $(WARN) -DPF_VERSION=\"$(VERSION)\" -Icommon -isystem $(HOST_BEARSSL_INC) -isystem $(DUK_GEN) \
               -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# BearSSL's own sources: the EFI code-generation flags; its AES-NI, SSE2, RDRAND and POWER8 paths off (no
# vector registers in the firmware build), no OS entropy or time (efi/entropy.c and the caller supply them).
BEARSSL_CFLAGS := -std=gnu99 -O2 -W -Wall -fpic -ffreestanding -fno-stack-protector -fno-stack-check \
               -fshort-wchar $(EFI_ARCH_CG) -mgeneral-regs-only -U_FORTIFY_SOURCE \
               -DBR_USE_URANDOM=0 -DBR_USE_UNIX_TIME=0 -DBR_USE_GETENTROPY=0 -DBR_USE_WIN32_RAND=0 \
               -DBR_USE_WIN32_TIME=0 -DBR_AES_X86NI=0 -DBR_SSE2=0 -DBR_RDRAND=0 -DBR_POWER8=0 \
               -I$(abspath $(BEARSSL_DIR))/inc -I$(abspath $(BEARSSL_DIR))/src
QRCODEGEN_CFLAGS := -std=gnu99 -O2 -fpic -ffreestanding -fno-stack-protector -fno-stack-check -fshort-wchar \
               $(EFI_ARCH_CG) -mgeneral-regs-only -U_FORTIFY_SOURCE -DNDEBUG
# Code that computes in doubles (Duktape, the PAC glue, common/pfmath.c) needs the SSE registers, which the
# rest of the firmware build keeps out (-mgeneral-regs-only). UEFI hands an x64 application SSE enabled
# (MXCSR 0x1F80) and firmware interrupt handlers save the FPU/SSE state.
EFI_FP_SRC  := common/pac.c common/pfmath.c
# They see the same headers as Duktape (below), so that duk_config.h reads the same in both.
EFI_FP_CFLAGS := $(filter-out -mgeneral-regs-only,$(EFI_CFLAGS)) -nostdinc -isystem efi/libc-include \
               -isystem $(shell $(EFI_CC) -print-file-name=include) \
               -U__linux__ -U__linux -Ulinux -U__gnu_linux__ -U__unix__ -U__unix -Uunix
# Duktape for the firmware: no C library's headers at all (-nostdinc): GCC's freestanding ones and
# efi/libc-include, which declares exactly what efi/libc.c and gnu-efi supply. The OS macros are undefined
# so that the dist's platform detection takes its generic branch.
DUK_EFI_CFLAGS := -std=gnu99 -O2 -fpic -ffreestanding -fno-stack-protector -fno-stack-check -fshort-wchar \
               $(EFI_ARCH_CG) -U_FORTIFY_SOURCE -DPF_EFI -nostdinc \
               -isystem efi/libc-include -isystem $(shell $(EFI_CC) -print-file-name=include) \
               -isystem $(EFI_INC) -isystem $(EFI_ARCH_INC) -Icommon \
               -U__linux__ -U__linux -Ulinux -U__gnu_linux__ -U__unix__ -U__unix -Uunix
# Duktape for the host tests: the host flags and sanitizers without the project's warnings, and without
# UBSan's pointer-overflow check (Duktape adds zero offsets to NULL property tables, harmless and constant).
DUK_HOST_CFLAGS := -std=gnu11 -g -O1 -Icommon -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-sanitize=pointer-overflow -fno-omit-frame-pointer -w
FUZZ_CFLAGS := -std=gnu11 -g -O1 $(WARN) -Icommon -isystem $(HOST_BEARSSL_INC) -isystem $(DUK_GEN) -DPF_VERSION=\"$(VERSION)\" \
               -fsanitize=address,undefined -fno-sanitize-recover=all

EFI_OBJ     := $(COMMON_SRC:%.c=$(BUILD)/efi/%.o) $(EFI_SRC:%.c=$(BUILD)/efi/%.o)
HOST_OBJ    := $(COMMON_SRC:%.c=$(BUILD)/host/%.o)
FUZZ_OBJ    := $(COMMON_SRC:%.c=$(BUILD)/fuzz/%.o)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/host/%)
FUZZ_BIN    := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

.PHONY: all deps deps-all aa64-app test test-long unit qemu-test run usb netboot sign bench fuzz fuzz-long fuzz-smoke clean ovmf
all: $(BUILD)/preflight.efi

deps:
	@ARCH=$(ARCH) scripts/deps all

# What make test needs: both architectures' packages and sources, and the AArch64 app (a sub-make that
# shares the caller's -j slots).
deps-all:
	@ARCH=all scripts/deps all
aa64-app:
	@$(MAKE) --no-print-directory ARCH=aa64 all

$(BUILD)/efi/%.o: %.c $(wildcard common/*.h efi/*.h efi/net/*.h) Makefile | $(BEARSSL_DIR)/.unpacked $(QRCODEGEN_DIR)/.unpacked $(DUK_GEN)/.stamp $(GNUEFI_LIB)
	@mkdir -p $(dir $@)
	@echo "  CC(efi)  $<"
	@$(EFI_CC) $(EFI_CFLAGS) -c $< -o $@

$(EFI_FP_SRC:%.c=$(BUILD)/efi/%.o): EFI_CFLAGS := $(EFI_FP_CFLAGS)

# Duktape's dist sources beside our configuration (see DUK_GEN above).
$(DUK_GEN)/.stamp: $(DUKTAPE_DIR)/.unpacked common/pac_duk_config.h
	@rm -rf $(DUK_GEN) && mkdir -p $(DUK_GEN)
	@cp $(DUKTAPE_DIR)/src/duktape.h $(DUK_GEN)/
	@# One line of duktape.c changed: the regexp matcher's step limit (1e9, fixed in the source, not a
	@# config option) becomes PF_DUK_RE_STEPS_LIMIT from our config, since the matcher never calls the
	@# timeout hook (docs/pac.md). The copy fails unless exactly that one line matched.
	@sed 's|^#define DUK_RE_EXECUTE_STEPS_LIMIT .*|#define DUK_RE_EXECUTE_STEPS_LIMIT PF_DUK_RE_STEPS_LIMIT /* Preflight */|' \
	   $(DUKTAPE_DIR)/src/duktape.c > $(DUK_GEN)/duktape.c
	@[ "$$(diff $(DUKTAPE_DIR)/src/duktape.c $(DUK_GEN)/duktape.c | grep -c '^>')" = 1 ] || \
	   { echo "Makefile: DUK_RE_EXECUTE_STEPS_LIMIT not found once in duktape.c" >&2; rm -rf $(DUK_GEN); exit 1; }
	@cp $(DUKTAPE_DIR)/src/duk_config.h $(DUK_GEN)/duk_config_dist.h
	@cp common/pac_duk_config.h $(DUK_GEN)/duk_config.h
	@cp $< $@

# About 15 s on one core.
$(BUILD)/efi/duktape.o: $(DUK_GEN)/.stamp $(wildcard efi/libc-include/*.h) common/pfmath.h Makefile
	@mkdir -p $(dir $@)
	@echo "  CC(efi)  Duktape from $$(cat $<)"
	@$(EFI_CC) $(DUK_EFI_CFLAGS) -c $(DUK_GEN)/duktape.c -o $@

# Plain `make` on a fresh clone fetches what the build needs (the build packages, BearSSL's and Duktape's sources).
$(BEARSSL_DIR)/.unpacked $(QRCODEGEN_DIR)/.unpacked $(DUKTAPE_DIR)/.unpacked:
	@ARCH=$(ARCH) scripts/deps build

ifeq ($(ARCH),aa64)
$(GNUEFI_DIR)/.unpacked:
	@ARCH=$(ARCH) scripts/deps build

# gnu-efi's libefi, libgnuefi and crt0 for AArch64, by its own Makefile into $(GNUEFI_OUT) (about 15 s).
$(GNUEFI_LIB): $(GNUEFI_DIR)/.unpacked
	@rm -rf $(GNUEFI_OUT) && mkdir -p $(GNUEFI_OUT)
	@echo "  CC(efi)  gnu-efi from $$(cat $<) for AArch64"
	@$(MAKE) --no-print-directory -s -C $(GNUEFI_DIR) ARCH=aarch64 CROSS_COMPILE=aarch64-linux-gnu- \
	   TOPDIR=$(abspath $(GNUEFI_DIR)) OBJDIR=$(abspath $(GNUEFI_OUT)) lib gnuefi >$(GNUEFI_OUT)/build.log 2>&1 || \
	   { tail -20 $(GNUEFI_OUT)/build.log >&2; exit 1; }
endif

$(QRCODEGEN_OBJ): $(QRCODEGEN_DIR)/.unpacked Makefile
	@mkdir -p $(dir $@)
	@echo "  CC(efi)  qrcodegen from $$(cat $<)"
	@$(EFI_CC) $(QRCODEGEN_CFLAGS) -c $(QRCODEGEN_DIR)/c/qrcodegen.c -o $@

# About 20 s on 2 cores; rebuilt when the source package changes (delete $(BUILD)/bearssl-efi after a flag change).
$(BEARSSL_LIB): $(BEARSSL_DIR)/.unpacked
	@rm -rf $(BUILD)/bearssl-efi && mkdir -p $(BUILD)/bearssl-efi/obj
	@echo "  CC(efi)  BearSSL from $$(cat $<)"
	@cd $(BUILD)/bearssl-efi/obj && find $(abspath $(BEARSSL_DIR))/src -name '*.c' | sort | \
	   xargs -P "$$(nproc)" -n 16 $(EFI_CC) $(BEARSSL_CFLAGS) -c
	@ar rcs $@.tmp $(BUILD)/bearssl-efi/obj/*.o && mv $@.tmp $@

$(ROOTS_C): scripts/gen-roots
	@mkdir -p $(dir $@)
	@echo "  GEN      $@"
	@scripts/gen-roots $@

$(BUILD)/efi/gen/roots.o: $(ROOTS_C) common/trust.h Makefile | $(BEARSSL_DIR)/.unpacked
	@mkdir -p $(dir $@)
	@echo "  CC(efi)  $<"
	@$(EFI_CC) $(EFI_CFLAGS) -c $< -o $@

# An EFI application: the ELF shared object linked with gnu-efi's crt0 (link_efi OUT.so, OBJECTS), then
# its PE image (pe_efi IN.so, OUT.efi).
link_efi = $(EFI_LD) $(EFI_LDFLAGS) $(EFI_CRT0) $(2) -o $(1) -lefi -lgnuefi $$($(EFI_CC) -print-libgcc-file-name)
pe_efi = $(EFI_OBJCOPY) $(EFI_SECTIONS) $(EFI_PE) $(1) $(2)

$(BUILD)/preflight.so: $(EFI_OBJ) $(BUILD)/efi/gen/roots.o $(BUILD)/efi/duktape.o $(QRCODEGEN_OBJ) $(BEARSSL_LIB) | $(GNUEFI_LIB)
	$(call link_efi,$@,$^)

# shim's SBAT metadata: the generation line of the format itself, then the product's own line.
$(BUILD)/sbat.csv: Makefile
	@mkdir -p $(dir $@)
	@printf 'sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\n%s\n' \
	   'preflight,1,Preflight,preflight,$(VERSION),$(PROJECT_URL)' > $@

# The PE image, with an .sbat section after the last one (shim refuses binaries without it).
$(BUILD)/preflight.efi: $(BUILD)/preflight.so $(BUILD)/sbat.csv scripts/add-sbat
	$(call pe_efi,$<,$@.nosbat)
	@OBJCOPY=$(EFI_OBJCOPY) OBJDUMP=$(EFI_OBJDUMP) scripts/add-sbat $@.nosbat $(BUILD)/sbat.csv $@ && rm -f $@.nosbat
	@echo "built $@ ($$(stat -c %s $@) bytes)"

# Secure Boot: sign with sbsign (it warns about gaps between gnu-efi's PE sections; harmless).
define need_key
	@[ -n "$(KEY)" ] && [ -n "$(CERT)" ] || \
	   { echo "make $@: KEY=key.pem CERT=cert.pem are required (docs/secure-boot.md)" >&2; exit 2; }
	@[ -f "$(KEY)" ] && [ -f "$(CERT)" ] || { echo "make $@: $(KEY) or $(CERT) not found" >&2; exit 2; }
endef

sign: deps all
	$(need_key)
	@sbsign --key $(KEY) --cert $(CERT) --output $(BUILD)/preflight-signed.efi $(BUILD)/preflight.efi 2>&1 | \
	   grep -v 'gaps between PE/COFF sections' || true
	@sbverify --cert $(CERT) $(BUILD)/preflight-signed.efi 2>&1 | grep -v 'gaps between PE/COFF sections'
	@echo "built $(BUILD)/preflight-signed.efi (signed by $$(openssl x509 -in $(CERT) -noout -subject))"

# The Secure Boot enrolment app for the test stores (ovmf/README in docs/secure-boot.md): gnu-efi only.
# The EFI flags without the project's include paths and BearSSL: only gnu-efi's headers.
ENROLL_CFLAGS := $(filter-out -I% -isystem $(EFI_INC) $(EFI_ARCH_INC) $(BEARSSL_DIR)/inc,$(EFI_CFLAGS)) \
                 -isystem $(EFI_INC) -isystem $(EFI_ARCH_INC)
$(BUILD)/ovmf/enroll.efi: ovmf/enroll.c Makefile | $(GNUEFI_LIB)
	@mkdir -p $(BUILD)/ovmf
	@echo "  CC(efi)  $<"
	@$(EFI_CC) $(ENROLL_CFLAGS) -c $< -o $(BUILD)/ovmf/enroll.o
	@$(call link_efi,$(BUILD)/ovmf/enroll.so,$(BUILD)/ovmf/enroll.o)
	@$(call pe_efi,$(BUILD)/ovmf/enroll.so,$@)
ovmf: $(BUILD)/ovmf/enroll.efi

# The PAC engine inside the firmware (tests/qemu/pactest.c, run by tests/qemu/run-pactest): the EFI build's
# objects of Duktape, common/pac.c, common/pfmath.c and efi/libc.c under OVMF.
PACTEST_OBJ := $(addprefix $(BUILD)/efi/,common/pac.o common/pfmath.o common/fmt.o common/pftime.o efi/libc.o duktape.o)
$(BUILD)/pactest.efi: tests/qemu/pactest.c $(PACTEST_OBJ) Makefile | $(GNUEFI_LIB)
	@mkdir -p $(BUILD)/pactest
	@echo "  CC(efi)  $<"
	@$(EFI_CC) $(EFI_CFLAGS) -c $< -o $(BUILD)/pactest/pactest.o
	@$(call link_efi,$(BUILD)/pactest/pactest.so,$(BUILD)/pactest/pactest.o $(PACTEST_OBJ))
	@$(call pe_efi,$(BUILD)/pactest/pactest.so,$@)

# A stand-in for Windows Boot Manager, chain-loaded by the after.action = boot-windows scenario.
$(BUILD)/fakeboot.efi: tests/qemu/fakeboot.c Makefile | $(GNUEFI_LIB)
	@mkdir -p $(BUILD)/fakeboot
	@$(EFI_CC) $(EFI_CFLAGS) -c $< -o $(BUILD)/fakeboot/fakeboot.o
	@$(call link_efi,$(BUILD)/fakeboot/fakeboot.so,$(BUILD)/fakeboot/fakeboot.o)
	@$(call pe_efi,$(BUILD)/fakeboot/fakeboot.so,$@)

$(BUILD)/host/%.o: %.c $(wildcard common/*.h) Makefile | $(DUK_GEN)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC(host) $<"
	@$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

# About 40 s on one core (sanitizers).
$(BUILD)/host/duktape.o: $(DUK_GEN)/.stamp common/pfmath.h Makefile
	@mkdir -p $(dir $@)
	@echo "  CC(host) Duktape from $$(cat $<)"
	@$(HOST_CC) $(DUK_HOST_CFLAGS) -c $(DUK_GEN)/duktape.c -o $@

$(BUILD)/host/libcommon.a: $(HOST_OBJ) $(BUILD)/host/duktape.o
	rm -f $@ && ar rcs $@ $^

$(BUILD)/host/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) $(BUILD)/host/libcommon.a
	@echo "  LD(test) $@"
	@$(HOST_CC) $(HOST_CFLAGS) -Itests/unit $< $(BUILD)/host/libcommon.a -lcmocka -lbearssl -o $@

# The library is instrumented for coverage (fuzzer-no-link) so libFuzzer sees into the parsers.
$(BUILD)/fuzz/%.o: %.c $(wildcard common/*.h) Makefile | $(DUK_GEN)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC(fuzz) $<"
	@$(HOST_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

# Duktape for the fuzzers (fuzz_pac), instrumented like the rest so that libFuzzer sees into the engine.
$(BUILD)/fuzz/duktape.o: $(DUK_GEN)/.stamp common/pfmath.h Makefile
	@mkdir -p $(dir $@)
	@echo "  CC(fuzz) Duktape from $$(cat $<)"
	@$(HOST_CC) $(filter-out $(WARN),$(FUZZ_CFLAGS)) -w -fno-sanitize=pointer-overflow -fsanitize=fuzzer-no-link \
	   -c $(DUK_GEN)/duktape.c -o $@

$(BUILD)/fuzz/libcommon.a: $(FUZZ_OBJ) $(BUILD)/fuzz/duktape.o
	rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzzutil.h $(BUILD)/fuzz/libcommon.a
	@echo "  LD(fuzz) $@"
	@$(HOST_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(BUILD)/fuzz/libcommon.a -lbearssl -o $@

unit: $(UNIT_BIN)
	@tests/run-unit $(UNIT_BIN)

# The build in parallel (one job per core): about 1.7 min instead of 3.3 on 2 cores from a clean clone.
# make test also boots the AArch64 build (tests/qemu/scen_aa64.py): its cross build (gnu-efi, BearSSL,
# Duktape and the app for AArch64) runs in the same parallel make, and deps installs the cross compiler.
test: deps-all
	@$(MAKE) --no-print-directory -j$$(nproc) all $(BUILD)/fakeboot.efi $(BUILD)/ovmf/enroll.efi $(UNIT_BIN) $(FUZZ_BIN) aa64-app
	@tests/run-all

# make test with the long families: every power-cut point (PF_LONG=1). Not in CI.
test-long: deps-all
	@$(MAKE) --no-print-directory -j$$(nproc) all $(BUILD)/fakeboot.efi $(BUILD)/ovmf/enroll.efi $(UNIT_BIN) $(FUZZ_BIN) aa64-app
	@PF_LONG=1 tests/run-all

# SECBOOT=PROFILE: the Secure Boot test store of ovmf/mkstore (default ms2023; off: none; docs/secure-boot.md).
run: deps all
	@ARCH=$(ARCH) SECBOOT=$(SECBOOT) scripts/run-demo

# SIGN=db: BOOTX64.EFI is Preflight signed with KEY/CERT (that certificate in the device's db).
# SIGN=shim: BOOTX64.EFI is Debian's Microsoft-signed shim, grubx64.efi Preflight signed with KEY/CERT,
# mmx64.efi MokManager, and CERT in DER at \preflight\mok\preflight-mok.der for enrolling as a MOK.
usb: deps all
ifeq ($(SIGN),)
	@scripts/mkimage --gpt --zip $(BUILD)/preflight-usb.zip --tree scripts/usb-stick --efi $(BUILD)/preflight.efi \
	   -o $(BUILD)/preflight-usb.img
else ifeq ($(SIGN),db)
	@$(MAKE) --no-print-directory sign KEY=$(KEY) CERT=$(CERT)
	@scripts/mkimage --gpt --zip $(BUILD)/preflight-usb.zip --tree scripts/usb-stick --efi $(BUILD)/preflight-signed.efi \
	   -o $(BUILD)/preflight-usb.img
else ifeq ($(SIGN),shim)
	@$(MAKE) --no-print-directory sign KEY=$(KEY) CERT=$(CERT)
	@scripts/mkimage --gpt --zip $(BUILD)/preflight-usb.zip --tree scripts/usb-stick --efi $(BUILD)/preflight-signed.efi \
	   --shim --mok-cert $(CERT) -o $(BUILD)/preflight-usb.img
else
	@echo "make usb: SIGN=$(SIGN) is not one of db, shim" >&2; exit 2
endif
	@echo "built $(BUILD)/preflight-usb.img (GPT, one EFI System Partition): write it to a USB stick (all data on it is lost)"
	@echo "built $(BUILD)/preflight-usb.zip: or unpack it onto any FAT32 stick (docs/stick.md)"

# A boot server folder (docs/netboot.md): INI=, RECORDS=, CERTS=, SAS= the site's files for the RAM disk
# image; URL= where the folder is served, SERVER= the TFTP server's address (for the DHCP snippets);
# SIGN=db KEY=... CERT=...: the signed build.
netboot: deps all
ifneq ($(filter db shim,$(SIGN)),)
	@$(MAKE) --no-print-directory sign KEY=$(KEY) CERT=$(CERT)
endif
ifneq ($(filter-out db shim,$(SIGN)),)
	@echo "make netboot: SIGN=$(SIGN) is not one of db, shim" >&2; exit 2
endif
	@scripts/netboot -o $(BUILD)/netboot $(if $(filter db shim,$(SIGN)),--efi $(BUILD)/preflight-signed.efi) \
	   $(if $(filter shim,$(SIGN)),--shim --mok-cert $(CERT)) \
	   $(if $(INI),--ini $(INI)) $(if $(RECORDS),--records $(RECORDS)) $(if $(CERTS),--certs $(CERTS)) \
	   $(if $(SAS),--sas $(SAS)) $(if $(URL),--url $(URL)) $(if $(SERVER),--server $(SERVER))

bench: deps-all
	@$(MAKE) --no-print-directory all aa64-app
	@tests/bench/run

fuzz: deps $(FUZZ_BIN)
	@tests/run-fuzz $(FUZZ_SECONDS) $(FUZZ_BIN)

fuzz-long: deps $(FUZZ_BIN)
	@tests/run-fuzz-long $(FUZZ_BIN)

clean:
	rm -rf $(BUILD)

endif # ARCH=all
