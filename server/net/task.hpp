// The coroutine vocabulary of server/net/: every session runs on one io_context, so its
// concrete executor type (not the type-erased any_io_executor) spares a copy through a
// vtable at every suspension point.
#pragma once
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace wasmdev::net {

using Executor = boost::asio::io_context::executor_type;
using Stream = boost::beast::basic_stream<boost::asio::ip::tcp, Executor>;
using Socket = Stream::socket_type;
template <class T>
using Task = boost::asio::awaitable<T, Executor>;
inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable_t<Executor>{});

}  // namespace wasmdev::net
