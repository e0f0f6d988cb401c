// check --browser's DevTools events (server/check/network_events): the requests Chromium sends
// and blocks, its load event and an evaluated boolean, as Chromium writes them.
#include <doctest/doctest.h>

#include <variant>

#include "server/check/network_events.hpp"

using namespace wasmdev::check;

TEST_CASE("decode_network_event: requests, blocked requests with their reason, load, evaluate") {
    auto sent = decode_network_event(
        R"({"method":"Network.requestWillBeSent","sessionId":"S","params":{"requestId":"7","request":{"url":"http://h/w.js"}}})");
    CHECK(sent.session_id == "S");
    REQUIRE(std::holds_alternative<RequestSent>(sent.body));
    CHECK(std::get<RequestSent>(sent.body).url == "http://h/w.js");

    auto blocked = decode_network_event(
        R"({"method":"Network.loadingFailed","params":{"requestId":"7","errorText":"net::ERR_BLOCKED_BY_RESPONSE","blockedReason":"coep-frame-resource-needs-coep-header"}})");
    REQUIRE(std::holds_alternative<LoadingFailed>(blocked.body));
    CHECK(std::get<LoadingFailed>(blocked.body).blocked);
    CHECK(std::get<LoadingFailed>(blocked.body).reason == "coep-frame-resource-needs-coep-header");

    auto cors = decode_network_event(
        R"({"method":"Network.loadingFailed","params":{"requestId":"8","errorText":"net::ERR_FAILED","corsErrorStatus":{"corsError":"MissingAllowOriginHeader"}}})");
    CHECK(std::get<LoadingFailed>(cors.body).reason == "CORS: MissingAllowOriginHeader");

    auto aborted = decode_network_event(
        R"({"method":"Network.loadingFailed","params":{"requestId":"9","errorText":"net::ERR_ABORTED"}})");
    CHECK_FALSE(std::get<LoadingFailed>(aborted.body).blocked);

    CHECK(std::holds_alternative<LoadEvent>(
        decode_network_event(R"({"method":"Page.loadEventFired","params":{}})").body));
    auto value = decode_network_event(R"({"id":12,"result":{"result":{"type":"boolean","value":true}}})");
    REQUIRE(std::holds_alternative<EvaluatedBool>(value.body));
    CHECK(std::get<EvaluatedBool>(value.body).id == 12);
    CHECK(std::get<EvaluatedBool>(value.body).value);
}

TEST_CASE("decode_network_event: malformed or unexpected messages are ignored") {
    for (std::string_view s :
         {"", "{", "[]", "null", R"({"method":"Network.loadingFailed"})",
          R"({"method":"Network.loadingFailed","params":{"requestId":3}})",
          R"({"id":"1","result":{"result":{"value":true}}})", R"({"id":1,"result":{"result":{"value":"yes"}}})"}) {
        CAPTURE(s);
        CHECK(std::holds_alternative<NetworkIgnored>(decode_network_event(s).body));
    }
}
