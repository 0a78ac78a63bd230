// Where personal data is sent is a protocol and a host someone wrote in a
// file: only the schemes a channel speaks, and in clear only to this
// machine, named by its address.
#pragma once

#include <string>
#include <vector>

namespace proactif {

// Empty when `url` is acceptable, else why not (without the URL's
// credentials). `plain` is the scheme that travels in clear ("http", or
// "smtp" without STARTTLS), accepted only towards a loopback address.
std::string endpoint_fault(const std::string& url, const std::vector<std::string>& schemes, const std::string& plain);

// An address of this machine, written as one (127.0.0.0/8, [::1]): a name,
// even "localhost", is resolved elsewhere and could lead off the machine.
bool is_loopback(std::string host);

}  // namespace proactif
