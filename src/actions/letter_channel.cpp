#include <hpdf.h>
#include <iconv.h>
#include <qrencode.h>

#include <cstdio>
#include <sstream>

#include "actions/channels.hpp"
#include "core/output_file.hpp"
#include "core/date.hpp"

namespace proactif {

namespace {

// The PDF base fonts speak Windows-1252, which covers written French.
std::string to_cp1252(const std::string& utf8) {
  iconv_t cd = iconv_open("WINDOWS-1252//TRANSLIT", "UTF-8");
  std::string in = utf8, out(utf8.size() * 2 + 16, '\0');
  char* src = in.data();
  char* dst = out.data();
  size_t left = in.size(), room = out.size();
  iconv(cd, &src, &left, &dst, &room);
  iconv_close(cd);
  out.resize(out.size() - room);
  return out;
}

std::string french_date(const std::string& iso) {
  static const char* kMonths[] = {"janvier", "février", "mars", "avril", "mai", "juin",
                                  "juillet", "août", "septembre", "octobre", "novembre", "décembre"};
  auto d = parse_iso_date(iso);
  if (!d) return iso;
  CivilDate c = civil_from_days(*d);
  return std::to_string(c.day) + (c.day == 1 ? "er " : " ") + kMonths[c.month - 1] + " " + std::to_string(c.year);
}

void on_error(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
  auto* message = static_cast<std::string*>(user);
  char buf[64];
  std::snprintf(buf, sizeof buf, "libharu error 0x%04X (%u)", static_cast<unsigned>(error), static_cast<unsigned>(detail));
  *message = buf;
}

// Lays out text from the top of the page down, wrapping at the margins.
class Writer {
 public:
  Writer(HPDF_Page page, HPDF_Font regular, HPDF_Font bold) : page_(page), regular_(regular), bold_(bold) {}
  float y = 0;

  void line_at(float x, const std::string& utf8, float size, bool strong = false) {
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, strong ? bold_ : regular_, size);
    HPDF_Page_TextOut(page_, x, y, to_cp1252(utf8).c_str());
    HPDF_Page_EndText(page_);
    y -= size * 1.35f;
  }

  void paragraph(const std::string& utf8, float size, bool strong = false) {
    std::string text = to_cp1252(utf8);
    HPDF_Page_SetFontAndSize(page_, strong ? bold_ : regular_, size);
    std::istringstream words(text);
    std::string word, line;
    auto flush = [&]() {
      HPDF_Page_BeginText(page_);
      HPDF_Page_TextOut(page_, kLeft, y, line.c_str());
      HPDF_Page_EndText(page_);
      y -= size * 1.35f;
      line.clear();
    };
    while (words >> word) {
      std::string candidate = line.empty() ? word : line + " " + word;
      if (HPDF_Page_TextWidth(page_, candidate.c_str()) > kRight - kLeft && !line.empty()) {
        flush();
        line = word;
      } else {
        line = candidate;
      }
    }
    if (!line.empty()) flush();
    y -= size * 0.5f;
  }

  static constexpr float kLeft = 70, kRight = 525;

 private:
  HPDF_Page page_;
  HPDF_Font regular_, bold_;
};

void draw_qr(HPDF_Page page, const std::string& text, float x, float y, float size) {
  QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!qr) return;
  float module = size / static_cast<float>(qr->width);
  for (int r = 0; r < qr->width; ++r)
    for (int c = 0; c < qr->width; ++c)
      if (qr->data[r * qr->width + c] & 1)
        HPDF_Page_Rectangle(page, x + static_cast<float>(c) * module, y + size - static_cast<float>(r + 1) * module,
                            module, module);
  HPDF_Page_Fill(page);
  QRcode_free(qr);
}

}  // namespace

SendResult write_letter(const std::string& folder, const std::string& recipient_block, const std::string& code,
                        const RenderedMessage& m) {
  SendResult result;
  std::string error;
  HPDF_Doc pdf = HPDF_New(on_error, &error);
  if (!pdf) return {false, false, "libharu cannot start"};
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  HPDF_Font regular = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding");
  HPDF_Font bold = HPDF_GetFont(pdf, "Helvetica-Bold", "WinAnsiEncoding");
  HPDF_Page page = HPDF_AddPage(pdf);
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  Writer w(page, regular, bold);
  const float height = HPDF_Page_GetHeight(page);  // 842 points: 1 mm = 2.835 points

  // Sender, top left; date, right.
  w.y = height - 60;
  w.line_at(Writer::kLeft, m.sender, 10, true);
  w.y = height - 85;
  w.line_at(400, "Le " + french_date(m.date), 10);
  // The address block where a window envelope (DL, 45 x 100 mm window at
  // 100 mm from the left, 50 mm from the top) shows it.
  w.y = height - 50 * 2.835f - 10;
  std::istringstream lines(recipient_block);
  for (std::string l; std::getline(lines, l);) w.line_at(100 * 2.835f, l, 11);

  w.y = height - 100 * 2.835f;
  w.paragraph("Objet : " + m.subject, 11, true);
  std::istringstream body(m.text);
  std::string paragraph;
  for (std::string l; std::getline(body, l);) {
    bool heading = l.rfind("Vos données et vos droits", 0) == 0;
    if (l.empty() || l.rfind("- ", 0) == 0 || heading) {
      if (!paragraph.empty()) w.paragraph(paragraph, 10);
      paragraph.clear();
      if (heading) w.paragraph(l, 10, true);
      else if (!l.empty()) w.paragraph(l, 10);
      continue;
    }
    paragraph += (paragraph.empty() ? "" : " ") + l;
  }
  if (!paragraph.empty()) w.paragraph(paragraph, 10);

  // Verification, bottom: the code and its QR code.
  w.y = 95;
  w.line_at(Writer::kLeft, "Code de vérification : " + code, 11, true);
  w.line_at(Writer::kLeft, "Ce courrier ne vous demande ni mot de passe ni coordonnées bancaires.", 9);
  draw_qr(page, "PROACTIF-VERIFY:" + code, 455, 50, 70);

  // Rendered in memory, then written by write_file_durably: libharu's own
  // file output does not report a full disk (it leaves an empty file).
  HPDF_STATUS st = HPDF_SaveToStream(pdf);
  std::string bytes(st == HPDF_OK ? HPDF_GetStreamSize(pdf) : 0, '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(bytes.size());
  if (st == HPDF_OK) st = HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  HPDF_Free(pdf);
  if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || size == 0) {
    result.error = "letter not laid out: " + (error.empty() ? std::string("libharu failed") : error);
    return result;
  }
  bytes.resize(size);
  result.error = write_file_durably(folder + "/" + code + ".pdf", bytes);
  if (!result.error.empty()) return result;
  result.delivered = true;
  return result;
}

}  // namespace proactif
