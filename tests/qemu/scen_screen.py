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


WHITE = (0xff, 0xff, 0xff)


def ink_bands(rows, x_limit):
    """Runs of rows with white text pixels left of x_limit: (first row, height, leftmost x, rightmost x)."""
    bands, cur = [], None
    for y, row in enumerate(rows):
        xs = [x for x in range(min(x_limit, len(row))) if row[x] == WHITE]
        if xs and cur is None:
            cur = [y, 1, min(xs), max(xs)]
        elif xs:
            cur[1] += 1
            cur[2], cur[3] = min(cur[2], min(xs)), max(cur[3], max(xs))
        elif cur is not None:
            bands.append(tuple(cur))
            cur = None
    if cur is not None:
        bands.append(tuple(cur))
    return bands


def check_foot(shot, run, w, h, line_h, x0, col_w):
    """The prompt and the PREFLIGHT RESULT line, the serial console's last two lines, are the page's last two
    text lines: at its scale, one line each (never wrapped), left-aligned with the page, at the bottom, each
    as long as its text (or cut at the screen's edge when wider than the screen)."""
    result = run.lines[-1].strip()
    prompt = run.lines[-2].strip()
    if not result.startswith("PREFLIGHT RESULT") or not prompt.startswith("Press S to shut down"):
        raise AssertionError(f"serial console's last lines: {run.lines[-2:]}")
    cols = (w - x0) // col_w
    want = {name: min(len(t), cols) for name, t in (("prompt", prompt), ("result", result))}
    _, _, rows = png.read(shot, cols=min(w, x0 + (max(want.values()) + 1) * col_w))
    bands = ink_bands(rows, w)
    if len(bands) < 2:
        raise AssertionError(f"white text bands {bands}: no prompt and result line")
    got = dict(zip(("prompt", "result"), bands[-2:]))
    for name, (top, height, left, right) in got.items():
        if height > line_h:
            raise AssertionError(f"the {name} line is {height} px high (wrapped?), a text line is {line_h} px")
        if not x0 <= left < x0 + col_w:
            raise AssertionError(f"the {name} line starts at x={left}, the page's lines at x={x0}")
        n = want[name]
        if not x0 + (n - 1) * col_w <= right < x0 + n * col_w:
            raise AssertionError(f"the {name} line ends at x={right}: not {n} characters of {col_w} px from x={x0}")
    if got["result"][0] + got["result"][1] < h - 2 * line_h or got["result"][0] - got["prompt"][0] != line_h:
        raise AssertionError(f"prompt {got['prompt']} and result line {got['result']} are not the page's last lines "
                             f"(screen {h} px high, lines {line_h} px)")
    print(f"qemu: screen {w}x{h}: prompt and result line at the foot, x={x0}, {want['prompt']} and "
          f"{want['result']} of {len(result)} characters at {col_w} px, rows {got['prompt'][0]} and "
          f"{got['result'][0]}", flush=True)


def badge_left(rows, y):
    """The first column of row y in a badge colour (where the page's lines start)."""
    return next(x for x, p in enumerate(rows[y]) if p in BADGES.values())


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
        # A finding badge is 7 characters wide: one character cell is its width / 7.
        first = lines[0]
        x0 = badge_left(rows, first[0] + first[1] // 2)
        bw = 0
        while rows[first[0] + 1][x0 + bw] == BADGES[first[2]]:
            bw += 1
        check_foot(shot, runs[0], w, h, line_h, x0, round(bw / 7))
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
