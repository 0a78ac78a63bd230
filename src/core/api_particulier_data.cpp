#include "core/api_particulier_data.hpp"

#include "core/date.hpp"

namespace proactif {

namespace {

constexpr DatumRoute kRoutes[] = {
    {Datum::kQuotientFamilial, "quotient_familial", "/v3/dss/quotient_familial/identite", nullptr, "CNAF ou MSA",
     DatumKind::kMoneyPerMonth, "l'attestation de quotient familial de la CAF ou de la MSA"},
    {Datum::kBeneficiaireRsa, "beneficiaire_rsa", "/v3/dss/revenu_solidarite_active/identite", nullptr, "CNAF ou MSA",
     DatumKind::kBoolean, "l'attestation de paiement du RSA de la CAF ou de la MSA"},
    {Datum::kBeneficiaireC2s, "beneficiaire_c2s", "/v3/dss/complementaire_sante_solidaire/identite", nullptr, "CNAM",
     DatumKind::kBoolean, "l'attestation de droits à la Complémentaire santé solidaire (compte ameli)"},
    {Datum::kBeneficiaireAah, "beneficiaire_aah", "/v3/dss/allocation_adulte_handicape/identite", nullptr, "CNAF ou MSA",
     DatumKind::kBoolean, "l'attestation de paiement de l'AAH de la CAF ou de la MSA"},
    {Datum::kStatutEtudiant, "statut_etudiant", "/v3/mesri/statut_etudiant/identite", "/v3/mesri/statut_etudiant/ine",
     "ministère de l'Enseignement supérieur (MESR)", DatumKind::kBoolean, "le certificat de scolarité de l'année en cours"},
    {Datum::kEchelonBourse, "echelon_bourse", "/v4/cnous/etudiant_boursier/identite", "/v4/cnous/etudiant_boursier/ine",
     "CNOUS", DatumKind::kScholarshipStep, "la notification d'attribution de bourse du CROUS de l'année en cours"},
    {Datum::kBoursierScolaire, "boursier_scolaire", "/v4/men/scolarites/identite", nullptr,
     "ministère de l'Éducation nationale (MEN)", DatumKind::kBoolean,
     "la notification de bourse de collège ou de lycée de l'année en cours"},
};

}  // namespace

const DatumRoute& route_of(Datum d) {
  for (const auto& r : kRoutes)
    if (r.datum == d) return r;
  return kRoutes[0];
}

const char* datum_name(Datum d) { return route_of(d).name; }

DatumKind datum_kind(Datum d) { return route_of(d).kind; }

std::optional<Datum> datum_named(const std::string& name) {
  for (const auto& r : kRoutes)
    if (name == r.name) return r.datum;
  return std::nullopt;
}

std::vector<Datum> all_data() {
  std::vector<Datum> out;
  for (const auto& r : kRoutes) out.push_back(r.datum);
  return out;
}

std::string fetched_from(const std::string& provider, const std::string& route, const std::string& fetched_on) {
  auto day = parse_iso_date(fetched_on);
  return provider + ", par API Particulier (" + route + "), obtenu le " + (day ? format_french_date(*day) : fetched_on);
}

}  // namespace proactif
