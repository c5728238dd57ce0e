/* The one-page result screen drawn through GOP with the firmware's own glyphs, scaled to the display. */
#include <efi.h>
#include <efilib.h>
#include "screen.h"
#include "fmt.h"
#include "log.h"
#include "proto.h"
#include "qrtext.h"
#include "utf.h"
#include <qrcodegen.h>

/*
 * Why GOP and not the text console: firmware text modes on large panels give 8x19 glyphs on a
 * 2160-line screen (under 1 % of its height), and only the resolution decides that. The glyphs come
 * from the firmware's HII font (no font of ours), each pixel drawn as a scale x scale block, with the
 * scale chosen so that a text line is at least 2 % of the screen height. Only the graphics console
 * is touched: the serial console keeps its plain log.
 */

#define GLYPH_W_MAX 16
#define GLYPH_H_MAX 32
#define TAIL_ROWS 4 /* the page's last lines: what is printed after it (the prompt, the PREFLIGHT RESULT line) */
#define TAIL_BYTES 256

typedef struct {
	bool loaded, ok;
	uint8_t w, h;
	uint16_t rows[GLYPH_H_MAX]; /* bit x set: foreground */
} glyph;

typedef struct {
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	PF_HII_FONT_PROTOCOL *font;
	SIMPLE_TEXT_OUTPUT_INTERFACE *text; /* the graphics console's own text output, not the splitter */
	UINT32 width, height;
	unsigned cell_w, cell_h;
	glyph cache[128];
	/* The page's foot: lines printed after it, drawn at the page's scale, the newest at the bottom. */
	unsigned scale, x0, tail_top, tail_cols;
	char tail[TAIL_ROWS][TAIL_BYTES];
	size_t tail_n;
} screen;

/* The page on screen, while the console's output is drawn at its foot (con_divert). */
static screen *page;

typedef EFI_GRAPHICS_OUTPUT_BLT_PIXEL pixel;

static const pixel black = { 0, 0, 0, 0 }, white = { 0xff, 0xff, 0xff, 0 }, grey = { 0xc0, 0xc0, 0xc0, 0 },
		   dim = { 0xa0, 0xa0, 0xa0, 0 };
/* Badge colours (BGR order): GO green, WARN amber, NO-GO red, not checked grey. */
static const pixel level_bg[] = {
	[PF_SUM_GO] = { 0x30, 0xa0, 0x10, 0 },
	[PF_SUM_WARN] = { 0x00, 0xb0, 0xf0, 0 },
	[PF_SUM_NO_GO] = { 0x20, 0x20, 0xd0, 0 },
	[PF_SUM_NONE] = { 0x70, 0x70, 0x70, 0 },
};

static bool same(pixel a, pixel b)
{
	return a.Red == b.Red && a.Green == b.Green && a.Blue == b.Blue;
}

/* One glyph of the firmware's font as a bit mask: the more frequent of its two colours is the background. */
static const glyph *glyph_get(screen *s, uint32_t cp, glyph *tmp)
{
	glyph *g = cp < PF_ARRAY_SIZE(s->cache) ? &s->cache[cp] : tmp;
	if (g == tmp || !g->loaded) {
		PF_IMAGE_OUTPUT *img = NULL;
		*g = (glyph){ .loaded = true };
		EFI_STATUS err = s->font->GetGlyph(s->font, (CHAR16)(cp > 0xFFFF ? 0xFFFD : cp), NULL, &img, NULL);
		if (!EFI_ERROR(err) && img && img->Image.Bitmap && img->Width && img->Height) {
			g->w = (uint8_t)PF_MIN(img->Width, GLYPH_W_MAX);
			g->h = (uint8_t)PF_MIN(img->Height, GLYPH_H_MAX);
			pixel c0 = img->Image.Bitmap[0], c1 = c0;
			size_t n0 = 0, n1 = 0;
			for (size_t i = 0; i < (size_t)img->Width * img->Height; i++) {
				if (same(img->Image.Bitmap[i], c0)) {
					n0++;
				} else {
					c1 = img->Image.Bitmap[i];
					n1++;
				}
			}
			pixel bg = n0 >= n1 ? c0 : c1;
			for (unsigned y = 0; y < g->h; y++)
				for (unsigned x = 0; x < g->w; x++)
					if (!same(img->Image.Bitmap[y * img->Width + x], bg))
						g->rows[y] |= (uint16_t)(1u << x);
			g->ok = true;
		}
		if (img) {
			if (img->Image.Bitmap)
				BS->FreePool(img->Image.Bitmap);
			BS->FreePool(img);
		}
	}
	return g->ok ? g : NULL;
}

/* Draws at most max_cols characters of UTF-8 text at (x, y), each glyph pixel a scale x scale block;
 * returns the width drawn in pixels. A line goes to the screen in one Blt. */
static unsigned text_at(screen *s, unsigned x, unsigned y, unsigned scale, pixel fg, pixel bg, const char *t,
			unsigned max_cols)
{
	size_t len = strlen(t), cols = 0;
	for (size_t i = 0, used; i < len && cols < max_cols; i += used, cols++)
		pf_utf8_get((const uint8_t *)t + i, len - i, &used);
	unsigned cw = s->cell_w * scale, chh = s->cell_h * scale;
	if (!cols || x >= s->width || y + chh > s->height)
		return 0;
	unsigned w = PF_MIN((unsigned)cols * cw, s->width - x);
	pixel *buf = pf_malloc((size_t)w * chh * sizeof(*buf));
	if (!buf)
		return 0;
	for (size_t i = 0; i < (size_t)w * chh; i++)
		buf[i] = bg;
	size_t i = 0;
	for (unsigned c = 0; c < cols; c++) {
		size_t used;
		glyph tmp;
		uint32_t cp = pf_utf8_get((const uint8_t *)t + i, len - i, &used);
		i += used;
		const glyph *g = glyph_get(s, cp, &tmp);
		if (!g)
			g = glyph_get(s, '?', &tmp);
		for (unsigned gy = 0; g && gy < g->h && gy < s->cell_h; gy++)
			for (unsigned gx = 0; gx < g->w && gx < s->cell_w; gx++) {
				if (!(g->rows[gy] >> gx & 1))
					continue;
				unsigned px = c * cw + gx * scale;
				for (unsigned dy = 0; dy < scale; dy++)
					for (unsigned dx = 0; dx < scale && px + dx < w; dx++)
						buf[(size_t)(gy * scale + dy) * w + px + dx] = fg;
			}
	}
	s->gop->Blt(s->gop, buf, EfiBltBufferToVideo, 0, 0, x, y, w, chh, 0);
	pf_free(buf);
	return w;
}

/* The result's QR code (common/qrtext.c) at the top right: dark modules on a white square with the
 * four-module quiet zone scanners need; each module at least 3 pixels. Returns its left edge, or the
 * screen's width when there is none. */
static unsigned draw_qr(screen *s, const pf_run *run, unsigned margin, unsigned *ret_bottom)
{
	pf_buf text = { 0 };
	uint8_t *qr = pf_malloc(qrcodegen_BUFFER_LEN_MAX), *tmp = pf_malloc(qrcodegen_BUFFER_LEN_MAX);
	unsigned left = s->width;
	pf_result_qr_text(run, &text);
	*ret_bottom = 0;
	if (qr && tmp && text.p &&
	    qrcodegen_encodeText(text.p, tmp, qr, qrcodegen_Ecc_MEDIUM, qrcodegen_VERSION_MIN, qrcodegen_VERSION_MAX,
				 qrcodegen_Mask_AUTO, true)) {
		unsigned n = (unsigned)qrcodegen_getSize(qr), quiet = 4;
		unsigned px = PF_MAX(3u, (s->height * 35 / 100) / (n + 2 * quiet));
		unsigned side = (n + 2 * quiet) * px;
		if (side + 2 * margin < s->width / 2 && side + 2 * margin < s->height) {
			unsigned x0 = s->width - margin - side, y0 = margin;
			pixel *buf = pf_malloc((size_t)side * side * sizeof(*buf));
			if (buf) {
				for (unsigned y = 0; y < side; y++)
					for (unsigned x = 0; x < side; x++) {
						int mx = (int)(x / px) - (int)quiet, my = (int)(y / px) - (int)quiet;
						bool dark = mx >= 0 && my >= 0 && mx < (int)n && my < (int)n &&
							    qrcodegen_getModule(qr, mx, my);
						buf[(size_t)y * side + x] = dark ? black : white;
					}
				s->gop->Blt(s->gop, buf, EfiBltBufferToVideo, 0, 0, x0, y0, side, side, 0);
				pf_free(buf);
				left = x0;
				*ret_bottom = y0 + side;
			}
		}
	}
	pf_free(qr);
	pf_free(tmp);
	pf_buf_free(&text);
	return left;
}

/* The text output of the graphics console: a handle with both GOP and text output that is not the
 * console splitter's. */
static SIMPLE_TEXT_OUTPUT_INTERFACE *graphics_console(void)
{
	EFI_HANDLE *h = NULL;
	UINTN n = 0;
	SIMPLE_TEXT_OUTPUT_INTERFACE *found = NULL;
	if (EFI_ERROR(BS->LocateHandleBuffer(ByProtocol, &TextOutProtocol, NULL, &n, &h)))
		return NULL;
	for (UINTN i = 0; i < n && !found; i++) {
		void *gop, *text;
		if (h[i] == ST->ConsoleOutHandle || h[i] == ST->StandardErrorHandle)
			continue;
		if (!EFI_ERROR(BS->HandleProtocol(h[i], &GraphicsOutputProtocol, &gop)) &&
		    !EFI_ERROR(BS->HandleProtocol(h[i], &TextOutProtocol, &text)))
			found = text;
	}
	BS->FreePool(h);
	return found;
}

static EFI_STATUS screen_open(screen *s)
{
	static EFI_GUID font_guid = PF_HII_FONT_PROTOCOL_GUID;
	*s = (screen){ 0 };
	s->text = graphics_console();
	if (!s->text)
		return EFI_UNSUPPORTED; /* no display (a serial-only machine, the CI's headless VM) */
	EFI_STATUS err = BS->HandleProtocol(ST->ConsoleOutHandle, &GraphicsOutputProtocol, (void **)&s->gop);
	if (EFI_ERROR(err))
		err = LibLocateProtocol(&GraphicsOutputProtocol, (void **)&s->gop);
	if (EFI_ERROR(err))
		return log_error_status(err, "a graphics console without GOP");
	err = LibLocateProtocol(&font_guid, (void **)&s->font);
	if (EFI_ERROR(err))
		return log_error_status(err, "no HII font for the result screen");
	s->width = s->gop->Mode->Info->HorizontalResolution;
	s->height = s->gop->Mode->Info->VerticalResolution;
	glyph tmp;
	const glyph *m = glyph_get(s, 'M', &tmp);
	if (!m || s->width < 320 || s->height < 200)
		return log_error_status(EFI_UNSUPPORTED, "the firmware font or the display is not usable");
	s->cell_w = m->w;
	s->cell_h = m->h;
	return EFI_SUCCESS;
}

void screen_page_close(void)
{
	if (!page)
		return;
	con_undivert();
	pf_free(page);
	page = NULL;
}

static void tail_push(screen *s, const char *t, size_t len)
{
	if (s->tail_n == TAIL_ROWS) {
		for (size_t i = 1; i < TAIL_ROWS; i++)
			memcpy(s->tail[i - 1], s->tail[i], TAIL_BYTES);
		s->tail_n--;
	}
	len = PF_MIN(len, (size_t)TAIL_BYTES - 1);
	memcpy(s->tail[s->tail_n], t, len);
	s->tail[s->tail_n][len] = '\0';
	s->tail_n++;
}

/* The foot's rows cleared and drawn again, the lines bottom-aligned. */
static void tail_draw(screen *s)
{
	unsigned line_h = s->cell_h * s->scale;
	size_t first = TAIL_ROWS - s->tail_n;
	for (size_t i = 0; i < TAIL_ROWS; i++) {
		unsigned y = s->tail_top + (unsigned)i * line_h;
		if (y + line_h > s->height)
			break;
		pixel bg = black;
		s->gop->Blt(s->gop, &bg, EfiBltVideoFill, 0, 0, 0, y, s->width, line_h, 0);
		if (i >= first)
			text_at(s, s->x0, y, s->scale, white, black, s->tail[i - first], s->tail_cols);
	}
}

/* One line the console printed after the page (con_divert's line_fn): left-aligned at the page's scale,
 * never wrapped. A line wider than the screen is split after a sentence (". ") where it can be, so that
 * "... cannot be started. Press S to shut down, ..." keeps the keys to press; otherwise it is cut at the
 * screen's edge, like the page's own lines (the serial console and the reports have all of it). Blank
 * lines are left out: the page's own spacing stands for them. */
static void tail_line(const char *text, size_t len)
{
	screen *s = page;
	if (!s || !len)
		return;
	while (len) {
		size_t i = 0, cols = 0, split = 0;
		while (i < len && cols < s->tail_cols) {
			size_t used;
			pf_utf8_get((const uint8_t *)text + i, len - i, &used);
			if (text[i] == '.' && i + 1 < len && text[i + 1] == ' ')
				split = i + 1;
			i += used;
			cols++;
		}
		if (i >= len || !split) { /* fits, or no sentence end to split at: the rest, cut if need be */
			tail_push(s, text, len);
			break;
		}
		tail_push(s, text, split);
		text += split + 1;
		len -= split + 1;
	}
	tail_draw(s);
}

void screen_show_summary(const pf_run *run, const char *report_path)
{
	screen_page_close(); /* the previous run's page (debug.repeat) */
	screen *s = pf_malloc(sizeof(*s));
	if (!s) {
		log_error_status(EFI_OUT_OF_RESOURCES, "result screen");
		return;
	}
	if (EFI_ERROR(screen_open(s))) { /* logged there, or no graphics console at all */
		pf_free(s);
		return;
	}
	/* The smallest whole scale at which a text line is at least 2 % of the screen height. */
	unsigned scale = PF_MAX(1u, (2 * s->height + 100 * s->cell_h - 1) / (100 * s->cell_h));
	unsigned line_h = s->cell_h * scale, col_w = s->cell_w * scale;

	/* The page's last TAIL_ROWS lines are kept for what is printed after it (tail_line). */
	unsigned x0 = 2 * col_w, y = line_h / 2;
	unsigned tail_h = TAIL_ROWS * line_h + line_h / 2;
	unsigned bottom = s->height > tail_h + line_h ? s->height - tail_h - line_h / 2 : 0;
	s->scale = scale;
	s->x0 = x0;
	s->tail_top = bottom + line_h / 2;
	s->tail_cols = s->width > x0 ? (s->width - x0) / col_w : 0;
	s->text->SetAttribute(s->text, EFI_LIGHTGRAY | EFI_BACKGROUND_BLACK);
	s->text->ClearScreen(s->text);
	unsigned qr_bottom;
	unsigned right = draw_qr(s, run, y, &qr_bottom);
	/* Lines beside the code stop left of it; lines below it take the whole width. */
	unsigned narrow_cols = right > 2 * x0 ? (right - 2 * x0) / col_w : 1;
	unsigned wide_cols = s->width > 2 * x0 ? (s->width - 2 * x0) / col_w : 1;
	size_t max_lines = bottom > y ? (bottom - y) / line_h : 0;
	max_lines = max_lines > 1 ? max_lines - 1 : 0; /* the verdict line is twice as high */

	pf_summary *sum = pf_malloc(sizeof(*sum));
	if (!sum) {
		pf_free(s);
		log_error_status(EFI_OUT_OF_RESOURCES, "result screen");
		return;
	}
	pf_summary_build(run, report_path, max_lines, sum);
	for (size_t i = 0; i < sum->n && y + line_h <= bottom; i++) {
		const pf_sum_line *l = &sum->lines[i];
		unsigned page_cols = y < qr_bottom ? narrow_cols : wide_cols;
		pixel badge_bg = level_bg[l->level], badge_fg = l->level == PF_SUM_NO_GO ? white : black;
		char badge[16];
		pf_snprintf(badge, sizeof(badge), " %s ", l->badge);
		switch (l->kind) {
		case PF_SUM_TITLE:
			text_at(s, x0, y, scale, grey, black, l->text, page_cols);
			break;
		case PF_SUM_VERDICT: {
			/* Large and in reverse video: the one word a technician reads from across the bench. */
			unsigned w = text_at(s, x0, y, 2 * scale, badge_fg, badge_bg, badge, page_cols / 2);
			text_at(s, x0 + w + col_w, y + line_h / 2, scale, white, black, l->text,
				page_cols > w / col_w + 1 ? page_cols - w / col_w - 1 : 0);
			y += line_h;
			break;
		}
		case PF_SUM_STEP: {
			char title[40];
			pf_snprintf(title, sizeof(title), "%-22s", l->text);
			unsigned w = text_at(s, x0, y, scale, white, black, title, page_cols);
			text_at(s, x0 + w, y, scale, badge_fg, badge_bg, badge, page_cols > 22 ? page_cols - 22 : 0);
			break;
		}
		case PF_SUM_FINDING: {
			char b[16];
			pf_snprintf(b, sizeof(b), "%-7s", badge);
			unsigned w = text_at(s, x0, y, scale, badge_fg, badge_bg, b, page_cols);
			text_at(s, x0 + w + col_w, y, scale, white, black, l->text, page_cols > 8 ? page_cols - 8 : 0);
			break;
		}
		case PF_SUM_FIX:
			text_at(s, x0 + 8 * col_w, y, scale, dim, black, l->text, page_cols > 8 ? page_cols - 8 : 0);
			break;
		case PF_SUM_TEXT:
			text_at(s, x0, y, scale, grey, black, l->text, page_cols);
			break;
		case PF_SUM_BLANK:
			break;
		}
		y += line_h;
	}
	pf_free(sum);
	/* The graphics console's own text would land wherever its cursor is, in its own size and wrapped:
	 * from here on the console's output is drawn at the page's foot instead (the serial console gets
	 * the same bytes as ever). */
	s->text->EnableCursor(s->text, FALSE);
	if (EFI_ERROR(con_divert(s->text, tail_line))) { /* logged there; the firmware prints below the page */
		UINTN cols = 80, rows = 25;
		if (EFI_ERROR(s->text->QueryMode(s->text, s->text->Mode->Mode, &cols, &rows)) || rows < TAIL_ROWS)
			rows = 25;
		s->text->SetCursorPosition(s->text, 0, rows - TAIL_ROWS);
		pf_free(s);
		return;
	}
	page = s;
}
