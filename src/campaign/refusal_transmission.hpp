// A person's refusal of a request already transmitted for them: the refusal
// is transmitted too (CASF R262-106 II), and declining must stay possible
// after the request went (CNIL délibération 2022-101). The request's content
// is not kept once sent (minimisation): the refusal names it by its code,
// which the paying body received with it, for its household and program,
// and names who declined (`choice.by`, as the request named its members).
#pragma once

#include <string>

#include "store/store.hpp"

namespace proactif {

// `day` (YYYY-MM-DD) is the day the person refused, `event` how it reached
// us ("objection", or the event that carried it).
PlannedAction refusal_transmission(const TransmittedGrant& grant, const std::string& day, const std::string& event);

}  // namespace proactif
