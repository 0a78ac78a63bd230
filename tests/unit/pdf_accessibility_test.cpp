// The accessibility pass on a small hand-written tagged PDF whose content
// has the forms cairo does not write today but a page could hold: a
// "/Private" name inside another marked content's dictionary, a "/Private"
// marked content without a dictionary. Only the artifact's own marked
// content is rewritten; the file is read back with qpdf.
#define POINTERHOLDER_TRANSITION 4  // qpdf 11 without its old PointerHolder
#include <gtest/gtest.h>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <cstdio>
#include <string>
#include <vector>

#include "actions/pdf_accessibility.hpp"

namespace proactif {
namespace {

// A whole PDF of `objects` (numbered from 1), with its cross-reference table.
std::string pdf_of(const std::vector<std::string>& objects) {
  std::string pdf = "%PDF-1.7\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

std::string stream(const std::string& data) {
  return "<< /Length " + std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream";
}

// MCID 0 and 2 are a paragraph's; MCID 1 the artifact's (a "Private" element).
std::string sample(const std::string& content, const std::string& artifact_kids = "1") {
  return pdf_of({
      "<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 5 0 R /MarkInfo << /Marked true >> >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /StructParents 0 /Resources << >> >>",
      stream(content),
      "<< /Type /StructTreeRoot /K 6 0 R /ParentTree 9 0 R >>",
      "<< /Type /StructElem /S /Document /P 5 0 R /K [7 0 R 8 0 R] >>",
      "<< /Type /StructElem /S /P /P 6 0 R /Pg 3 0 R /K [0 2] >>",
      "<< /Type /StructElem /S /Private /P 6 0 R /Pg 3 0 R /K " + artifact_kids + " >>",
      "<< /Nums [0 [7 0 R 8 0 R 7 0 R]] >>",
  });
}

const char* const kContent =
    "/P << /MCID 0 >> BDC EMC\n"
    "/Private << /MCID 1 >> BDC 0 0 m 10 10 l S EMC\n"
    "/Span << /Role /Private /MCID 2 >> BDC EMC\n"
    "/Private BMC EMC\n";

TEST(PdfAccessibility, OnlyTheArtifactsOwnMarkedContentIsRewritten) {
  std::string pdf = sample(kContent);
  auto made = make_accessible(pdf, {"fr-FR", {}});
  ASSERT_TRUE(made.ok()) << made.error().message;

  QPDF q;
  q.processMemoryFile("made", pdf.data(), pdf.size());
  EXPECT_EQ(q.getRoot().getKey("/Lang").getUTF8Value(), "fr-FR");
  EXPECT_TRUE(q.getRoot().getKey("/ViewerPreferences").getKey("/DisplayDocTitle").getBoolValue());
  QPDFPageObjectHelper page = QPDFPageDocumentHelper(q).getAllPages().at(0);
  std::shared_ptr<Buffer> data = page.getObjectHandle().getKey("/Contents").getStreamData();
  const std::string content(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  EXPECT_NE(content.find("/Artifact BMC 0 0 m 10 10 l S EMC"), std::string::npos) << content;
  EXPECT_EQ(content.find("/MCID 1"), std::string::npos) << content;
  EXPECT_NE(content.find("/Span << /Role /Private /MCID 2 >> BDC EMC"), std::string::npos) << content;
  EXPECT_NE(content.find("/Private BMC EMC"), std::string::npos) << content;
  EXPECT_NE(content.find("/P << /MCID 0 >> BDC EMC"), std::string::npos) << content;

  // The artifact's element has left the tree, and the parent tree.
  QPDFObjectHandle document = q.getRoot().getKey("/StructTreeRoot").getKey("/K");
  ASSERT_EQ(document.getKey("/K").getArrayNItems(), 1);
  EXPECT_EQ(document.getKey("/K").getArrayItem(0).getKey("/S").getName(), "/P");
  QPDFObjectHandle mcids = q.getRoot().getKey("/StructTreeRoot").getKey("/ParentTree").getKey("/Nums").getArrayItem(1);
  EXPECT_FALSE(mcids.getArrayItem(0).isNull());
  EXPECT_TRUE(mcids.getArrayItem(1).isNull());
  EXPECT_FALSE(mcids.getArrayItem(2).isNull());
}

TEST(PdfAccessibility, AFigureWithoutItsTextOrAnArtifactNotFoundFailsTheLetter) {
  std::string pdf = sample(kContent);
  auto one_text_too_many = make_accessible(pdf, {"fr-FR", {"Logo"}});
  ASSERT_FALSE(one_text_too_many.ok());
  EXPECT_EQ(one_text_too_many.error().kind, ErrorKind::kInternal);
  // The artifact owns MCID 1 and MCID 5; the page draws only the first.
  std::string missing = sample(kContent, "[1 5]");
  auto made = make_accessible(missing, {"fr-FR", {}});
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.error().message.find("1 artifacts marked of 2"), std::string::npos) << made.error().message;
}

}  // namespace
}  // namespace proactif
