# FIELDPOST_SANITIZE: the whole build (our code, the tests) instrumented with
# AddressSanitizer + UndefinedBehaviorSanitizer, or with ThreadSanitizer.
# The system libraries (LMDB, libfcgi, libmicrohttpd) stay uninstrumented.
if(FIELDPOST_SANITIZE STREQUAL "")
  return()
endif()
if(FIELDPOST_FUZZERS)
  message(FATAL_ERROR "FIELDPOST_FUZZERS brings its own sanitizers; leave FIELDPOST_SANITIZE empty")
endif()
if(FIELDPOST_SANITIZE STREQUAL "address,undefined")
  set(fieldpost_sanitizer_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined)
elseif(FIELDPOST_SANITIZE STREQUAL "thread")
  set(fieldpost_sanitizer_flags -fsanitize=thread)
else()
  message(FATAL_ERROR "FIELDPOST_SANITIZE must be empty, address,undefined or thread")
endif()
add_compile_options(${fieldpost_sanitizer_flags} -fno-omit-frame-pointer)
add_link_options(${fieldpost_sanitizer_flags})
