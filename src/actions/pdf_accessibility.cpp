#include "actions/pdf_accessibility.hpp"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFNumberTreeObjectHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <exception>
#include <memory>
#include <set>

namespace proactif {

namespace {

// "/Private <</MCID n>> BDC" becomes "/Artifact BMC": content marked as an
// artifact has no MCID, since no structure element owns it. The tokens
// between the name and its operator are held until the operator says which.
class ArtifactMarks final : public QPDFObjectHandle::TokenFilter {
 public:
  void handleToken(QPDFTokenizer::Token const& token) override {
    if (held_.empty()) {
      if (token.getType() == QPDFTokenizer::tt_name && token.getValue() == marker_) held_.push_back(token);
      else writeToken(token);
      return;
    }
    held_.push_back(token);
    if (token.getType() == QPDFTokenizer::tt_word && token.getValue() == "BDC") {
      write("/Artifact BMC");
      held_.clear();
    } else if (token.getType() == QPDFTokenizer::tt_word || held_.size() > kMostHeld) {
      release();
    }
  }
  void handleEOF() override { release(); }

 private:
  const std::string marker_ = std::string("/") + kArtifactTag;
  // "/Private << /MCID 12 >> BDC" with its spaces is 10 tokens.
  static constexpr size_t kMostHeld = 16;
  void release() {
    for (const auto& t : held_) writeToken(t);
    held_.clear();
  }
  std::vector<QPDFTokenizer::Token> held_;
};

bool is_element(QPDFObjectHandle h, const std::string& type) {
  return h.isDictionary() && h.getKey("/S").isName() && h.getKey("/S").getName() == type;
}

// The Figure elements in document order, and the artifacts' elements taken
// out of their parents' kids.
void walk(QPDFObjectHandle element, std::vector<QPDFObjectHandle>& figures, std::set<QPDFObjGen>& artifacts,
          std::set<QPDFObjGen>& seen) {
  if (element.isIndirect() && !seen.insert(element.getObjGen()).second) return;  // a loop in a damaged tree
  if (is_element(element, "/Figure")) figures.push_back(element);
  QPDFObjectHandle kids = element.getKey("/K");
  if (kids.isDictionary()) kids = QPDFObjectHandle::newArray({kids});
  if (!kids.isArray()) return;
  std::vector<QPDFObjectHandle> kept;
  bool removed = false;
  for (QPDFObjectHandle kid : kids.aitems()) {
    if (is_element(kid, std::string("/") + kArtifactTag)) {
      artifacts.insert(kid.getObjGen());
      removed = true;
      continue;
    }
    kept.push_back(kid);
    if (kid.isDictionary() && kid.hasKey("/S")) walk(kid, figures, artifacts, seen);
  }
  if (removed) element.replaceKey("/K", QPDFObjectHandle::newArray(kept));
}

// The parent tree maps each MCID of a page to its element: the artifacts'
// entries point nowhere now.
void forget_in_parent_tree(QPDF& pdf, QPDFObjectHandle tree, const std::set<QPDFObjGen>& artifacts) {
  if (!tree.isDictionary()) return;
  QPDFNumberTreeObjectHelper numbers(tree, pdf);
  for (auto [key, value] : numbers) {
    if (!value.isArray()) continue;
    for (int i = 0; i < value.getArrayNItems(); ++i)
      if (artifacts.count(value.getArrayItem(i).getObjGen())) value.setArrayItem(i, QPDFObjectHandle::newNull());
  }
}

}  // namespace

Result<void> make_accessible(std::string& pdf, const AccessibleParts& parts) {
  try {
    QPDF q;
    q.setSuppressWarnings(true);
    q.processMemoryFile("letter", pdf.data(), pdf.size());
    QPDFObjectHandle root = q.getRoot();
    root.replaceKey("/Lang", QPDFObjectHandle::newUnicodeString(parts.language));
    QPDFObjectHandle preferences = root.getKey("/ViewerPreferences");
    if (!preferences.isDictionary()) {
      preferences = QPDFObjectHandle::newDictionary();
      root.replaceKey("/ViewerPreferences", preferences);
    }
    preferences.replaceKey("/DisplayDocTitle", QPDFObjectHandle::newBool(true));

    QPDFObjectHandle tree = root.getKey("/StructTreeRoot");
    std::vector<QPDFObjectHandle> figures;
    std::set<QPDFObjGen> artifacts, seen;
    if (tree.isDictionary()) walk(tree, figures, artifacts, seen);
    if (figures.size() != parts.figure_alts.size())
      return Error{ErrorKind::kInternal, "the letter has " + std::to_string(figures.size()) + " figures and " +
                                             std::to_string(parts.figure_alts.size()) + " alternative texts"};
    for (size_t i = 0; i < figures.size(); ++i)
      figures[i].replaceKey("/Alt", QPDFObjectHandle::newUnicodeString(parts.figure_alts[i]));
    if (!artifacts.empty()) {
      forget_in_parent_tree(q, tree.getKey("/ParentTree"), artifacts);
      for (QPDFPageObjectHelper& page : QPDFPageDocumentHelper(q).getAllPages())
        page.addContentTokenFilter(std::make_shared<ArtifactMarks>());
    }

    QPDFWriter writer(q);
    writer.setOutputMemory();
    writer.setDeterministicID(true);
    writer.write();
    if (q.anyWarnings())
      return Error{ErrorKind::kInternal, "the letter's PDF: " + std::string(q.getWarnings().front().what())};
    std::shared_ptr<Buffer> written = writer.getBufferSharedPointer();
    pdf.assign(reinterpret_cast<const char*>(written->getBuffer()), written->getSize());
    return {};
  } catch (const std::exception& e) {
    return Error{ErrorKind::kInternal, std::string("the letter's PDF: ") + e.what()};
  }
}

}  // namespace proactif
