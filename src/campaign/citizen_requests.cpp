#include "campaign/citizen_requests.hpp"

#include <filesystem>
#include <optional>

#include "actions/verification_code.hpp"
#include "campaign/refusal_transmission.hpp"
#include "campaign/retention.hpp"
#include "core/data_paths.hpp"
#include "core/date.hpp"
#include "eval/engine.hpp"

namespace proactif {

namespace {

const char* action_words(const std::string& action) {
  return action == "grant_notice"      ? "information sur une demande transmise pour vous"
         : action == "grant"           ? "demande transmise pour vous à l'organisme qui verse le droit"
         : action == "refusal"         ? "refus transmis à l'organisme qui verse le droit"
         : action == "notify_possible" ? "information sur un droit possible"
                                       : "information sur un droit";
}

const char* medium_words(const std::string& channel) {
  return channel == "email"    ? "courriel"
         : channel == "letter" ? "courrier"
         : channel == "sms"    ? "SMS"
                               : "transmission entre administrations";
}

bool is_program(const std::string& id) {
  std::error_code ec;
  return !id.empty() && id.find_first_of("/.\\") == std::string::npos &&
         std::filesystem::is_regular_file(std::filesystem::path(programs_dir()) / id / "program.yaml", ec);
}

}  // namespace

std::string program_title_from_file(const std::string& program) {
  if (!is_program(program)) return "";
  auto engine = load_engine({program});
  return engine ? (*engine)->plans.front()->program->title : "";
}

Result<MessageCheck> check_message(Store& store, const std::string& typed_code, const std::string& actor,
                                   const ProgramTitle& title_of) {
  MessageCheck check;
  check.code = normalise_verification_code(typed_code);
  // A code mistyped (a character short) is not a forgery: the person is
  // asked to read it again, and nothing is looked up.
  if (!is_verification_code(check.code)) {
    check.well_formed = false;
    if (auto err = store.audit(actor, "code checked", "not a code's form"); !err.ok()) return err.error();
    return check;
  }
  auto found = store.verify(check.code);
  if (!found) return found.error();
  std::optional<Store::CounterReference> counter;
  if (!*found) {
    auto reference = store.counter_reference(check.code);
    if (!reference) return reference.error();
    counter = std::move(*reference);
  }
  if (auto err = store.audit(actor, "code checked",
                             check.code + (*found ? ": authentic" : counter ? ": a counter decision's reference" : ": unknown"));
      !err.ok())
    return err.error();
  if (counter) {
    check.authentic = check.counter_decision = true;
    check.program = counter->program;
    check.right = title_of(counter->program);
    check.what = "décision prise au guichet";
    check.medium = "guichet";
    check.prepared_at = counter->decided_at;
    check.deleted_at = counter->deleted_at;
    check.deletion = counter->deletion;
    return check;
  }
  if (!*found) return check;
  const VerifiedMessage& m = **found;
  check.authentic = true;
  check.program = m.program;
  check.what = action_words(m.action);
  check.medium = medium_words(m.channel);
  check.medium_feminine = m.channel == "transmission";
  check.sender = m.sender.empty() ? "l'administration" : m.sender;
  check.prepared_at = m.created_at;
  check.sent_at = m.state == "delivered" ? m.delivered_at : 0;
  check.state = m.state;
  check.in_doubt = m.in_doubt;
  check.cancelled = m.state == "cancelled";
  // The right by its title, as the message named it; its program file may be gone since.
  check.right = title_of(m.program);
  return check;
}

std::string message_check_text(const MessageCheck& c) {
  if (!c.well_formed)
    return "Ce que vous avez saisi n'a pas la forme d'un code : un code a 12 caractères, lettres et chiffres, en trois "
           "groupes de 4 (par exemple K7M2-Q9XD-4HRA). Vérifiez-le sur le message et saisissez-le de nouveau. Si le "
           "message montre un code d'une autre forme, il ne vient pas de l'administration : ne donnez aucune information "
           "en réponse et signalez-le.";
  if (c.counter_decision)
    return "Ce code est authentique : c'est la référence d'une décision (" +
           (c.right.empty() ? std::string("un droit") : "« " + c.right + " »") + ") prise au guichet le " +
           french_day(c.prepared_at) + "." +
           (!c.deleted_at ? " Vous pouvez vous opposer à ce traitement de vos données."
            : c.deletion == "objection"
                ? " Cette décision a été effacée le " + french_day(c.deleted_at) + ", à la suite d'une opposition."
                : " Cette décision a été effacée le " + french_day(c.deleted_at) + ", au terme de sa durée de conservation (" +
                      french_duration(RetentionPolicy{}.data_days) + ").") +
           "\nL'administration ne vous demande jamais de mot de passe ni de coordonnées bancaires.";
  if (!c.authentic)
    // What the store keeps is said: a genuine message older than its trace
    // is not found either.
    return "Le code " + c.code + " ne correspond à aucun message ni à aucune décision dont l'administration garde la trace " +
           "(elle la garde " + french_duration(RetentionPolicy{}.trace_days) +
           "). Vérifiez d'abord que vous l'avez recopié sans erreur, caractère par caractère, et saisissez-le de "
           "nouveau. Si le code est bien celui du message, et le message plus récent, il ne vient pas d'elle : ne "
           "donnez aucune information en réponse et signalez-le.";
  const std::string e = c.medium_feminine ? "e" : "";  // the participles agree with the medium
  std::string text = "Ce code est authentique : " + c.what + " (" + (c.right.empty() ? "un droit" : "« " + c.right + " »") +
                     ") de la part de " + c.sender + ", " + c.medium + " préparé" + e + " le " + french_day(c.prepared_at);
  // What became of it, in the outbox's words, never "not sent" for a send
  // that may have arrived: the person reading this may hold it.
  const std::string may_have_arrived = " ; son envoi a été interrompu et il a pu vous parvenir";
  if (c.sent_at) text += " et envoyé" + e + " le " + french_day(c.sent_at);
  else if (c.cancelled) text += ", annulé" + e + " à la suite d'une opposition" + (c.in_doubt ? may_have_arrived : "");
  else if (c.state == "dead") text += ", dont l'envoi a échoué" + (c.in_doubt ? may_have_arrived : "");
  else if (c.state == "expired")
    text += ", qui ne sera pas envoyé" + e + " : son délai de conservation est passé" + (c.in_doubt ? may_have_arrived : "");
  else if (c.in_doubt || c.state == "held" || c.state == "sending") text += ", en cours d'envoi" + (c.in_doubt ? may_have_arrived : "");
  else text += ", pas encore envoyé" + e;
  return text + ".\nL'administration ne vous demande jamais de mot de passe ni de coordonnées bancaires.";
}

namespace {

// SOURCE:ID as campaigns and events name households and persons: a
// source and an identifier, neither empty, and nothing a list of subjects
// or a search would read otherwise (a space, a comma, a colon in the
// source, %), nor a control character.
bool campaign_identifier_form(const std::string& subject) {
  const size_t colon = subject.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == subject.size()) return false;
  for (const char c : subject)
    if (static_cast<unsigned char>(c) <= ' ' || c == ',' || c == '%' || c == 0x7f) return false;
  return true;
}

}  // namespace

Result<ObjectionOutcome> record_objection(Store& store, const ObjectionRequest& request, const std::string& actor) {
  // The store tells an event's refusal, which a later claim replaces, from
  // an objection, which none does, by these words: an agent's text may not
  // begin with them.
  for (const char* reserved : {"refused with event ", "with the objection of "})
    if (request.origin.rfind(reserved, 0) == 0)
      return Error{ErrorKind::kInput, "the origin may not begin with '" + std::string(reserved) +
                                          "', the words of what events record: say how the objection came"};
  ObjectionOutcome outcome;
  outcome.subject = request.subject;
  outcome.program = request.all ? "*" : request.program;
  const std::string code = normalise_verification_code(request.code);
  outcome.code = code;
  // Something typed that leaves nothing once normalised ("----", "—") is a
  // typing error, not a request without a code.
  // A code that names nothing is in the audit trail as a check is: codes
  // tried one after another show there (a tester found them nowhere).
  auto refused_code = [&](const std::string& why) -> Result<ObjectionOutcome> {
    if (auto err = store.audit(actor, "objection refused", why); !err.ok()) return err.error();
    return outcome;
  };
  if (!request.code.empty() && code.empty()) {
    outcome.code_unknown = outcome.code_malformed = true;
    return refused_code("not a code's form");
  }
  if (!code.empty()) {
    // The code says who and for which right; the person need not know their identifiers.
    auto action = store.action_of_code(code);
    if (!action) return action.error();
    if (*action) {
      outcome.subject = (*action)->subject;
      if (outcome.program.empty()) outcome.program = (*action)->program;
    } else {
      // A decision taken at the counter is kept under its reference, and
      // its trace once it is deleted.
      auto counter = is_verification_code(code) ? store.counter_reference(code)
                                                : Result<std::optional<Store::CounterReference>>(std::nullopt);
      if (!counter) return counter.error();
      if (!*counter) {
        outcome.code_unknown = true;
        outcome.code_malformed = !is_verification_code(code);
        return refused_code(outcome.code_malformed ? "not a code's form" : code + ": unknown");
      }
      outcome.subject = code;
      outcome.program = (*counter)->program;
      outcome.counter_decision = true;
      outcome.already_deleted_at = (*counter)->deleted_at;
    }
  } else {
    if (outcome.program != "*" && !is_program(outcome.program))
      return Error{ErrorKind::kNotFound, "'" + outcome.program + "' is not a program (see " + programs_dir() + ")"};
    // Spaces around an identifier typed or pasted are not part of it.
    const size_t first = outcome.subject.find_first_not_of(" \t\r\n");
    outcome.subject = first == std::string::npos ? "" : outcome.subject.substr(first, outcome.subject.find_last_not_of(" \t\r\n") - first + 1);
    if (!outcome.subject.empty()) {
      auto lookup = store.look_up_subject(outcome.subject);
      if (!lookup) return lookup.error();
      // Not yet known, but like a stored identifier: that one was meant.
      if (!lookup->known && (!request.not_yet_known || !lookup->near.empty())) {
        outcome.subject_unknown = true;
        outcome.near = std::move(lookup->near);
        return outcome;
      }
      if (!lookup->known && !campaign_identifier_form(outcome.subject)) {
        outcome.subject_malformed = true;
        return outcome;
      }
    }
  }
  if (outcome.subject.empty()) return Error{ErrorKind::kInput, "an objection needs a message's code or the person's identifier"};
  const int64_t now = now_ms();
  const std::string today = format_iso_date(day_in_france(now));
  auto r = store.object(outcome.subject, outcome.program, request.origin, now,
                        [&](const TransmittedGrant& grant) { return refusal_transmission(grant, today, "objection"); });
  if (!r) return r.error();
  outcome.result = std::move(*r);
  auto letters = delete_objected_letters(store, outcome.result.letter_files);
  if (!letters) return letters.error();
  outcome.letters = std::move(*letters);
  outcome.unlisted = unlist_objected(outcome.result.listed, program_title_from_file);
  // The origin is an agent's free text ("appel de Mme ..."): the objection
  // keeps it for its 24 months, the audit trail (36 months) does not.
  if (auto err = store.audit(actor, "objection recorded",
                             outcome.subject + ", " + (outcome.program == "*" ? std::string("all programs") : outcome.program) +
                                 ": " + std::to_string(outcome.result.decisions_deleted) +
                                 " decisions deleted, " + std::to_string(outcome.result.actions_cancelled) +
                                 " actions cancelled, " + std::to_string(outcome.result.transmitted.size()) +
                                 " requests already transmitted" + blocked_withdrawals_text(outcome.result) + ", " +
                                 std::to_string(outcome.letters.deleted) +
                                 " letters deleted" + letters_left_text(outcome.letters) +
                                 unlisted_text(outcome.unlisted));
      !err.ok())
    return err.error();
  return outcome;
}

}  // namespace proactif
