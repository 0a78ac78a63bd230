// Writes the French first and last names that @faker-js/faker ships to
// names-fr.json, the vocabulary of `proactif synth` (read by C++, which
// cannot import JavaScript modules).
import { writeFileSync } from 'node:fs';
import { fakerFR } from '@faker-js/faker';

const person = fakerFR.definitions.person;
const names = {
  source: '@faker-js/faker, locale fr (MIT licence)',
  last: person.last_name.generic,
  female: person.first_name.female,
  male: person.first_name.male,
};
writeFileSync(new URL('./names-fr.json', import.meta.url), JSON.stringify(names));
