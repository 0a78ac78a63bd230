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
// artifact has no MCID, since no structure element owns it. Only an
// operation of the stream's own level is rewritten (never a name inside
// another dictionary or array), and only that exact form: the name, one
// dictionary and BDC; the tokens are held until they show which.
class ArtifactMarks final : public QPDFObjectHandle::TokenFilter {
 public:
  explicit ArtifactMarks(std::shared_ptr<int> rewritten) : rewritten_(std::move(rewritten)) {}

  void handleToken(QPDFTokenizer::Token const& token) override {
    using T = QPDFTokenizer;
    if (held_.empty()) {
      if (depth_ == 0 && token.getType() == T::tt_name && token.getValue() == marker_) {
        held_.push_back(token);
        return;
      }
      nest(token);
      writeToken(token);
      return;
    }
    held_.push_back(token);
    nest(token);
    if (token.getType() == T::tt_space) return;
    if (depth_ > 0 || token.getType() == T::tt_dict_close) {
      ++inside_;
      return;
    }
    if (token.getType() == T::tt_word && token.getValue() == "BDC" && inside_ > 0) {
      write("/Artifact BMC");
      ++*rewritten_;
      held_.clear();
      inside_ = 0;
    } else if (held_.size() > 2 || token.getType() != T::tt_dict_open) {
      release();  // not "/Private << ... >> BDC": written as it came
    }
  }
  void handleEOF() override { release(); }

 private:
  void nest(QPDFTokenizer::Token const& token) {
    using T = QPDFTokenizer;
    const auto type = token.getType();
    if (type == T::tt_dict_open || type == T::tt_array_open) ++depth_;
    if ((type == T::tt_dict_close || type == T::tt_array_close) && depth_ > 0) --depth_;
  }
  void release() {
    for (const auto& t : held_) writeToken(t);
    held_.clear();
    inside_ = 0;
  }

  const std::string marker_ = std::string("/") + kArtifactTag;
  std::shared_ptr<int> rewritten_;
  std::vector<QPDFTokenizer::Token> held_;
  int depth_ = 0;     // of dictionaries and arrays, where an operator cannot be
  size_t inside_ = 0;  // tokens of the held dictionary
};

bool is_element(QPDFObjectHandle h, const std::string& type) {
  return h.isDictionary() && h.getKey("/S").isName() && h.getKey("/S").getName() == type;
}

// What the structure tree holds: the Figure elements in document order; the
// artifacts' elements, taken out of their parents' kids; the marked contents
// those owned, each of which a page's content must have rewritten.
struct Found {
  std::vector<QPDFObjectHandle> figures;
  std::set<QPDFObjGen> artifacts, seen;
  int artifact_contents = 0;
  bool direct_artifact = false;  // not an object of its own: its parent tree entries cannot be told apart
};

// An element's marked contents: MCIDs, alone or in marked-content references.
int marked_contents(QPDFObjectHandle element) {
  QPDFObjectHandle kids = element.getKey("/K");
  if (!kids.isArray()) kids = QPDFObjectHandle::newArray({kids});
  int n = 0;
  for (QPDFObjectHandle kid : kids.aitems()) n += kid.isInteger() || (kid.isDictionary() && kid.hasKey("/MCID"));
  return n;
}

void walk(QPDFObjectHandle element, Found& found) {
  if (element.isIndirect() && !found.seen.insert(element.getObjGen()).second) return;  // a loop in a damaged tree
  if (is_element(element, "/Figure")) found.figures.push_back(element);
  QPDFObjectHandle kids = element.getKey("/K");
  if (kids.isDictionary()) kids = QPDFObjectHandle::newArray({kids});
  if (!kids.isArray()) return;
  std::vector<QPDFObjectHandle> kept;
  bool removed = false;
  for (QPDFObjectHandle kid : kids.aitems()) {
    if (is_element(kid, std::string("/") + kArtifactTag)) {
      found.direct_artifact |= !kid.isIndirect();
      found.artifacts.insert(kid.getObjGen());
      found.artifact_contents += marked_contents(kid);
      removed = true;
      continue;
    }
    kept.push_back(kid);
    if (kid.isDictionary() && kid.hasKey("/S")) walk(kid, found);
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
    Found found;
    if (tree.isDictionary()) walk(tree, found);
    if (found.figures.size() != parts.figure_alts.size())
      return Error{ErrorKind::kInternal, "the letter has " + std::to_string(found.figures.size()) + " figures and " +
                                             std::to_string(parts.figure_alts.size()) + " alternative texts"};
    if (found.direct_artifact)
      return Error{ErrorKind::kInternal, "the letter has an artifact's element that is not an object of its own"};
    for (size_t i = 0; i < found.figures.size(); ++i)
      found.figures[i].replaceKey("/Alt", QPDFObjectHandle::newUnicodeString(parts.figure_alts[i]));
    auto rewritten = std::make_shared<int>(0);
    if (!found.artifacts.empty()) {
      forget_in_parent_tree(q, tree.getKey("/ParentTree"), found.artifacts);
      for (QPDFPageObjectHelper& page : QPDFPageDocumentHelper(q).getAllPages())
        page.addContentTokenFilter(std::make_shared<ArtifactMarks>(rewritten));
    }

    QPDFWriter writer(q);
    writer.setOutputMemory();
    writer.setDeterministicID(true);
    writer.write();
    if (q.anyWarnings())
      return Error{ErrorKind::kInternal, "the letter's PDF: " + std::string(q.getWarnings().front().what())};
    // The filters run as the pages are written: only now is it known that
    // every artifact's content was found where the pages draw it.
    if (*rewritten != found.artifact_contents)
      return Error{ErrorKind::kInternal, "the letter's PDF: " + std::to_string(*rewritten) + " artifacts marked of " +
                                             std::to_string(found.artifact_contents)};
    std::shared_ptr<Buffer> written = writer.getBufferSharedPointer();
    pdf.assign(reinterpret_cast<const char*>(written->getBuffer()), written->getSize());
    return {};
  } catch (const std::exception& e) {
    return Error{ErrorKind::kInternal, std::string("the letter's PDF: ") + e.what()};
  }
}

}  // namespace proactif
