#include <gtest/gtest.h>

#include <algorithm>

#include "identity/identity_records.hpp"
#include "identity/insured_dependants.hpp"
#include "identity/linkage.hpp"
#include "identity/rows_by_text.hpp"
#include "identity/normalise.hpp"
#include "identity/similarity.hpp"

namespace proactif {

TEST(Normalise, FoldsCaseAccentsAndPunctuation) {
  EXPECT_EQ(fold_name("Lefèvre-Dubois"), "LEFEVRE DUBOIS");
  EXPECT_EQ(fold_name("  l'Œuvre  "), "L OEUVRE");
  EXPECT_EQ(fold_name("Müller ß"), "MULLER SS");
  EXPECT_EQ(family_name_key("de La Fontaine"), "FONTAINE");
  EXPECT_EQ(family_name_key("D'Artagnan"), "ARTAGNAN");
  EXPECT_EQ(family_name_key("LEFEVRE DUBOIS"), family_name_key("Lefèvre-Dubois"));
  EXPECT_EQ(first_name_keys("Marie-Hélène  Anne"), (std::vector<std::string>{"MARIE HELENE", "ANNE"}));
}

TEST(Similarity, JaroWinklerOnTypicalTypos) {
  EXPECT_DOUBLE_EQ(jaro_winkler("MARTIN", "MARTIN"), 1.0);
  EXPECT_NEAR(jaro_winkler("MARTHA", "MARHTA"), 0.961, 0.001);  // the textbook value
  EXPECT_GT(jaro_winkler("LEFEVRE", "LEFEBVRE"), 0.92);
  EXPECT_LT(jaro_winkler("MARTIN", "DUBOIS"), 0.6);
  EXPECT_EQ(jaro_winkler("", "A"), 0.0);
}

namespace {

StringPool& pool() {
  static StringPool strings;
  return strings;
}

IdentityRecord person(uint32_t source, const std::string& name, const std::string& first, const char* birth,
                      char sex = 0) {
  IdentityRecord r;
  r.source = source;
  if (!name.empty()) r.family_names[0] = pool().intern(family_name_key(name));
  auto firsts = first_name_keys(first);
  for (size_t i = 0; i < firsts.size() && i < 3; ++i) r.first_names[i] = pool().intern(firsts[i]);
  r.birth = *parse_iso_date(birth);
  r.has_birth = true;
  r.sex = sex;
  return r;
}

// Linkage where extract 0 (the CAF) groups persons into households.
LinkageResult link_with_caf_households(const std::vector<IdentityRecord>& records) {
  LinkageOptions options;
  options.grouping_sources = uint64_t{1} << 0;
  return link_records(records, pool(), options);
}

// The records a linkage names as perhaps a person's (LinkageResult::unplaced),
// as (record, person) pairs in order.
std::vector<std::pair<uint32_t, uint32_t>> unplaced_pairs(const LinkageResult& r) {
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (const auto& u : r.unplaced) pairs.push_back({u.record, u.person});
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

}  // namespace

TEST(Linkage, LinksTheSamePersonAcrossSourcesAndNotHomonymsOfAnotherDate) {
  std::vector<IdentityRecord> records = {
      person(0, "Lefèvre", "Hélène Marie", "1985-03-12", 'F'),
      person(1, "LEFEVRE", "HELENE MARIE", "1985-03-12"),
      person(2, "LEFEBVRE", "HELENE", "1985-03-12", 'F'),  // a typo in the name
      person(1, "LEFEVRE", "HELENE", "1986-03-12"),     // another Hélène Lefèvre
      person(0, "Martin", "Paul", "1990-01-02", 'M'),
      person(1, "MARTIN", "PAUL", "1990-02-01"),  // day and month swapped
  };
  LinkageResult r = link_records(records, pool(), {});
  EXPECT_EQ(r.person[0], r.person[1]);
  EXPECT_EQ(r.person[0], r.person[2]);
  EXPECT_NE(r.person[0], r.person[3]);
  // Name, first name and a swapped date weigh 5.5 + 6.4 + 8.2 = 20.1: linked.
  EXPECT_EQ(r.person[4], r.person[5]);
  EXPECT_EQ(r.persons, 3u);
}

TEST(Linkage, SharedNirLinksOutrightAndAPersonHasOneRecordPerSource) {
  std::vector<IdentityRecord> records = {
      person(0, "Durand", "Léa", "2001-05-05", 'F'),
      person(1, "Martin", "Léa", "2001-05-05", 'F'),  // usage name: only the NIR tells
      person(1, "Durand", "Léa", "2001-05-05", 'F'),  // a homonym in the same source as b
  };
  records[0].nir = records[1].nir = pool().intern("nir:201057511200317");
  LinkageResult r = link_records(records, pool(), {});
  EXPECT_EQ(r.linked_by_identifier, 1u);
  EXPECT_EQ(r.person[0], r.person[1]);
  // c agrees with a on everything, but a's person already has a record of source 1.
  EXPECT_NE(r.person[2], r.person[0]);
}

TEST(Linkage, APairBetweenTheThresholdsIsUnderReview) {
  // Same name and birth date, first names only similar: 5.5 + 3.0 + 13.3 = 21.8;
  // with a missing family name instead: 6.4 + 13.3 = 19.7, between 16 and 20.
  std::vector<IdentityRecord> records = {person(0, "", "Noé", "2010-07-14"), person(1, "", "Noé", "2010-07-14")};
  LinkageResult r = link_records(records, pool(), {});
  EXPECT_NE(r.person[0], r.person[1]);
  ASSERT_EQ(r.review.size(), 1u);
  EXPECT_NEAR(r.review[0].weight, 19.7, 0.1);
  EXPECT_TRUE(r.under_review[r.person[0]] && r.under_review[r.person[1]]);
}

// Family names with nothing in common: a first name, a birth date and a
// birth place that agree (-4.6 + 6.4 + 13.3 + 5.6 = 20.7, above the link
// threshold) are those of two Mohamed born abroad on 1 January as often as
// of one person. A reviewer says which, unless the records also say the
// same sex and commune; a name that is only similar links.
TEST(Linkage, FamilyNamesWithNothingInCommonGoToReviewWhateverTheWeight) {
  std::vector<IdentityRecord> records = {person(0, "Benali", "Mohamed", "1980-01-01"),
                                         person(1, "Haddad", "Mohamed", "1980-01-01"),
                                         person(0, "Lefèvre", "Anne", "1975-06-03"),
                                         person(1, "Lefebvre", "Anne", "1975-06-03")};
  records[0].birth_place = records[1].birth_place = pool().intern("99352");
  records[2].birth_place = records[3].birth_place = pool().intern("38185");
  LinkageResult r = link_records(records, pool(), {});
  EXPECT_NE(r.person[0], r.person[1]);
  ASSERT_EQ(r.review.size(), 1u);
  EXPECT_NEAR(r.review[0].weight, 20.7, 0.1);
  EXPECT_TRUE(r.under_review[r.person[0]] && r.under_review[r.person[1]]);
  EXPECT_EQ(r.person[2], r.person[3]);
  // Both records saying the same sex and commune too, a usage name one
  // extract lacks is the likelier: linked.
  std::vector<IdentityRecord> married = {person(0, "Girard", "Julie", "1988-05-17", 'F'),
                                         person(1, "Roux", "Julie", "1988-05-17", 'F')};
  married[0].birth_place = married[1].birth_place = pool().intern("69123");
  married[0].commune = married[1].commune = pool().intern("38185");
  LinkageResult m = link_records(married, pool(), {});
  EXPECT_EQ(m.person[0], m.person[1]);
  // Their reviewer's "same person" links them (a usage name one extract lacks).
  LinkageOptions same;
  same.same_person = {{0, 1}};
  LinkageResult s = link_records(records, pool(), same);
  EXPECT_EQ(s.person[0], s.person[1]);
  EXPECT_TRUE(s.review.empty());
}

// A reviewer's decision settles a pair whatever its weight: "same person"
// links it, "different persons" keeps it apart and out of review; the
// decisions are by record, so a pair not decided stays under review.
TEST(Linkage, AReviewersDecisionSettlesThePair) {
  std::vector<IdentityRecord> records = {person(0, "", "Noé", "2010-07-14"), person(1, "", "Noé", "2010-07-14"),
                                         person(0, "", "Maël", "2011-02-01"), person(1, "", "Maël", "2011-02-01"),
                                         person(0, "", "Lou", "2012-09-09"), person(1, "", "Lou", "2012-09-09")};
  LinkageOptions options;
  options.same_person = {{1, 0}};
  options.different_persons = {{2, 3}};
  LinkageResult r = link_records(records, pool(), options);
  EXPECT_EQ(r.person[0], r.person[1]);
  EXPECT_EQ(r.linked_by_reviewer, 1u);
  EXPECT_NE(r.person[2], r.person[3]);
  EXPECT_FALSE(r.under_review[r.person[0]] || r.under_review[r.person[2]] || r.under_review[r.person[3]]);
  ASSERT_EQ(r.review.size(), 1u);  // Lou's pair, not decided
  EXPECT_EQ(r.review[0].a, 4u);
  EXPECT_TRUE(r.under_review[r.person[4]] && r.under_review[r.person[5]]);

  // Two records decided two persons stay two even when a third record of
  // another extract resembles both: it joins one, and its link to the other
  // goes to review.
  std::vector<IdentityRecord> three = {person(0, "Morel", "Emilie", "1991-04-02", 'F'),
                                       person(1, "Morel", "Emilie", "1991-04-02", 'F'),
                                       person(2, "Morel", "Emilie", "1991-04-02", 'F')};
  LinkageOptions apart;
  apart.different_persons = {{0, 1}};
  LinkageResult t = link_records(three, pool(), apart);
  EXPECT_NE(t.person[0], t.person[1]);
  EXPECT_TRUE(t.person[2] == t.person[0] || t.person[2] == t.person[1]);
  ASSERT_EQ(t.review.size(), 1u);
  EXPECT_TRUE(t.under_review[t.person[0]] && t.under_review[t.person[1]]);
  // Without the decision, the three are one person.
  LinkageResult u = link_records(three, pool(), {});
  EXPECT_TRUE(u.person[0] == u.person[1] && u.person[1] == u.person[2]);
}

// One NIR on two rows of one extract: a duplicate row when the traits agree
// too (linked), else an identifier that names two persons, so that neither
// is linked by it: the pair goes to review and nobody acts on them.
TEST(Linkage, OneNirOnTwoPersonsOfOneExtractLinksNobody) {
  std::vector<IdentityRecord> records = {
      person(0, "Bernard", "Inès", "1992-11-03", 'F'),
      person(0, "Bernard", "Inès", "1992-11-03", 'F'),  // the same row twice
      person(1, "Petit", "Hugo", "1958-02-17", 'M'),
      person(1, "Petit", "Jules", "1987-06-30", 'M'),  // a father's NIR on his son's row
      person(2, "Petit", "Hugo", "1958-02-17", 'M'),
  };
  records[0].nir = records[1].nir = pool().intern("nir:292117511200345");
  records[2].nir = records[3].nir = records[4].nir = pool().intern("nir:158027511200312");
  LinkageResult r = link_records(records, pool(), {});
  EXPECT_EQ(r.person[0], r.person[1]);
  EXPECT_NE(r.person[2], r.person[3]);
  // Hugo's records of two extracts still link by the NIR and by his traits;
  // the two persons of extract 1 are under review, not one merged person.
  EXPECT_EQ(r.person[2], r.person[4]);
  ASSERT_EQ(r.review.size(), 1u);
  EXPECT_TRUE(r.review[0].by_nir);
  EXPECT_TRUE(r.under_review[r.person[2]] && r.under_review[r.person[3]]);
}

// A record no other joined, that resembles a person known elsewhere (a typo
// in both names and in the day of birth: 3.6 + 3.0 + 3.0 + 1.0 = 10.6, too
// little to link or review, and in no block with them), is named
// with that person: what its extract says of them cannot be trusted. One
// that resembles nobody is not, nor one whose look-alike has a record of
// its own extract (another person to that extract), unless the two records
// are alike enough to link (the extract lists one person twice); nor is a
// record of an extract that groups households.
TEST(Linkage, ARecordAloneThatResemblesAPersonIsNamedWithThem) {
  std::vector<IdentityRecord> records = {
      person(0, "Garnier", "Lucie", "1975-04-09", 'F'),
      person(1, "Garnier", "Lucie", "1975-04-09", 'F'),
      person(2, "Garnyer", "Lucile", "1975-04-10", 'F'),  // alone, and like Lucie Garnier
      person(2, "Roussel", "Marc", "1975-04-09", 'M'),  // alone, and like nobody
      person(0, "Faure", "Emma", "1999-01-20", 'F'),
      person(1, "Faure", "Emma", "1999-01-20", 'F'),
      person(0, "Faure", "Emma", "1999-01-21", 'F'),  // alone, but Emma has a record of extract 0
      person(1, "Faure", "Emma", "1999-01-20", 'F'),  // alone: extract 1 lists Emma twice
  };
  LinkageOptions options;
  LinkageResult r = link_records(records, pool(), options);
  ASSERT_EQ(r.person[0], r.person[1]);
  ASSERT_NE(r.person[2], r.person[0]);
  EXPECT_TRUE(r.review.empty());
  EXPECT_EQ(unplaced_pairs(r), (std::vector<std::pair<uint32_t, uint32_t>>{{2, r.person[0]}, {7, r.person[4]}}));
  // Where extract 2 groups households, its records are placed. Lucie
  // Garnier, whom no household extract lists, is looked for among the
  // placed persons of her family and first names only: Lucile Garnyer is
  // not one. Emma's second record of extract 1 still is.
  options.grouping_sources = uint64_t{1} << 2;
  const LinkageResult grouped = link_records(records, pool(), options);
  ASSERT_EQ(grouped.unplaced.size(), 1u);
  EXPECT_EQ(grouped.unplaced[0].record, 7u);
  EXPECT_EQ(grouped.unplaced[0].person, grouped.person[4]);
}

// Two definitive NIRs that differ are two persons, whatever their traits:
// Jean MARTIN of the CAF and a homonym the CPAM insures, born the same day
// in the same country, are neither linked (the homonym's coverage would
// skip Jean, or transmit a request on another's data) nor said to be each
// other's record. A temporary number (NIA, 7 or 8) is replaced for the
// same person by a definitive one: its traits still link it.
TEST(Linkage, TwoDefinitiveNirsAreTwoPersons) {
  std::vector<IdentityRecord> records = {
      person(0, "Martin", "Jean", "1980-01-01", 'M'),
      person(1, "MARTIN", "JEAN", "1980-01-01", 'M'),  // the homonym, alone in extract 1
      person(0, "Petit", "Awa", "1992-06-30", 'F'),
      person(1, "PETIT", "AWA", "1992-06-30", 'F'),  // her NIA in extract 1
      person(2, "MARTIN", "JEAN", "1980-01-01", 'M'),  // no NIR: either of them
  };
  for (auto& r : records) r.birth_place = pool().intern("99350");
  records[0].nir = pool().intern("nir:180019935001131");
  records[1].nir = pool().intern("nir:180019935001230");
  records[2].nir = pool().intern("nir:292069935012345");
  records[3].nir = pool().intern("nir:792069935067890");
  LinkageResult r = link_records(records, pool(), {});
  EXPECT_NE(r.person[0], r.person[1]);
  EXPECT_EQ(r.person[2], r.person[3]);
  EXPECT_TRUE(r.review.empty());
  // The record without a NIR joins one of them; the other stays apart (the
  // two pairs kept apart: Jean and the homonym, then the homonym and Jean's
  // person with that record).
  EXPECT_TRUE(r.person[4] == r.person[0] || r.person[4] == r.person[1]);
  EXPECT_EQ(r.kept_apart_by_nir, 2u);
  for (const auto& u : r.unplaced) EXPECT_FALSE(u.record == 1 && u.person == r.person[0]);
  // Without the record of extract 2, the homonym is a record alone: still
  // not named as Jean's.
  records.pop_back();
  const LinkageResult alone = link_records(records, pool(), {});
  EXPECT_NE(alone.person[0], alone.person[1]);
  for (const auto& u : alone.unplaced) EXPECT_FALSE(u.record == 1 && u.person == alone.person[0]);
  // Nor does a student number shared by records of two NIRs link them: a
  // reviewer says which is wrong.
  std::vector<IdentityRecord> students = {records[0], records[1]};
  students[0].ine = students[1].ine = pool().intern("ine:1234567890A");
  const LinkageResult shared = link_records(students, pool(), {});
  EXPECT_NE(shared.person[0], shared.person[1]);
  ASSERT_EQ(shared.review.size(), 1u);
  EXPECT_TRUE(shared.under_review[shared.person[0]] && shared.under_review[shared.person[1]]);
}

// A DRM row under a colleague's NIR: its names are not hers (family and
// first names both disagree). Not linked by the number, which goes to
// review; the row is then linked by its traits, as one without a NIR, to
// the person they name, under review too: neither household is told of a
// right on wages that may be the other's (a tester's finding: 18 379 €
// moved to the colleague, the owner told of the RSA). A woman known by her
// usage name to one extract keeps her link by NIR: her first name agrees;
// so does a man whose two names one extract mistyped: his birth date
// agrees.
TEST(Linkage, ARecordUnderAnotherPersonsNirIsNotTheirs) {
  std::vector<IdentityRecord> records = {
      person(0, "Francois", "Ambre", "1997-09-29", 'F'),  // CAF
      person(0, "Meunet", "Emeline", "1997-09-30", 'F'),  // CAF
      person(1, "MEUNET", "EMELINE", "1997-09-30", 'F'),  // DRM, under Ambre's NIR
      person(0, "Durand", "Lise", "1970-02-02", 'F'),     // CAF, her birth name
      person(1, "ROUX", "LISE", "1970-02-02", 'F'),       // DRM, her usage name
      person(0, "Lemrez", "Ronan", "1999-01-13", 'M'),    // CAF
      person(1, "LMREZ", "ROKAN", "1999-01-13", 'M'),     // DRM, both names mistyped
      person(2, "FRANCOIS", "AMBRE", "1997-09-29", 'F'),  // CPAM: Ambre's own record
  };
  records[5].nir = records[6].nir = pool().intern("nir:199013852885493");
  records[0].nir = records[2].nir = records[7].nir = pool().intern("nir:297093822922274");
  records[1].nir = pool().intern("nir:297096510833252");
  records[3].nir = records[4].nir = pool().intern("nir:270023822900011");
  LinkageOptions options;
  options.grouping_sources = uint64_t{1} << 0;
  LinkageResult r = link_records(records, pool(), options);
  EXPECT_NE(r.person[2], r.person[0]);
  EXPECT_EQ(r.person[2], r.person[1]);
  EXPECT_EQ(r.person[7], r.person[0]);
  ASSERT_EQ(r.review.size(), 1u);
  EXPECT_TRUE(r.review[0].by_nir);
  EXPECT_TRUE(r.under_review[r.person[0]] && r.under_review[r.person[1]]);
  EXPECT_EQ(r.person[3], r.person[4]);
  EXPECT_FALSE(r.under_review[r.person[3]]);
  EXPECT_EQ(r.person[5], r.person[6]);
  EXPECT_FALSE(r.under_review[r.person[5]]);
  // Ambre's own DRM row before it (one extract, two persons under one
  // number), or a reviewer who said the row and Ambre are two persons
  // (a reviewer's findings): the row is still free to be Emeline's.
  std::vector<IdentityRecord> own = {records[0], records[1], person(1, "FRANCOIS", "AMBRE", "1997-09-29", 'F'),
                                     records[2]};
  own[2].nir = records[0].nir;
  LinkageResult o = link_records(own, pool(), options);
  EXPECT_EQ(o.person[2], o.person[0]);
  EXPECT_EQ(o.person[3], o.person[1]);
  options.different_persons = {{0, 2}};
  LinkageResult decided = link_records(records, pool(), options);
  EXPECT_EQ(decided.person[2], decided.person[1]);
  EXPECT_NE(decided.person[2], decided.person[0]);
}

// A tax record whose family and first names were read the wrong way
// round, without a place of birth: weighed as it is, 3.7; its names
// swapped, it is the CAF's Fantine Guiam, whose household cannot be told
// the tax office knows of no income (a tester's finding: a free C2S told).
TEST(Linkage, ARecordAloneIsWeighedWithItsNamesSwapped) {
  std::vector<IdentityRecord> records = {
      person(0, "Guiam", "Fantine", "1964-01-30", 'F'),  // CAF
      person(1, "FANTINE", "GUIAM", "1964-01-30"),       // DGFiP: no sex, no place
  };
  LinkageResult r = link_with_caf_households(records);
  EXPECT_EQ(unplaced_pairs(r), (std::vector<std::pair<uint32_t, uint32_t>>{{1, r.person[0]}}));
}

// A person the tax office and the DRM know, whom no household extract
// lists, and a CAF member born the same day of another year with the same
// names (a typo in the year, no NIR to link them): the member's household
// cannot be told the tax office knows nothing of them. Whichever digit of
// the year is wrong: a son of 2008 whom the CPAM alone knows, his CAF row
// saying 1998, was made a foyer of his own and told he might have the RSA
// (a tester's finding). More than a year apart, the place of birth must be
// given alike: a namesake born the same day of another year elsewhere is
// another person (a reviewer's finding). Another day and month of another
// year, no place of birth given, is not compared.
TEST(Linkage, APersonNoHouseholdListsIsComparedAcrossAYearTypo) {
  std::vector<IdentityRecord> records = {
      person(0, "Leciere", "Angelina", "2001-01-29", 'F'),  // CAF, which groups households
      person(1, "Leciere", "Angelina", "2000-01-29", 'F'),  // DGFiP
      person(2, "Leciere", "Angelina", "2000-01-29", 'F'),  // DRM
      person(0, "Grandet", "Hugo", "1998-04-13", 'M'),      // CAF
      person(3, "Grandet", "Hugo", "2008-04-13", 'M'),      // CPAM
      person(1, "Leciere", "Angelina", "1998-02-28", 'F'),  // another day, month and year: not compared
      person(0, "Aubert", "Sandra", "2018-10-17", 'F'),     // CAF
      person(1, "Aubert", "Sandra", "1961-10-17", 'F'),     // DGFiP: born elsewhere, not compared
  };
  records[3].birth_place = records[4].birth_place = pool().intern("38185");
  records[6].birth_place = pool().intern("38188");
  records[7].birth_place = pool().intern("75056");
  LinkageResult r = link_with_caf_households(records);
  ASSERT_NE(r.person[0], r.person[1]);
  ASSERT_EQ(r.person[1], r.person[2]);
  ASSERT_NE(r.person[3], r.person[4]);
  EXPECT_EQ(unplaced_pairs(r),
            (std::vector<std::pair<uint32_t, uint32_t>>{{1, r.person[0]}, {2, r.person[0]}, {4, r.person[3]}}));
}

// One person listed twice by the CAF under two person ids, no NIR on
// either row (a child on both parents' files): nobody acts on either until
// a reviewer says whether they are one person or two (a tester's finding:
// the copy, in another household, was told of a fare). Twins,
// of other first names, are two persons; so are two rows a reviewer
// decided two persons; an extract that does not group households is not
// read so (its rows of one person are linked, or named, otherwise).
TEST(Linkage, OnePersonListedTwiceByAHouseholdExtractGoesToReview) {
  std::vector<IdentityRecord> records = {
      person(0, "Dechard", "Stéphanie", "2011-12-10", 'F'),  // CAF, in one household
      person(0, "Dechard", "Stéphanie", "2011-12-10", 'F'),  // CAF, in another
      person(0, "Dechard", "Mireille", "2011-12-10", 'F'),   // her twin
      person(1, "Martel", "Yves", "1950-05-05", 'M'),        // DGFiP, twice
      person(1, "Martel", "Yves", "1950-05-05", 'M'),
  };
  LinkageOptions options;
  options.grouping_sources = uint64_t{1} << 0;
  LinkageResult r = link_records(records, pool(), options);
  ASSERT_EQ(r.review.size(), 1u);
  EXPECT_EQ(std::make_pair(r.review[0].a, r.review[0].b), std::make_pair(0u, 1u));
  EXPECT_TRUE(r.under_review[r.person[0]] && r.under_review[r.person[1]]);
  EXPECT_FALSE(r.under_review[r.person[2]]);
  EXPECT_FALSE(r.under_review[r.person[3]] || r.under_review[r.person[4]]);
  // Decided two persons: not reviewed again. The same person: one person
  // of two households, whom the snapshot makes both households' doubt.
  options.different_persons = {{0, 1}};
  EXPECT_TRUE(link_records(records, pool(), options).review.empty());
  options.different_persons.clear();
  options.same_person = {{0, 1}};
  LinkageResult same = link_records(records, pool(), options);
  EXPECT_TRUE(same.review.empty());
  EXPECT_EQ(same.person[0], same.person[1]);
  // A NIR on one row only does not tell them apart; two definitive NIRs do.
  options.same_person.clear();
  records[0].nir = pool().intern("nir:211127538712345");
  EXPECT_EQ(link_records(records, pool(), options).review.size(), 1u);
  records[1].nir = pool().intern("nir:211127538754321");
  EXPECT_TRUE(link_records(records, pool(), options).review.empty());
}

// The same with a typo in one of the names: the CAF's "Coms", its day and
// month swapped, for the tax office's and the DRM's "Comas" (found by the
// first name and the year), and a first name misspelt (by the family name
// and the year). Found among the 450 000 households of the ground truth,
// where her CAF row, taken for a person the tax office did not know, had no
// resources. One of other names and another year is not compared, nor one
// whose other name is another name (Xavier for Adalard), nor one found by a
// name whose birth date is neither the same nor its day and month swapped.
TEST(Linkage, APersonNoHouseholdListsIsComparedAcrossATypoInOneName) {
  std::vector<IdentityRecord> records = {
      person(0, "Coms", "Amaryllis", "1961-12-03", 'F'),   // CAF, which groups households
      person(1, "Comas", "Amaryllis", "1961-03-12", 'F'),  // DGFiP
      person(2, "Comas", "Amaryllis", "1961-03-12", 'F'),  // DRM
      person(0, "Berture", "Adalard", "2000-12-02", 'M'),  // CAF
      person(1, "Berture", "Adalart", "2000-02-12", 'M'),  // DGFiP: too unlike to link
      person(2, "Berture", "Adalart", "2000-02-12", 'M'),  // DRM
      person(1, "Coms", "Bérénice", "1970-12-03", 'F'),    // DGFiP, nobody's
      person(1, "Berture", "Xavier", "2000-02-12", 'M'),   // DGFiP: another first name, not a typo
      person(2, "Berture", "Xavier", "2000-02-12", 'M'),   // DRM
      person(1, "Bertures", "Adalard", "2000-12-09", 'M'),  // DGFiP: a typo, but born another day
      person(2, "Bertures", "Adalard", "2000-12-09", 'M'),  // DRM
  };
  LinkageResult r = link_with_caf_households(records);
  ASSERT_NE(r.person[0], r.person[1]);
  ASSERT_EQ(r.person[1], r.person[2]);
  ASSERT_NE(r.person[3], r.person[4]);
  ASSERT_EQ(r.person[4], r.person[5]);
  EXPECT_EQ(unplaced_pairs(r), (std::vector<std::pair<uint32_t, uint32_t>>{
                          {1, r.person[0]}, {2, r.person[0]}, {4, r.person[3]}, {5, r.person[3]}}));
}

// A tax record whose birth date is what a form writes where it is not
// known (1 January of the year, the place of birth not differing, or of
// 1900, the place the same), the names the same: its person's household
// cannot be told the tax office knows of no income (a tester's finding: a
// free C2S told on 53 087 € a year). Not one whose place differs, nor a
// 1900 one without a place, nor another date altogether, nor a person
// whose own 1 January the record does not give (many born abroad have
// one): namesakes of one town are often other persons (a reviewer's
// findings).
TEST(Linkage, APlaceholderBirthDateSaysNothing) {
  std::vector<IdentityRecord> records = {
      person(0, "Lecron", "Aliette", "1971-03-25", 'F'),  // CAF
      person(1, "LECRON", "ALIETTE", "1971-01-01"),       // DGFiP
      person(0, "Guiam", "Fantine", "1964-01-01", 'F'),   // CAF, born on 1 January
      person(1, "GUIAM", "FANTINE", "1900-01-01"),        // DGFiP
      person(0, "Marchal", "Ines", "1980-06-06", 'F'),    // CAF
      person(1, "MARCHAL", "INES", "1980-01-01"),         // DGFiP: born elsewhere
      person(0, "Martin", "Lucas", "2015-05-05", 'M'),    // CAF, a child
      person(1, "MARTIN", "LUCAS", "1994-10-10"),         // DGFiP: another date, the same town
      person(1, "DURAND", "LEA", "1900-01-01"),           // DGFiP: 1900, no place
      person(0, "Durand", "Lea", "2016-02-02", 'F'),      // CAF, a child
      person(0, "Haddad", "Youcef", "1971-01-01", 'M'),   // CAF, born abroad on 1 January
      person(1, "HADDAD", "YOUCEF", "1971-08-15"),        // DGFiP
  };
  records[0].birth_place = records[1].birth_place = pool().intern("38185");
  records[2].birth_place = records[3].birth_place = pool().intern("38478");
  records[4].birth_place = pool().intern("38185");
  records[5].birth_place = pool().intern("75056");
  records[6].birth_place = records[7].birth_place = pool().intern("38185");
  records[10].birth_place = pool().intern("99352");
  LinkageResult r = link_with_caf_households(records);
  EXPECT_EQ(unplaced_pairs(r),
            (std::vector<std::pair<uint32_t, uint32_t>>{{1, r.person[0]}, {3, r.person[2]}}));
}

// A typo in one name and in the year at once: the tax office's "PICILVAS"
// born on 2 March 2007 for the CAF's Picilva of 2006 (her household was
// told of a free C2S on no income: a tester's finding). Two years apart
// with a typo in a name is not compared.
TEST(Linkage, APersonNoHouseholdListsIsComparedAcrossANameAndAYearTypo) {
  std::vector<IdentityRecord> records = {
      person(0, "Picilva", "Charlotte", "2006-03-02", 'F'),  // CAF
      person(1, "PICILVAS", "CHARLOTTE", "2007-03-02"),      // DGFiP
      person(0, "Lanoix", "Irène", "1980-06-11", 'F'),       // CAF
      person(1, "LANOIXE", "IRENE", "1982-06-11"),           // DGFiP: two years apart
  };
  LinkageResult r = link_with_caf_households(records);
  EXPECT_EQ(unplaced_pairs(r), (std::vector<std::pair<uint32_t, uint32_t>>{{1, r.person[0]}}));
}

// A row an extract set aside (its NIR key wrong, its amount unreadable) is
// found the person it may be: by a valid NIR, by traits against those born
// the same year, or, without a birth date, against those of its family
// name; a person who has a row of that extract already only where it is
// alike enough to link and born the same day (a second employer's wages
// under a mistyped NIR: the RSA was reckoned on the first's alone, a
// tester's finding).
TEST(Linkage, ARowSetAsideIsFoundThePersonItMayBe) {
  std::vector<IdentityRecord> records = {
      person(0, "Moreau", "Alice", "1980-02-14", 'F'), person(1, "Moreau", "Alice", "1980-02-14", 'F'),
      person(0, "Lambert", "Yves", "1955-10-01", 'M'), person(1, "Lambert", "Yves", "1955-10-01", 'M'),
      person(2, "Roux", "Nina", "2001-07-07", 'F'),  // already has a row of extract 2
      person(0, "Roux", "Nina", "2001-07-07", 'F'),
  };
  records[2].nir = records[3].nir = pool().intern("nir:155103851200157");
  LinkageResult linkage = link_records(records, pool(), {});
  ASSERT_EQ(linkage.person[0], linkage.person[1]);
  std::vector<IdentityRecord> rejected = {
      person(2, "Moreau", "Alice", "1980-02-14"),   // its NIR was cleared: by traits
      person(2, "", "", "1990-01-01"),              // a valid NIR, nothing else
      person(2, "Perrin", "Hugo", "1970-05-05"),    // nobody like him
      person(2, "Roux", "Nina", "2001-07-07"),      // Nina has her row of extract 2: a second one
      person(2, "Moreau", "Alice", "1980-02-14"),   // without its birth date: by name
      person(2, "Roux", "Nina", "2001-07-08"),      // Nina has her row, and this is born another day
      person(2, "Roux", "Nadia", "2001-07-07", 'F'),  // her twin: another first name
  };
  rejected[6].birth_place = records[4].birth_place = pool().intern("38185");
  rejected[1].nir = records[2].nir;
  rejected[4].has_birth = false;
  auto placed = place_rejected(rejected, records, pool(), linkage, {});
  std::vector<std::pair<uint32_t, uint32_t>> got;
  for (const auto& p : placed) got.push_back({p.record, p.person});
  EXPECT_EQ(got, (std::vector<std::pair<uint32_t, uint32_t>>{
                     {0, linkage.person[0]}, {1, linkage.person[2]}, {3, linkage.person[4]}, {4, linkage.person[0]}}));
}

// A health-insurance extract has the NIR but no place of birth; the tax
// office's has the place of birth but no NIR and no sex. The NIR carries
// both, so that a woman under her usage name in one and her birth name in the
// other still agrees on sex, date and place of birth.
// A tax row whose fields ran together is named by its text: a family name
// with the birth date, or run into a first name (a compound one too). Not
// by a first name elsewhere in the row (a street's), nor for a person the
// row's extract lists (their row was read), nor for a namesake born another
// day.
TEST(RowsByText, NamesWhomARowsTextHolds) {
  const std::vector<IdentityRecord> records{
      person(0, "Bernet", "Sixte", "1980-06-05"),      // 0: the row's person
      person(0, "Dupont", "Jean-Pierre", "1971-02-03"),  // 1
      person(0, "Adam", "Jean", "1990-01-01"),         // 2: a street named Jean Jaurès
      person(0, "Bernet", "Anne", "2001-09-09"),       // 3: a namesake
      person(0, "Roux", "Luc", "1960-03-01"),          // 4: listed by the tax office
      person(1, "Roux", "Luc", "1960-03-01"),
  };
  const LinkageResult linkage = link_with_caf_households(records);
  const RowsByText by_text(records, pool(), linkage);
  auto named = [&](std::string_view text) {
    std::vector<uint32_t> records_named;
    for (uint32_t p : by_text.persons_named_in(text, 1))
      for (uint32_t r = 0; r < records.size(); ++r)
        if (linkage.person[r] == p && records[r].source == 0) records_named.push_back(r);
    return records_named;
  };
  EXPECT_EQ(named("S1;BERNETSIXTE1980-06-05;83357"), std::vector<uint32_t>{0});
  EXPECT_EQ(named("S1;BERNETSIXTE;1980-06-35;83357"), std::vector<uint32_t>{0});
  EXPECT_EQ(named("S2;DUPONTJEAN-PIERRE;1971-02-35"), std::vector<uint32_t>{1});
  EXPECT_EQ(named("S3;ADAM;MARC;1990-01-02;12 avenue Jean Jaures"), std::vector<uint32_t>{});
  EXPECT_EQ(named("S4;ROUXLUC1960-03-01"), std::vector<uint32_t>{});
}

TEST(IdentityReader, TakesTheSexAndThePlaceOfBirthFromTheNir) {
  SourceMapping m;
  m.columns = {{"NIR", "nir"}, {"NOM", "usage_name"}, {"PRENOM", "first_names"}};
  IdentityReader reader(m, 1);
  ExtractRow row;
  row.values = {{true, 0, "285072A004123"}, {true, 0, "MARTIN"}, {true, 0, "LEA"}};
  IdentityRecord r = reader.read(row, pool());
  EXPECT_EQ(r.sex, 'F');
  ASSERT_NE(r.birth_place, IdentityRecord::kNone);
  EXPECT_EQ(pool().at(r.birth_place), "2A004");  // Ajaccio

  row.values[0].text = "199059935012345";  // a man born abroad (99), in the country coded 350
  r = reader.read(row, pool());
  EXPECT_EQ(r.sex, 'M');
  EXPECT_EQ(pool().at(r.birth_place), "99350");

  // A column of its own wins over the NIR.
  m.columns.push_back({"LIEU", "birth_place"});
  IdentityReader with_place(m, 1);
  row.values.push_back({true, 0, "38185"});
  EXPECT_EQ(pool().at(with_place.read(row, pool()).birth_place), "38185");
}

// The insured a dependant no household extract lists is covered through:
// each person whose records carry that NIR and whom a household extract
// places, once; not the dependant the CAF lists, nor an insured the CAF does
// not list (alone already, nothing decided on them).
TEST(InsuredDependants, NamesThePlacedInsuredOfADependantNoHouseholdLists) {
  const uint32_t mother = pool().intern("nir:292013818500876"), colleague_row = mother;
  const uint32_t father = pool().intern("nir:173053818500656"), alone = pool().intern("nir:158053818500318");
  std::vector<IdentityRecord> records = {
      person(0, "Martin", "Léa", "1992-01-01", 'F'),       // 0 CAF, household of the mother
      person(1, "MARTIN", "LEA", "1992-01-01"),            // 1 CPAM, the mother
      person(1, "MARTIN", "ROSE", "2025-03-01"),           // 2 CPAM, her newborn, through her
      person(1, "MARTIN", "ROSE", "2025-03-01"),           // 3 CPAM, the newborn again
      person(0, "Durand", "Paul", "1973-05-01", 'M'),      // 4 CAF, the father's household
      person(0, "Durand", "Tom", "2015-06-01", 'M'),       // 5 CAF, his son
      person(1, "DURAND", "TOM", "2015-06-01"),            // 6 CPAM, the son, through the mother
      person(2, "BERNARD", "ANNE", "1980-02-02"),          // 7 DRM, a colleague under the mother's NIR
      person(1, "ROUX", "MAX", "2024-01-01"),              // 8 CPAM, through an insured the CAF does not list
      person(1, "ROUX", "JEAN", "1958-05-01"),             // 9 CPAM, that insured
  };
  records[0].nir = records[1].nir = mother;
  records[2].nir = records[3].nir = pool().intern("nir:225033818500596");
  records[2].insured_nir = records[3].insured_nir = records[6].insured_nir = mother;
  records[4].nir = father;
  records[7].nir = colleague_row;
  records[8].insured_nir = records[9].nir = alone;
  LinkageOptions options;
  options.grouping_sources = uint64_t{1} << 0;
  options.different_persons = {{1, 7}, {0, 7}};  // a reviewer's decision: two persons
  LinkageResult r = link_records(records, pool(), options);
  ASSERT_NE(r.person[0], r.person[7]);
  ASSERT_EQ(r.person[2], r.person[3]);
  // A newborn's second row, set aside (its own NIR's key wrong): whose it
  // is nobody can say, and its insured's household is named for it too.
  std::vector<IdentityRecord> set_aside = {person(1, "MARTIN", "ROSE", "2025-03-01"), person(1, "ROUX", "LEO", "2025-01-01")};
  set_aside[0].insured_nir = mother;
  set_aside[1].insured_nir = alone;
  std::vector<UnlistedDependant> found = unlisted_dependants(records, set_aside, r, options.grouping_sources);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].insured, r.person[0]);
  EXPECT_EQ(found[0].record, 2u);
  EXPECT_FALSE(found[0].set_aside);
  EXPECT_EQ(found[1].insured, r.person[0]);
  EXPECT_EQ(found[1].record, 0u);
  EXPECT_TRUE(found[1].set_aside);
  // The colleague placed in a household too: a NIR two persons' records
  // give is not settled, both households are named.
  options.grouping_sources |= uint64_t{1} << 2;
  found = unlisted_dependants(records, {}, link_records(records, pool(), options), options.grouping_sources);
  EXPECT_EQ(found.size(), 2u);
  // A dependant that resembles a placed person (a missed link?) still names
  // its insured: the person it resembles may live in another household.
  options.grouping_sources = uint64_t{1} << 0;
  r.unplaced.push_back({2, r.person[5]});
  EXPECT_EQ(unlisted_dependants(records, {}, r, options.grouping_sources).size(), 1u);
}

}  // namespace proactif
