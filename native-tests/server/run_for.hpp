// runFor: one asynchronous client operation run to completion or to a timeout, so a server bug
// fails a test instead of hanging it. Used by the loopback clients and the TLS test.
#pragma once

#include <chrono>
#include <optional>

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

namespace vroom::server::testing {

// Starts an async operation with a completion handler, runs `ioc` until it completes or the
// timeout passes (then cancels the socket); returns the operation's error code.
template <class Socket, class Start>
boost::system::error_code runFor(boost::asio::io_context& ioc, Socket& socket, Start start,
                                 std::chrono::milliseconds timeout) {
  std::optional<boost::system::error_code> result;
  start([&](boost::system::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run_for(timeout);
  if (!result) {
    boost::system::error_code ignored;
    socket.cancel(ignored);
    ioc.restart();
    ioc.run_for(std::chrono::seconds(1));
    return boost::asio::error::timed_out;
  }
  return *result;
}

}  // namespace vroom::server::testing
