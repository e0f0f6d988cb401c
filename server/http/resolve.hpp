// resolve() lives in server/fs/ (#13): this header keeps server/http/ code that still
// includes it here compiling (listing.cpp); new code includes server/fs/resolve.hpp.
#pragma once
#include "server/fs/resolve.hpp"

namespace wasmdev::http {
using fs::is_hidden_name;
using fs::open_root;
using fs::resolve;
using fs::Resolved;
using fs::ResolveKind;
}  // namespace wasmdev::http
