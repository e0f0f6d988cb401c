// Reading a whole small file (a config, a version file, a key, /proc and /sys values) into
// memory, bounded: more than max_bytes is refused, whatever stat claims (procfs reports 0).
// Served files never come through here: they are sent from their descriptor (open_file.hpp).
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wasmdev::fs {

// The file's bytes; nullopt when it cannot be opened or read, or holds more than max_bytes.
// why (when given) gets the reason: errno's sentence, or "larger than N bytes".
std::optional<std::string> read_file(std::filesystem::path const& p, std::uint64_t max_bytes,
                                     std::string* why = nullptr);
// The same, as bytes (a wasm module for the doctor).
std::optional<std::vector<std::uint8_t>> read_file_bytes(std::filesystem::path const& p, std::uint64_t max_bytes,
                                                         std::string* why = nullptr);

}  // namespace wasmdev::fs
