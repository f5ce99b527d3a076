// What the admin commands print: a refusal on stderr, and channels and
// users as text for a person (or as JSON, app/json_output.h, for a script).
#pragma once

#include "api/model.h"
#include "api/status.h"

namespace fieldpost {

// Prints "fieldpost: MESSAGE" on stderr; returns the exit code 1.
int Fail(const Status& status);

void PrintChannel(const Channel& channel);
void PrintUser(const User& user);

}  // namespace fieldpost
