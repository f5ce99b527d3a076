// RapidJSON's DOM parser, included with one sanitizer exemption.
//
// RapidJSON 1.1.0's lazily allocated stack adds offsets to a null pointer
// (Tencent/rapidjson#1724, fixed upstream after the release), which UBSan
// reports on every parse. Exempt only that check, only in RapidJSON's code.
#pragma once

// The standard headers RapidJSON includes, first: the attribute below must
// not reach their functions.
#include <cmath>
#include <cstring>
#include <iosfwd>
#include <istream>
#include <iterator>
#include <limits>
#include <new>
#include <ostream>
#include <streambuf>
#include <string>
#include <utility>

#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("pointer-overflow"))), apply_to = function)
#endif
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#if defined(__clang__)
#pragma clang attribute pop
#endif
