// Base64 (RFC 4648 §4, with padding) of a byte string: the encoding DevTools' Fetch.fulfillRequest
// wants for a response body. Pure.
#pragma once
#include <string>
#include <string_view>

namespace wasmdev::run {

std::string base64_encode(std::string_view bytes);

}  // namespace wasmdev::run
