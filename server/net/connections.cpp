#include "server/net/connections.hpp"

#include <boost/asio/post.hpp>

namespace wasmdev::net {

namespace asio = boost::asio;

void SessionHost::close_idle_sessions() {
    std::lock_guard lock(mutex);
    for (auto const& [id, s] : sessions) {
        asio::post(s->stream->get_executor(), [id, this] {
            std::lock_guard inner(mutex);
            auto it = sessions.find(id);
            if (it == sessions.end()) return;
            if (it->second->reading)
                it->second->stream->cancel();
            else if (it->second->interrupt)
                it->second->interrupt();
        });
    }
}

void SessionHost::expire_overdue_sessions() {
    auto const now = std::chrono::steady_clock::now().time_since_epoch().count();
    std::lock_guard lock(mutex);
    for (auto const& [id, s] : sessions) {
        if (!s->overdue(now)) continue;
        // Closed on its own thread, where it is suspended in the overdue operation (or has
        // moved on, re-armed, and is no longer overdue): that operation ends with an error.
        asio::post(s->stream->get_executor(), [id, this] {
            std::lock_guard inner(mutex);
            auto it = sessions.find(id);
            if (it == sessions.end() ||
                !it->second->overdue(std::chrono::steady_clock::now().time_since_epoch().count()))
                return;
            boost::system::error_code ignored;
            it->second->stream->socket().close(ignored);
        });
    }
}

Registration::Registration(SessionHost& h, Stream& s) : host(h) {
    control.stream = &s;
    std::lock_guard lock(host.mutex);
    id = ++host.next_session_id;
    host.sessions.emplace(id, &control);
}

Registration::~Registration() {
    std::lock_guard lock(host.mutex);
    host.sessions.erase(id);
}

}  // namespace wasmdev::net
