// A fresh directory under $TMPDIR (or /tmp), removed with its contents when
// the object goes out of scope.
#pragma once

#include <string>
#include <vector>

namespace fieldpost::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The whole content of a file ("" if it cannot be read).
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);
// The paths of the files in `dir` whose names begin with `prefix`, sorted.
std::vector<std::string> FilesStartingWith(const std::string& dir, const std::string& prefix);

}  // namespace fieldpost::testing
