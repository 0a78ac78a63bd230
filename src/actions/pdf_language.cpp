#include "actions/pdf_language.hpp"

#include <cstdio>
#include <cstdlib>

namespace proactif {

namespace {

// The number written after `key` in `text` (the object numbers of a
// trailer), or -1.
long number_after(const std::string& text, const std::string& key) {
  size_t at = text.find(key);
  return at == std::string::npos ? -1 : std::strtol(text.c_str() + at + key.size(), nullptr, 10);
}

}  // namespace

void add_language(std::string& pdf, const std::string& language) {
  size_t startxref = pdf.rfind("startxref");
  size_t trailer_at = pdf.rfind("trailer", startxref);
  if (startxref == std::string::npos || trailer_at == std::string::npos) return;
  std::string trailer = pdf.substr(trailer_at, startxref - trailer_at);
  long size = number_after(trailer, "/Size "), root = number_after(trailer, "/Root "),
       info = number_after(trailer, "/Info "), previous = number_after(pdf.substr(startxref), "startxref");
  std::string head = "\n" + std::to_string(root) + " 0 obj\n<< /Type /Catalog\n";
  size_t catalog = pdf.find(head), end = pdf.find("endobj", catalog);
  if (size < 0 || root < 0 || info < 0 || previous <= 0 || end == std::string::npos ||
      pdf.find("/Lang", catalog) < end)  // a later cairo that writes it
    return;
  std::string object = pdf.substr(catalog + 1, end - catalog - 1) + "endobj\n";
  object.insert(head.size() - 1, "   /Lang (" + language + ")\n");
  size_t object_at = pdf.size(), xref_at = object_at + object.size();
  char entry[32];
  std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", object_at);  // 20 bytes, as the format wants
  pdf += object + "xref\n" + std::to_string(root) + " 1\n" + entry + "trailer\n<< /Size " + std::to_string(size) +
         "\n   /Root " + std::to_string(root) + " 0 R\n   /Info " + std::to_string(info) + " 0 R\n   /Prev " +
         std::to_string(previous) + "\n>>\nstartxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
}


}  // namespace proactif
