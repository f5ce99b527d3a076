// Every file fieldpost keeps in a data directory is read and written by
// every server user of it: the packaged services' user and the web
// server's (nginx's workers, Apache's children), who share the directory's
// group (docs/deploy/debian-package.md). Files are created 0660, but a
// process's umask (the services' 0027, a shell's 0022) takes the group's
// write away; this gives it back.
#pragma once

#include <string>

namespace fieldpost {

// Adds read and write for the group to `path` when this process owns it
// and they are missing; does nothing otherwise (a file another user owns
// is that user's to fix, and a missing one is no error here).
void LetGroupWrite(const std::string& path);

}  // namespace fieldpost
