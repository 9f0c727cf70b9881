// What the Janus tests share: an io_context driven from the test thread until a condition
// holds, and a JanusClient whose handlers record what they saw.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "janus_client.hpp"

namespace vroom::server::testing {

// Runs `io` until `done()` holds or `timeout` passes; returns done().
inline bool runUntil(boost::asio::io_context& io, const std::function<bool()>& done,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_for(std::chrono::milliseconds(10));
  }
  return done();
}

// Runs an asynchronous call to completion and returns its result.
template <class T, class Start>
std::optional<janus::JanusResult<T>> await(
    boost::asio::io_context& io, Start start,
    std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  std::optional<janus::JanusResult<T>> result;
  start([&result](janus::JanusResult<T> r) { result.emplace(std::move(r)); });
  runUntil(
      io, [&] { return result.has_value(); }, timeout);
  return result;
}

struct RecordingClient {
  boost::asio::io_context& io;
  std::vector<std::uint64_t> sessions;  // generations seen by sessionUp
  std::vector<janus::Error> downs;
  std::vector<janus::Error> unavailable;
  std::vector<janus::Incoming> events;
  std::shared_ptr<janus::JanusClient> client;

  RecordingClient(boost::asio::io_context& io_, janus::JanusClientConfig config) : io(io_) {
    janus::JanusClient::Handlers handlers;
    handlers.sessionUp = [this](std::uint64_t generation) { sessions.push_back(generation); };
    handlers.sessionDown = [this](const janus::Error& e) { downs.push_back(e); };
    handlers.unavailable = [this](const janus::Error& e) { unavailable.push_back(e); };
    handlers.event = [this](const janus::Incoming& in) { events.push_back(in); };
    client = janus::JanusClient::create(io, std::move(config), std::move(handlers));
  }
  ~RecordingClient() {
    client->stop();
    io.restart();
    io.poll();  // lets the stopped client's handlers finish and release it
  }
  bool waitForSession(std::size_t count = 1,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return runUntil(
        io, [&] { return sessions.size() >= count && client->sessionReady(); }, timeout);
  }
};

}  // namespace vroom::server::testing
