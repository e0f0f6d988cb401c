// One HTTP/1.x connection (SPEC §2.7): read a request, handle() it, write the plan, log what
// was sent, repeat. Pipelined requests are answered in order because each is read after the
// previous answer is written. HTTP decisions are handle()'s (and, for a request that does not
// parse, http::answer_parse_failure's); bytes on the wire are writer.cpp's.
#pragma once
#include "server/net/connections.hpp"
#include "server/net/task.hpp"

namespace wasmdev::net {

Task<void> run_session(Stream stream, SessionHost& host, bool over_limit);

}  // namespace wasmdev::net
