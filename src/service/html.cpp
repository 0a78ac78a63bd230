#include "service/html.hpp"

namespace proactif {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string html_paragraphs(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find("\n\n", start);
    std::string_view paragraph = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!paragraph.empty()) {
      std::string escaped = html_escape(paragraph);
      for (size_t at = 0; (at = escaped.find('\n', at)) != std::string::npos; at += 5) escaped.replace(at, 1, "<br>");
      out += "<p>" + escaped + "</p>\n";
    }
    if (end == std::string_view::npos) break;
    start = end + 2;
  }
  return out;
}

std::string html_table(const std::string& caption, const std::vector<std::string>& headers, const std::string& rows) {
  std::string out = "<div class=\"fr-table\"><div class=\"fr-table__wrapper\"><div class=\"fr-table__container\" tabindex=\"0\">"
                    "<div class=\"fr-table__content\"><table><caption>" + caption + "</caption><thead><tr>";
  for (const auto& h : headers) out += "<th scope=\"col\">" + html_escape(h) + "</th>";
  return out + "</tr></thead><tbody>\n" + rows + "</tbody></table></div></div></div></div>\n";
}

std::string render_page(const PageShell& page) {
  std::string title = html_escape(page.title);
  std::string out = R"(<!doctype html>
<html lang="fr" data-fr-scheme="system">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>)" + title + R"( - Proactif</title>
<link rel="stylesheet" href="/dsfr/dsfr.min.css">
<link rel="icon" href="/dsfr/favicon/favicon.svg" type="image/svg+xml">
</head>
<body>
<div class="fr-skiplinks">
<nav class="fr-container" role="navigation" aria-label="Accès rapide">
<ul class="fr-skiplinks__list"><li><a class="fr-link" href="#contenu">Contenu</a></li><li><a class="fr-link" href="#pied-de-page">Pied de page</a></li></ul>
</nav>
</div>
<header role="banner" class="fr-header">
<div class="fr-header__body"><div class="fr-container"><div class="fr-header__body-row">
<div class="fr-header__brand fr-enlarge-link">
<div class="fr-header__brand-top"><div class="fr-header__logo"><p class="fr-logo">République<br>française</p></div></div>
<div class="fr-header__service">
<a href="/" title="Accueil - Proactif"><p class="fr-header__service-title">Proactif</p></a>
<p class="fr-header__service-tagline">Vos droits, sans avoir à les demander</p>
</div>
</div>
</div></div></div>
</header>
<main role="main" id="contenu" tabindex="-1">
<div class="fr-container fr-py-6w">
<h1>)" + title + "</h1>\n";
  if (!page.lead.empty()) out += "<p class=\"fr-text--lead\">" + html_escape(page.lead) + "</p>\n";
  out += page.body;
  out += R"(</div>
</main>
<footer class="fr-footer" role="contentinfo" id="pied-de-page">
<div class="fr-container">
<div class="fr-footer__body">
<div class="fr-footer__brand"><p class="fr-logo">République<br>française</p></div>
<div class="fr-footer__content">
<p class="fr-footer__content-desc">Proactif informe les personnes d'un droit possible ou transmet leur demande à l'organisme qui verse le droit (code des relations entre le public et l'administration, art. L114-8).</p>
<ul class="fr-footer__content-list">
<li class="fr-footer__content-item"><a class="fr-footer__content-link" href="/verifier">Vérifier un courrier ou un message</a></li>
<li class="fr-footer__content-item"><a class="fr-footer__content-link" href="/m-opposer">M'opposer</a></li>
<li class="fr-footer__content-item"><a class="fr-footer__content-link" href="/suis-je-concerne">Suis-je concerné ?</a></li>
<li class="fr-footer__content-item"><a class="fr-footer__content-link" href="/algorithmes">Algorithmes publics</a></li>
</ul>
</div>
</div>
</div>
</footer>
<script type="module" src="/dsfr/dsfr.module.min.js"></script>
</body>
</html>
)";
  return out;
}

}  // namespace proactif
