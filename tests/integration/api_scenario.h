// The black-box scenario every deployment must pass: the seed's station URL
// and the ThingSpeak write forms over real HTTP, values read back, bad
// input rejected with nothing stored, ThingSpeak framing on every reply.
#pragma once

#include <cstdint>
#include <string>

namespace fieldpost::testing {

struct Deployment {
  std::uint16_t port = 0;
  std::string prefix;    // "" or e.g. "/iot"
  std::string data_dir;  // for the admin commands
  // Whether replies must carry an exact Content-Length, as the ThingSpeak
  // Arduino library needs; false only for a web server configuration that
  // chunks them on its own (documented as such in docs/deploy/apache-fastcgi.md).
  bool exact_framing = true;
};

// Prepares the data directory the scenario expects: a user whose key is
// the seed's literal "ASCIISTR" and a private channel. Call once per
// directory, before or while the server runs.
void PrepareScenarioData(const std::string& data_dir);

// Runs the scenario; may run several times against one data directory.
void RunApiScenario(const Deployment& deployment);

// The endpoints ThingSpeak's client libraries read besides the data, after
// RunApiScenario on the same deployment: a user's profile and channels
// (public ones, or all with the user's key), the public directory, and
// how old the last reading is.
void RunDirectoryScenario(const Deployment& deployment);

}  // namespace fieldpost::testing
