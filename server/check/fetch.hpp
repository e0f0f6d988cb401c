// The bounded fetcher of `wasmdev check`: fetches a page and what it loads (scripts, modules
// and their static imports, workers, .wasm, .data, source maps), as a browser would ask for
// them (Accept-Encoding: br, gzip), over HTTP or HTTPS (Boost.Beast, OpenSSL, the system's
// CAs). Only the page's origin is fetched in full; another origin the page names gets one HEAD.
// Bounded in count, bytes per body and in total, time per request and in total; redirects
// only within the origin. Decides nothing about the answers: judge.hpp does.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "server/check/resource.hpp"

namespace wasmdev::check {

struct Limits {
    std::size_t max_resources = 200;                         // requests, the page included
    std::uint64_t max_body_bytes = std::uint64_t(64) << 20;  // read of one body; the rest is not read
    std::uint64_t max_total_bytes = std::uint64_t(512) << 20;
    std::chrono::milliseconds request_timeout{std::chrono::seconds(20)};  // each connect, write, read
    std::chrono::milliseconds total_timeout{std::chrono::seconds(120)};
    int max_redirects = 5;
};

struct Crawl {
    std::vector<Observed> resources{};   // the page first, then in the order found
    std::vector<std::string> skipped{};  // one line per limit that left something unchecked
};

// Fetches page_url and everything it loads, within the limits. Never throws for what a server
// answers; a failure is recorded on its resource.
Crawl crawl(std::string const& page_url, Limits const& limits);

}  // namespace wasmdev::check
