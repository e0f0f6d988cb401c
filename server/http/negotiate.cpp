#include "server/http/negotiate.hpp"

#include <array>

#include "server/http/policy.hpp"

namespace wasmdev::http {
namespace {

// RFC 9110 §12.4.2 qvalue: "0" ["." 0*3DIGIT] / "1" ["." 0*3("0")], in thousandths.
std::optional<int> parse_qvalue(std::string_view s) {
    if (s.empty() || s.size() > 5 || (s[0] != '0' && s[0] != '1')) return std::nullopt;
    int q = (s[0] - '0') * 1000;
    if (s.size() == 1) return q;
    if (s[1] != '.') return std::nullopt;
    int scale = 100;
    for (char c : s.substr(2)) {
        if (c < '0' || c > '9') return std::nullopt;
        q += (c - '0') * scale;
        scale /= 10;
    }
    if (q > 1000) return std::nullopt;
    return q;
}

struct Element {
    std::string_view coding{};
    int q = 1000;
};

// Parses one list element "gzip;q=0.5"; nullopt when malformed (then it is ignored).
std::optional<Element> parse_element(std::string_view e) {
    auto semi = e.find(';');
    Element out{text::trim(e.substr(0, semi)), 1000};
    if (out.coding.empty()) return std::nullopt;
    while (semi != std::string_view::npos) {
        e.remove_prefix(semi + 1);
        semi = e.find(';');
        auto param = text::trim(e.substr(0, semi));
        auto eq = param.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        if (iequals(text::trim(param.substr(0, eq)), "q")) {
            auto q = parse_qvalue(text::trim(param.substr(eq + 1)));
            if (!q) return std::nullopt;
            out.q = *q;
        }
    }
    return out;
}

}  // namespace

std::optional<ContentCoding> parse_content_coding(std::string_view token) { return codings::parse(token); }

std::optional<ContentCoding> negotiate_encoding(std::optional<std::string_view> accept_encoding,
                                                std::span<ContentCoding const> available) {
    if (!accept_encoding) return ContentCoding::identity;
    // q for each coding (indexed by rank) as the client states it by name, and for "*"; -1
    // when not stated. A later element for the same coding replaces an earlier one.
    std::array<int, codings::count> named_q;
    named_q.fill(-1);
    int star_q = -1;
    std::string_view list = *accept_encoding;
    while (!list.empty()) {
        auto comma = list.find(',');
        auto element = parse_element(text::trim(list.substr(0, comma)));
        list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
        if (!element) continue;
        if (element->coding == "*") {
            star_q = element->q;
            continue;
        }
        auto coding = parse_content_coding(element->coding);
        if (!coding) continue;  // a coding we can't produce says nothing about the others
        named_q[codings::rank(*coding)] = element->q;
    }
    auto q_of = [&](std::size_t i) {
        if (named_q[i] >= 0) return named_q[i];
        if (star_q >= 0) return star_q;
        // Identity is acceptable unless refused (RFC 9110 §12.5.3), but unnamed it only gets
        // the lowest non-zero q, so "gzip;q=0.5" still means gzip. Other codings need naming.
        return codings::table[i].coding == ContentCoding::identity ? 1 : 0;
    };
    auto offered = [&](ContentCoding c) {
        if (c == ContentCoding::identity) return true;
        for (auto a : available)
            if (a == c) return true;
        return false;
    };
    std::optional<ContentCoding> best;
    int best_q = 0;  // q=0 means "not acceptable" (RFC 9110 §12.4.2)
    for (std::size_t i = 0; i < codings::count; ++i) {
        auto const c = codings::table[i].coding;
        if (!offered(c)) continue;
        if (int q = q_of(i); q > best_q) {
            best = c;
            best_q = q;
        }
    }
    return best;
}

}  // namespace wasmdev::http
