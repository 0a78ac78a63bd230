// proactif verify CODE: tells a person (or an agent on the phone) whether a
// message with this code was sent by the administration, when and for which
// right, and nothing else: no name, no address, no amount.
#include <iostream>

#include "actions/verification_code.hpp"
#include "cli/commands.hpp"
#include "cli/store_url.hpp"
#include "eval/engine.hpp"
#include "store/store.hpp"

namespace proactif {

int verify_command(const std::string& code, const std::string& store_url) {
  auto store = Store::open(store_url);
  if (!store) {
    std::cerr << "proactif: " << store.error().message << "\n";
    return 2;
  }
  std::string normalised = normalise_verification_code(code);
  auto found = (*store)->verify(normalised);
  if (!found) {
    std::cerr << "proactif: " << found.error().message << "\n";
    return 2;
  }
  if (auto err = (*store)->audit(audit_actor(), "code checked", normalised + (*found ? ": authentic" : ": unknown"))) {
    std::cerr << "proactif: " << err->message << "\n";
    return 2;
  }
  if (!*found) {
    std::cout << "Le code " << normalised
              << " ne correspond à aucun message envoyé par l'administration. Ne donnez aucune information en réponse "
                 "à ce message et signalez-le.\n";
    return 1;
  }
  const VerifiedMessage& m = **found;
  const char* what = m.action == "grant_notice"      ? "information sur une demande transmise pour vous"
                     : m.action == "grant"           ? "demande transmise pour vous à l'organisme qui verse le droit"
                     : m.action == "refusal"         ? "refus transmis à l'organisme qui verse le droit"
                     : m.action == "notify_possible" ? "information sur un droit possible"
                                                     : "information sur un droit";
  const char* how = m.channel == "email"    ? "courriel"
                    : m.channel == "letter" ? "courrier"
                    : m.channel == "sms"    ? "SMS"
                                            : "transmission entre administrations";
  // The right by its title, as the message named it; its program file may be gone since.
  auto engine = load_engine({m.program});
  const std::string right = engine ? "« " + (*engine)->plans.front()->program->title + " »" : "un droit";
  std::cout << "Ce code est authentique : " << what << " (" << right << ") de la part de "
            << (m.sender.empty() ? "l'administration" : m.sender) << ", " << how << " préparé le "
            << french_day(m.created_at);
  if (m.state == "delivered") std::cout << " et envoyé le " << french_day(m.delivered_at);
  else if (m.state == "cancelled") std::cout << ", annulé à la suite d'une opposition";
  else std::cout << ", pas encore envoyé";
  std::cout << ".\nL'administration ne vous demande jamais de mot de passe ni de coordonnées bancaires.\n";
  return 0;
}

}  // namespace proactif
