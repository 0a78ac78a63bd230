// The figures the synthetic population is drawn from. Each comes from a
// published aggregate (docs/synthetic-population.md cites them); the
// generator reproduces orders of magnitude, not a statistical replica.
#pragma once

namespace proactif::synth::calibration {

// Households by number of persons, France (INSEE, recensement 2020, ménages
// selon leur composition): 1: 37 %, 2: 33 %, 3: 13 %, 4: 11 %, 5 or more: 6 %.
inline constexpr double kHouseholdSize[] = {0.37, 0.33, 0.13, 0.11, 0.06};
// Among households of 2: couples without children vs one parent and a child
// (INSEE 2020: about 26 % of households are couples without children, 10 %
// single-parent families of any size).
inline constexpr double kTwoPersonCouple = 0.80;
// Among households of 3 or more, single-parent families.
inline constexpr double kSingleParentLarger = 0.20;

// Ages. The person of reference of a one-person household, or of a couple
// without children, is 65 to 95 with this probability (else 18 or 22 to 64,
// as a parent is). Set so that the share of persons aged 65 or over comes
// out as INSEE's: 21.2 % (estimates at the start of 2022, France
// métropolitaine, as the INED publishes them: 23.4 % under 20, 55.3 % from 20
// to 64). docs/synthetic-population.md gives what the draw gives.
inline constexpr double kSeniorSmallHousehold = 0.50;
inline constexpr int kOldestAge = 95;
// Children living with a parent are drawn up to 24 years old: the C2S and
// the RSA count a child in the household under 25 (CSS R861-2).
inline constexpr int kOldestChild = 24;

// Yearly resources of an adult before benefits: log-normal around the
// median disposable income per consumption unit (INSEE, Filosofi 2021:
// 23 160 EUR; poverty rate at 60 % of the median: 14.5 %).
inline constexpr double kMedianResources = 21000;
inline constexpr double kResourcesSigma = 0.85;
inline constexpr double kShareWithoutResources = 0.06;  // adults with no income of their own

// Households of the Bas-Rhin, the Haut-Rhin and the Moselle whose insured
// are of the Alsace-Moselle local regime (CSS L325-1): "73 % des assurés du
// régime général" there (régime local d'Alsace-Moselle, principaux
// chiffres au 1er janvier 2020).
inline constexpr double kLocalRegimeShare = 0.73;

// Non-take-up (DOMAIN.md section 1): 34 % of households entitled to the RSA
// do not claim it in a quarter (DREES 2022); 44 % for C2S (DREES, 2021).
inline constexpr double kRsaTakeUp = 0.66;
inline constexpr double kC2sTakeUp = 0.56;

// Students: about 2.9 million enrolled in higher education (MESR,
// 2023-2024), half of the 18-24 year-olds; scholarship holders on social
// criteria: about 700 000 (CNOUS), a quarter of students.
inline constexpr double kStudentShare18To24 = 0.50;
inline constexpr double kStudentShare25To29 = 0.08;
inline constexpr double kScholarshipShare = 0.25;

// Housing: 58 % owners, 40 % tenants, 2 % housed free (INSEE, 2020); about
// 6 million households receive a housing benefit, a fifth of all (CNAF).
inline constexpr double kOwnerShare = 0.58;
inline constexpr double kFreeShare = 0.02;

// Born abroad: about 10 % of residents are immigrants (INSEE, 2022).
inline constexpr double kBornAbroad = 0.10;

// Women living in a couple who use their spouse's name (usage name): 72 % of
// persons living in a couple are married (INSEE, Insee Première n° 1682,
// 2018, on 2016), and 80 % of married women use their husband's name (Ifop
// for L'Express, 2022); an unmarried partner cannot take the other's name.
inline constexpr double kUsageNameWomenInCouple = 0.72 * 0.80;

// Minimum benefits, orders of magnitude from DREES, Minima sociaux et
// prestations sociales (édition 2024): about 700 000 ASPA beneficiaries
// (half of the eligible do not claim it), 1.3 million AAH, 260 000 ASS,
// 70 000 ASI; about 200 000 young people in a contrat d'engagement jeune.
inline constexpr double kAspaAmongPoorSeniors = 0.5;   // 65 or over, under the ASPA ceiling
inline constexpr double kAspaCeilingSingle = 12400;     // EUR per year, about 1 034 a month in 2025
inline constexpr double kAah = 0.03;                    // 20 to 64
inline constexpr double kAahFullRate = 0.6;
inline constexpr double kAsi = 0.002;                   // 20 to 64
inline constexpr double kAss = 0.007;                   // 25 to 64 with low resources
inline constexpr double kCej = 0.02;                    // 18 to 25
// The resources a person receiving one has at least over a year (2025,
// orders of magnitude): they are resources as the C2S and the RSA count
// them (CSS R861-4, CASF R262-6). The ASPA and the AAH are differential,
// bringing a person alone's resources up to about 1 034 € a month; the ASI
// tops an invalidity pension up; the ASS is about 19 € a day; the CEJ
// allowance at most about 545 € a month.
inline constexpr double kResourcesWithAspa = 12400;
inline constexpr double kResourcesWithAah = 12400;
inline constexpr double kResourcesWithAsi = 10000;
inline constexpr double kResourcesWithAss = 7000;
inline constexpr double kResourcesWithCej = 6000;
inline constexpr double kWorkedAmongEarners = 0.85;     // under 65 with resources, outside the minimum benefits
// Other persons living with a household under 25 who are at its charge.
inline constexpr double kOtherYoungDependant = 0.5;

}  // namespace proactif::synth::calibration
