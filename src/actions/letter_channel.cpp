// The postal letter: an A4 PDF laid out as a French administrative letter,
// set by pango and drawn by cairo. The fonts are embedded (a printer or a
// reader shows exactly what was laid out) and the PDF is tagged (its
// structure tree gives screen readers the reading order, the headings and
// the lists).
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

#include "actions/channels.hpp"
#include "actions/pdf_accessibility.hpp"
#include "core/date.hpp"
#include "core/output_file.hpp"

namespace proactif {

namespace {

// Geometry in PDF points (1/72 inch), A4 portrait, y growing downwards.
constexpr double kMm = 72.0 / 25.4;
constexpr double kPageWidth = 210 * kMm, kPageHeight = 297 * kMm;
constexpr double kLeft = 22 * kMm, kRight = kPageWidth - 20 * kMm;
constexpr double kTop = 15 * kMm;
constexpr double kBottom = kPageHeight - 20 * kMm;  // the body's last line; the page number sits below
// A DL window envelope shows 100 x 45 mm at 100 mm from the left edge and
// 50 mm from the top (NF Z 10-011): the address starts inside it, clear of
// its edges whichever way the letter slides.
constexpr double kAddressX = 110 * kMm, kAddressY = 55 * kMm, kAddressWidth = 88 * kMm;
constexpr double kSenderWidth = 100 * kMm - 5 * kMm - kLeft;  // left of the window
constexpr double kRightHalf = kAddressX;                      // the date and the signature line up with the address
constexpr double kLogoHeight = 25 * kMm;
constexpr double kQrSide = 22 * kMm;  // the symbol without its quiet zone: phones read it at arm's length
constexpr int kQuietModules = 4;

const char* const kBodyFont = "DejaVu Sans 11";
const char* const kBoldFont = "DejaVu Sans Bold 11";
const char* const kHeadingFont = "DejaVu Sans Bold 12";
const char* const kSmallFont = "DejaVu Sans 9";

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
    lines.push_back(l);
  }
  return lines;
}

std::string join(const std::vector<std::string>& lines, char separator) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : std::string(1, separator)) + l;
  return out;
}

// The body as the text template writes it: paragraphs separated by blank
// lines, "- " list items, headings underlined by '='; its last paragraph is
// the signature (name, title) when it begins with the signatory's name.
enum class Kind { kParagraph, kHeading, kItem, kSignature };
struct Piece {
  Kind kind;
  std::vector<std::string> lines;
};

bool is_rule(const std::string& line) { return !line.empty() && line.find_first_not_of('=') == std::string::npos; }

std::vector<Piece> parse_body(const std::string& text, const std::string& signatory) {
  std::vector<std::string> lines = split_lines(text);
  std::vector<Piece> pieces;
  bool open = false;  // the last piece is a paragraph that the next line continues
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.empty()) {
      open = false;
    } else if (i + 1 < lines.size() && is_rule(lines[i + 1])) {
      pieces.push_back({Kind::kHeading, {l}});
      ++i;
      open = false;
    } else if (l.starts_with("- ")) {
      pieces.push_back({Kind::kItem, {l.substr(2)}});
      open = false;
    } else if (open) {
      pieces.back().lines.push_back(l);
    } else {
      pieces.push_back({Kind::kParagraph, {l}});
      open = true;
    }
  }
  if (!signatory.empty() && !pieces.empty() && pieces.back().kind == Kind::kParagraph &&
      pieces.back().lines[0] == signatory)
    pieces.back().kind = Kind::kSignature;
  return pieces;
}

struct Unref {
  void operator()(void* object) const { g_object_unref(object); }
};
using Layout = std::unique_ptr<PangoLayout, Unref>;

// `bold_bytes`: how many bytes at the start are set in bold (a block's title line).
Layout make_layout(PangoContext* context, const std::string& text, const char* font, double width,
                   size_t bold_bytes = 0) {
  Layout layout(pango_layout_new(context));
  PangoFontDescription* description = pango_font_description_from_string(font);
  pango_layout_set_font_description(layout.get(), description);
  pango_font_description_free(description);
  pango_layout_set_width(layout.get(), pango_units_from_double(width));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);  // by word; by character only for a word wider than a line
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  if (bold_bytes > 0) {
    PangoAttrList* attributes = pango_attr_list_new();
    PangoAttribute* bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
    bold->end_index = static_cast<guint>(bold_bytes);
    pango_attr_list_insert(attributes, bold);
    pango_layout_set_attributes(layout.get(), attributes);
    pango_attr_list_unref(attributes);
  }
  return layout;
}

double height_of(PangoLayout* layout) {
  int width = 0, height = 0;
  pango_layout_get_pixel_size(layout, &width, &height);  // pixels are points here (72 dpi)
  return height;
}

void shrink_to(PangoLayout* layout, double width) {
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  double actual = pango_units_to_double(logical.width);
  if (actual <= width) return;
  PangoFontDescription* font = pango_font_description_copy(pango_layout_get_font_description(layout));
  pango_font_description_set_size(font, static_cast<gint>(pango_font_description_get_size(font) * width / actual));
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);
}

// Draws a whole layout with its top left corner at (x, y), inside a structure element.
double show(cairo_t* cr, const char* tag, PangoLayout* layout, double x, double y) {
  cairo_tag_begin(cr, tag, "");
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
  cairo_tag_end(cr, tag);
  return y + height_of(layout);
}

// A block of the body, laid out, with where each of its lines lies from its top.
struct Line {
  double x, top, baseline, bottom;
};
struct Block {
  Kind kind;
  Layout layout;
  double x, space_before;
  bool keep_whole, keep_with_next;
  std::vector<Line> lines;
};

std::vector<Line> lines_of(PangoLayout* layout) {
  std::vector<Line> lines;
  PangoLayoutIter* it = pango_layout_get_iter(layout);
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it, nullptr, &logical);
    lines.push_back({pango_units_to_double(logical.x), pango_units_to_double(logical.y),
                     pango_units_to_double(pango_layout_iter_get_baseline(it)),
                     pango_units_to_double(logical.y + logical.height)});
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  return lines;
}

constexpr double kItemIndent = 6 * kMm;  // list items hang from their bullet

std::vector<Block> lay_out_body(PangoContext* context, const std::vector<Piece>& pieces) {
  std::vector<Block> blocks;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Piece& p = pieces[i];
    bool closing = i + 2 == pieces.size() && pieces.back().kind == Kind::kSignature;
    Block b{p.kind, nullptr, kLeft, 8, false, false, {}};
    switch (p.kind) {
      case Kind::kParagraph:
        b.layout = make_layout(context, join(p.lines, ' '), kBodyFont, kRight - kLeft);
        b.keep_whole = b.keep_with_next = closing;  // the closing formula stays with the signature
        break;
      case Kind::kHeading:
        b.layout = make_layout(context, p.lines[0], kHeadingFont, kRight - kLeft);
        b.space_before = 16;
        b.keep_whole = b.keep_with_next = true;
        break;
      case Kind::kItem:
        b.x = kLeft + kItemIndent;
        b.layout = make_layout(context, p.lines[0], kBodyFont, kRight - b.x);
        b.space_before = i > 0 && pieces[i - 1].kind == Kind::kItem ? 3 : 6;
        break;
      case Kind::kSignature:
        b.x = kRightHalf;
        b.layout = make_layout(context, join(p.lines, '\n'), kBodyFont, kRight - b.x);
        b.space_before = 24;
        b.keep_whole = true;
        break;
    }
    b.lines = lines_of(b.layout.get());
    blocks.push_back(std::move(b));
  }
  return blocks;
}

// Which lines of which block go where: blocks flow down the pages, a
// paragraph split between lines when at least two of its lines stay on each
// side. The last two blocks (closing formula, signature) end above `footer_top`,
// so that the verification footer fits under them on the last page.
struct Slice {
  size_t block, first, last;
  int page;
  double y;  // where the top of line `first` lies
};

std::vector<Slice> paginate(const std::vector<Block>& blocks, double body_top, double footer_top) {
  std::vector<Slice> slices;
  int page = 0;
  double y = body_top;
  bool page_empty = true;
  auto bottom_of = [&](size_t i) { return i + 2 >= blocks.size() ? footer_top : kBottom; };
  auto span = [&](const Block& b, size_t first, size_t last) { return b.lines[last - 1].bottom - b.lines[first].top; };
  for (size_t i = 0; i < blocks.size(); ++i) {
    const Block& b = blocks[i];
    size_t first = 0, n = b.lines.size();
    while (first < n) {
      double top = page_empty ? y : y + b.space_before;
      double reserve = 0;  // what must follow on the same page
      if (b.keep_with_next && !page_empty && i + 1 < blocks.size()) {
        const Block& next = blocks[i + 1];
        reserve = next.space_before +
                  span(next, 0, next.keep_whole ? next.lines.size() : std::min<size_t>(2, next.lines.size()));
      }
      if (top + span(b, first, n) + reserve <= (reserve > 0 ? bottom_of(i + 1) : bottom_of(i))) {
        slices.push_back({i, first, n, page, top});
        y = top + span(b, first, n);
        page_empty = false;
        break;
      }
      size_t fit = first;
      while (fit < n && top + span(b, first, fit + 1) <= bottom_of(i)) ++fit;
      bool splittable = !b.keep_whole && fit - first >= 2 && n - fit >= 2;
      if (page_empty && fit == first) fit = first + 1;  // taller than a page: nothing better to do
      if (splittable || page_empty) {
        slices.push_back({i, first, fit, page, top});
        first = fit;
      }
      ++page;
      y = kTop;
      page_empty = true;
    }
  }
  return slices;
}

void draw_lines(cairo_t* cr, const Block& b, const Slice& s) {
  double shift = s.y - b.lines[s.first].top;
  for (size_t i = s.first; i < s.last; ++i) {
    cairo_move_to(cr, b.x + b.lines[i].x, shift + b.lines[i].baseline);
    pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(b.layout.get(), static_cast<int>(i)));
  }
}

const char* tag_of(Kind kind) { return kind == Kind::kHeading ? "H2" : "P"; }

// Whether two slices are items of one list on one page.
bool same_list(const std::vector<Block>& blocks, const Slice* a, const Slice* b) {
  return a && b && a->page == b->page && blocks[a->block].kind == Kind::kItem && blocks[b->block].kind == Kind::kItem;
}

// Draws one slice inside its structure elements. They are closed at the end
// of each page and opened again on the next: the page number, drawn between
// pages, is an element of its own (an artifact, pdf_accessibility.hpp), which
// cairo cannot nest in a sentence or a list.
void draw_slice(cairo_t* cr, PangoContext* context, const std::vector<Block>& blocks, const Slice* previous,
                const Slice& s, const Slice* next) {
  const Block& b = blocks[s.block];
  if (b.kind != Kind::kItem) {
    cairo_tag_begin(cr, tag_of(b.kind), "");
    draw_lines(cr, b, s);
    cairo_tag_end(cr, tag_of(b.kind));
    return;
  }
  if (!same_list(blocks, previous, &s)) cairo_tag_begin(cr, "L", "");
  cairo_tag_begin(cr, "LI", "");
  if (s.first == 0) {
    Layout bullet = make_layout(context, "•", kBodyFont, kItemIndent);
    cairo_tag_begin(cr, "Lbl", "");
    cairo_move_to(cr, kLeft + 2 * kMm, s.y + b.lines[0].baseline - b.lines[0].top);
    pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(bullet.get(), 0));
    cairo_tag_end(cr, "Lbl");
  }
  cairo_tag_begin(cr, "LBody", "");
  draw_lines(cr, b, s);
  cairo_tag_end(cr, "LBody");
  cairo_tag_end(cr, "LI");
  if (!same_list(blocks, &s, next)) cairo_tag_end(cr, "L");
}

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using QrCode = std::unique_ptr<QRcode, decltype(&QRcode_free)>;

// The body's logo, 25 mm high; an unreadable file is left out rather than
// holding the letter back. Returns where the sender block goes on; adds the
// figure's alternative text to `alts` when it is drawn.
double draw_logo(cairo_t* cr, const std::string& path, const std::string& sender, double y,
                 std::vector<std::string>& alts) {
  if (path.empty()) return y;
  Surface logo(cairo_image_surface_create_from_png(path.c_str()), cairo_surface_destroy);
  int height = cairo_image_surface_get_height(logo.get());
  if (cairo_surface_status(logo.get()) != CAIRO_STATUS_SUCCESS || height <= 0) return y;
  double scale = kLogoHeight / height;
  cairo_tag_begin(cr, "Figure", "");  // its alternative text: pdf_accessibility.hpp
  alts.push_back("Logo : " + sender);
  cairo_save(cr);
  cairo_translate(cr, kLeft, y);
  cairo_scale(cr, scale, scale);
  cairo_set_source_surface(cr, logo.get(), 0, 0);
  // Filled, not painted: cairo 1.16 fails a tagged document with an
  // unbounded paint inside a structure element.
  cairo_rectangle(cr, 0, 0, cairo_image_surface_get_width(logo.get()), height);
  cairo_fill(cr);
  cairo_restore(cr);
  cairo_tag_end(cr, "Figure");
  return y + kLogoHeight + 3 * kMm;
}

// The top of the first page: sender, date, reference, address, object.
// Returns where the body begins.
double draw_heading(cairo_t* cr, PangoContext* context, const std::string& recipient_block, const RenderedMessage& m,
                    std::vector<std::string>& alts) {
  double y = draw_logo(cr, m.from.logo, m.from.name, kTop, alts);
  std::string sender = m.from.name;
  for (const auto& l : m.from.address) sender += "\n" + l;
  for (const auto& l : m.from.contact) sender += "\n" + l;
  y = show(cr, "P", make_layout(context, sender, kSmallFont, kSenderWidth, m.from.name.size()).get(), kLeft, y);
  y = show(cr, "P", make_layout(context, "Référence : " + m.reference, kSmallFont, kSenderWidth).get(), kLeft,
           y + 3 * kMm);

  std::string date =
      m.from.town.empty() ? "Le " + french_long_date(m.date) : "À " + m.from.town + ", le " + french_long_date(m.date);
  show(cr, "P", make_layout(context, date, kBodyFont, kRight - kRightHalf).get(), kRightHalf, kAddressY - 15 * kMm);
  // Not wrapped: the address lines were checked (38 characters at most,
  // campaign/contacts.cpp); set smaller when wide capitals would run out of
  // the window.
  Layout address = make_layout(context, join(split_lines(recipient_block), '\n'), kBodyFont, -1);
  shrink_to(address.get(), kAddressWidth);
  double address_end = show(cr, "P", address.get(), kAddressX, kAddressY);

  y = std::max(y, address_end) + 12 * kMm;
  y = show(cr, "H1", make_layout(context, "Objet : " + m.subject, kBoldFont, kRight - kLeft).get(), kLeft, y);
  return y + 6 * kMm;
}

// The QR code as filled squares, `module` points each, its top left corner
// (quiet zone included) at (x, y).
void draw_qr(cairo_t* cr, const QRcode& qr, double x, double y, double module) {
  cairo_tag_begin(cr, "Figure", "");
  for (int r = 0; r < qr.width; ++r)
    for (int c = 0; c < qr.width; ++c)
      if (qr.data[r * qr.width + c] & 1)
        cairo_rectangle(cr, x + (c + kQuietModules) * module, y + (r + kQuietModules) * module, module, module);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_fill(cr);
  cairo_tag_end(cr, "Figure");
}

double qr_total_side(const QRcode* qr) { return qr ? kQrSide * (qr->width + 2 * kQuietModules) / qr->width : 0; }

Layout footer_text(PangoContext* context, const RenderedMessage& m, const QRcode* qr) {
  // The code of a right the letter tells of: the reference may name one
  // withdrawn since the message was first made.
  std::string first = "Code de vérification : " + (m.codes.empty() ? m.reference : m.codes.front());
  std::string text = first + "\nCe courrier ne vous demande ni mot de passe ni coordonnées bancaires.";
  if (!m.verify_url.empty())
    text += "\nPour vérifier son authenticité, lisez le code ci-contre ou rendez-vous sur :\n" + m.verify_url;
  double width = kRight - kLeft - (qr ? qr_total_side(qr) + 3 * kMm : 0);
  return make_layout(context, text, kSmallFont, width, first.size());
}

// The verification footer, at the bottom of the last page: the code, what
// this letter never asks for, and the QR code of the page that checks it.
void draw_footer(cairo_t* cr, PangoLayout* text, const QRcode* qr, double top) {
  double side = qr_total_side(qr);
  cairo_tag_begin(cr, kArtifactTag, "");  // a rule: layout only
  cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
  cairo_set_line_width(cr, 0.5);
  cairo_move_to(cr, kLeft, top - 2 * kMm);  // clear of the QR code's quiet zone
  cairo_line_to(cr, kRight, top - 2 * kMm);
  cairo_stroke(cr);
  cairo_tag_end(cr, kArtifactTag);
  cairo_set_source_rgb(cr, 0, 0, 0);
  show(cr, "P", text, kLeft, top + (side > 0 ? (side - height_of(text)) / 2 : 3 * kMm));
  if (qr) draw_qr(cr, *qr, kRight - side, top, kQrSide / qr->width);
}

void draw_page_number(cairo_t* cr, PangoContext* context, int page, int pages) {
  if (pages < 2) return;
  Layout number =
      make_layout(context, std::to_string(page + 1) + "/" + std::to_string(pages), kSmallFont, kRight - kLeft);
  pango_layout_set_alignment(number.get(), PANGO_ALIGN_CENTER);
  cairo_tag_begin(cr, kArtifactTag, "");  // pagination, which a screen reader skips
  cairo_move_to(cr, kLeft, kPageHeight - 12 * kMm);
  pango_cairo_show_layout(cr, number.get());
  cairo_tag_end(cr, kArtifactTag);
}

cairo_status_t append_to(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Pango and fontconfig are not thread safe in every version, and delivery
// writes letters from several threads: one letter is set at a time, with
// one font map shared by all (loading fonts is the costly part; a letter
// takes milliseconds).
std::mutex layout_mutex;
PangoFontMap* font_map() {
  static PangoFontMap* map = pango_cairo_font_map_new();
  return map;
}

void set_metadata(cairo_surface_t* surface, const RenderedMessage& m) {
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, m.subject.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, m.from.name.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Proactif");
  // The letter's own date, not the time it was drawn: the same letter drawn
  // again is the same file.
  if (parse_iso_date(m.date))
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, (m.date + "T00:00:00").c_str());
}

// Lays out and draws the whole letter into `pdf`; empty on success, else why
// not (`permanent`: drawing it again will not help). `alts`: the
// alternative text of each figure drawn, in order.
std::string render(const std::string& recipient_block, const RenderedMessage& m, std::string& pdf,
                   std::vector<std::string>& alts, bool& permanent) {
  QrCode qr(nullptr, QRcode_free);
  if (!m.verify_url.empty()) {
    qr.reset(QRcode_encodeString(m.verify_url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!qr) return "verification address too long for a QR code";
  }
  std::lock_guard lock(layout_mutex);
  Surface surface(cairo_pdf_surface_create_for_stream(append_to, &pdf, kPageWidth, kPageHeight), cairo_surface_destroy);
  set_metadata(surface.get(), m);
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> owner(cairo_create(surface.get()), cairo_destroy);
  cairo_t* cr = owner.get();
  std::unique_ptr<PangoContext, Unref> context_owner(pango_font_map_create_context(font_map()));
  PangoContext* context = context_owner.get();
  pango_cairo_update_context(cr, context);
  pango_cairo_context_set_resolution(context, 72);  // one pango pixel is one PDF point
  // Glyphs at their exact advances: pango rounds them to whole units by
  // default, which here are points, and the spacing of letters goes uneven.
  pango_context_set_round_glyph_positions(context, FALSE);

  // A character no installed font has prints as an empty box: a name or an
  // address drawn so would not reach its person, nor tell them it is theirs.
  std::vector<Block> blocks = lay_out_body(context, parse_body(m.text, m.from.signatory));
  int unknown = pango_layout_get_unknown_glyphs_count(
      make_layout(context, join(split_lines(recipient_block), '\n'), kBodyFont, -1).get());
  for (const Block& b : blocks) unknown += pango_layout_get_unknown_glyphs_count(b.layout.get());
  if (unknown > 0) {
    permanent = true;
    return std::to_string(unknown) + " characters of the address or the text that no installed font can print";
  }
  // A top-level element makes the file a tagged PDF (Marked true) for cairo.
  cairo_tag_begin(cr, "Document", "");
  double body_top = draw_heading(cr, context, recipient_block, m, alts);
  Layout footer = footer_text(context, m, qr.get());
  double footer_height = std::max(qr_total_side(qr.get()), height_of(footer.get()) + 6 * kMm);
  double footer_top = kBottom - footer_height;
  std::vector<Slice> slices = paginate(blocks, body_top, footer_top - 6 * kMm);
  int pages = slices.empty() ? 1 : slices.back().page + 1;
  int page = 0;
  for (size_t i = 0; i < slices.size(); ++i) {
    for (; page < slices[i].page; ++page) {
      draw_page_number(cr, context, page, pages);
      cairo_show_page(cr);
    }
    draw_slice(cr, context, blocks, i > 0 ? &slices[i - 1] : nullptr, slices[i],
               i + 1 < slices.size() ? &slices[i + 1] : nullptr);
  }
  draw_footer(cr, footer.get(), qr.get(), footer_top);
  if (qr) alts.push_back("Code QR menant à la page qui vérifie ce courrier : " + m.verify_url);
  draw_page_number(cr, context, page, pages);
  cairo_tag_end(cr, "Document");
  cairo_show_page(cr);

  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) return cairo_status_to_string(cairo_status(cr));
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return cairo_status_to_string(cairo_surface_status(surface.get()));
  return "";
}

}  // namespace

SendResult write_letter(const std::string& folder, const std::string& recipient_block, const std::string& code,
                        const RenderedMessage& m, Sharing sharing) {
  std::string pdf;
  std::vector<std::string> alts;
  bool permanent = false;
  std::string error = render(recipient_block, m, pdf, alts, permanent);
  if (!error.empty()) return {false, permanent, "letter not laid out: " + error};
  // A letter that cannot be made accessible never will be: not tried again.
  if (auto made = make_accessible(pdf, {"fr-FR", alts}); !made.ok()) return {false, true, made.error().message};
  // Drawn in memory, then written whole: a full disk is reported, not left as a short file.
  const std::string file = folder + "/" + code + ".pdf";
  auto written = write_file_durably(file, pdf, sharing);
  if (!written.ok()) return {false, false, written.error().message};
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(file, ec);
  return {true, false, "", false, ec ? file : absolute.lexically_normal().string()};
}

}  // namespace proactif

#if defined(__SANITIZE_ADDRESS__)
// LeakSanitizer finds blocks by the pointers to them, and fontconfig keeps
// each pattern's elements at an offset from the pattern instead: the
// patterns that pango keeps for the life of the process read as leaks, and
// every sanitized program that writes a letter would fail on exit.
extern "C" __attribute__((used)) const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
extern "C" __attribute__((used)) const char* __lsan_default_options() { return "print_suppressions=0"; }
#endif
