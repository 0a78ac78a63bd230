// The persons of a household as the explanation of a decision names them
// to the person who reads it, by their place in the household and from the
// reader's: "vous", "votre conjoint(e)", "un enfant (né(e) en 2012)"; never
// by an identifier.
#pragma once

#include <string>
#include <vector>

#include "eval/explanation.hpp"

namespace proactif::citizen {

struct Person {
  std::string id, role, birth;  // the role's code and the ISO birth date, when the data give them
  std::string name;
};

class Persons {
 public:
  // The persons the explanation mentions (its data, foyer and values per
  // person); `reader` is the person it speaks to, empty for the
  // household's allocataire.
  Persons(const Explanation& e, const std::string& reader);

  const std::vector<Person>& all() const { return persons_; }
  const std::string& reader() const { return reader_; }
  // "une personne du foyer" for one the explanation does not mention.
  std::string name(const std::string& id) const;

 private:
  Person& add(const std::string& id);
  // "vous", "votre conjoint(e)", "un enfant (né(e) en 2012)": by the place
  // of each in the household and from the reader's. Two persons the year
  // does not tell apart are told by their birth date, then by their order
  // ("un deuxième enfant (né(e) le 3 mars 2015)").
  void name_all();
  std::string name_of(const Person& p, const std::string& reader_role, bool full_date) const;

  std::vector<Person> persons_;
  std::string reader_;
};

}  // namespace proactif::citizen
