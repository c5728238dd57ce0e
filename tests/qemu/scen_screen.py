"""The technician's result screen: a display at 800x600 and a 3840x2160 panel, read back from QMP screendumps."""
import subprocess

import png
from rig import Scenario

# The VM waits at the prompt; the rig takes the screendump when the result line is on the serial log.
INI = "[after]\naction = prompt\n[network]\nenabled = false\n[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n"
# Badge colours of efi/screen.c (RGB) as docs/screen.md gives them.
BADGES = {"NO-GO": (0xd0, 0x20, 0x20), "WARN": (0xf0, 0xb0, 0x00), "GO": (0x10, 0xa0, 0x30)}


def badge_runs(rows, width):
    """Vertical runs of rows with a badge colour in the page's left column (verdict and finding badges;
    the step badges sit further right): (first row, height, colour name)."""
    runs, start, name = [], None, None
    for y, row in enumerate(rows):
        hit = next((n for n, c in BADGES.items() if sum(1 for p in row if p == c) >= 4), None)
        if hit and start is None:
            start, name = y, hit
        elif not hit and start is not None:
            runs.append((start, y - start, name))
            start = None
    if start is not None:
        runs.append((start, len(rows) - start, name))
    return runs


def qr_expected(doc):
    """docs/report.md "QR code", built from the JSON report on the stick."""
    def v(s):
        return "".join(c if 0x20 <= ord(c) < 0x7f else "?" for c in (s or "")[:64])
    codes = []
    for f in doc["findings"]:
        if f["severity"] in ("error", "warn") and f["code"] not in codes:
            codes.append(f["code"])
    ident = doc["identity"]
    return (f"PREFLIGHT 1\nverdict={doc['verdict']}\nserial={v(ident['serial'])}\n"
            f"manufacturer={v(ident['manufacturer'])}\nmodel={v(ident['product'])}\ncodes={','.join(codes)}\n"
            f"time={v(doc['started'] or 'unknown')}\ntool={v(doc['tool_version'])}\n")


def qr_check(shot, doc):
    """An independent decoder (zbarimg, Debian's zbar-tools) reads the code on the screendump."""
    proc = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", shot], capture_output=True,
                          timeout=60)
    got = proc.stdout.decode("utf-8", "replace")
    want = qr_expected(doc)
    # zbarimg ends each symbol's data with a newline of its own.
    if proc.returncode != 0 or got != want + "\n":
        raise AssertionError(f"zbarimg exit {proc.returncode}: read {got!r}, expected {want!r}")
    return got


def screen_check(width, height):
    def check(runs):
        shot = runs[0].screen
        if not shot:
            raise AssertionError("no screendump")
        w, h, rows = png.read(shot, cols=width // 8)
        if (w, h) != (width, height):
            raise AssertionError(f"the screen is {w}x{h}, expected {width}x{height}")
        found = badge_runs(rows, w)
        if len(found) < 3:
            raise AssertionError(f"badges on the left: {found}; expected the verdict and the finding badges")
        verdict, lines = found[0], found[1:]
        line_h = min(r[1] for r in lines)
        # The text line (a glyph cell, as the badge's background shows it) is at least 2 % of the height.
        if line_h < 0.02 * h:
            raise AssertionError(f"text line {line_h} px high on a {h}-pixel screen ({100 * line_h / h:.1f} %)")
        # The verdict is larger (reverse video, twice the height) and says what the result line says.
        want = runs[0].result["verdict"]
        if verdict[2] != want or verdict[1] < 2 * line_h - 1:
            raise AssertionError(f"verdict badge {verdict}, expected {want} at least {2 * line_h} px high")
        # Errors come before warnings, as on the page.
        names = [r[2] for r in lines]
        if names != sorted(names, key=lambda n: n != "NO-GO"):
            raise AssertionError(f"finding badges out of order: {names}")
        text = qr_check(shot, runs[0].report_json())
        print(f"qemu: screen {w}x{h}: QR code read by zbarimg, {len(text) - 1} bytes as documented", flush=True)
        print(f"qemu: screen {w}x{h}: text line {line_h} px ({100 * line_h / h:.1f} % of the height), verdict "
              f"{verdict[2]} {verdict[1]} px, finding badges {names}", flush=True)
    return check


SCENARIOS = [
    Scenario("screen-800x600", smbios=["type=1,serial=SCREEN-800"], ini=INI, timeout=120,
             qemu=["-device", "VGA,xres=800,yres=600"], stop_on=["PREFLIGHT RESULT"], screendump=True,
             check=screen_check(800, 600)),
    # A 4K panel: OVMF's PlatformConfig (ovmf/mkstore display-3840x2160) makes it the firmware's mode.
    Scenario("screen-3840x2160", smbios=["type=1,serial=SCREEN-4K"], ini=INI, timeout=120,
             store="display-3840x2160", qemu=["-device", "VGA,xres=3840,yres=2160,vgamem_mb=64"],
             stop_on=["PREFLIGHT RESULT"], screendump=True, check=screen_check(3840, 2160)),
]
