// What a message told the person of the data it rests on and where each
// came from (RGPD art. 14: "Votre adresse postale — DGFiP, fichier des
// revenus"; their acceptance of the request and its date), kept once the
// message itself is emptied after it is sent: the person who asks where
// their address came from (art. 15-1-g), and an auditor, find it with the
// decision. Labels, administrations and dates only: no contact detail, no
// amount.
#pragma once

#include <string>

namespace proactif {

// From a notice's message (planner.cpp's notice_json): its "data" list and
// its "accepted_on", as JSON ({"data": [{"label", "source"}...],
// "accepted_on": "2024-08-18"}); empty for a message that has neither.
std::string told_of(const std::string& message_json);

// The same in French, one line per datum, for `proactif decision`.
std::string told_in_french(const std::string& told);

}  // namespace proactif
