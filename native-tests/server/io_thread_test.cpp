// IoThread on its own: the sweep stops when asked, even when its timer has already fired and
// its handler waits in the queue behind the request to stop, so that a stopping server's
// threads run out of work and return.
#include <chrono>
#include <future>
#include <thread>

#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include "io_thread.hpp"

namespace vroom::server {
namespace {

TEST(IoThread, StopSweepingWinsOverASweepAlreadyDue) {
  IoThread thread;
  thread.startSweeping();
  // Queued before the sweep is due; by the time the thread runs, the sweep's timer has fired,
  // so its handler is queued too (after this one) and cannot be cancelled any more.
  boost::asio::post(thread.context(), [&thread] { thread.stopSweeping(); });
  std::this_thread::sleep_for(IoThread::kSweepEvery + std::chrono::milliseconds(200));
  auto ran = std::async(std::launch::async, [&thread] { thread.run(); });
  const bool returned = ran.wait_for(std::chrono::seconds(3)) == std::future_status::ready;
  if (!returned) thread.context().stop();  // the sweep re-armed itself: end the test anyway
  ran.wait();
  EXPECT_TRUE(returned) << "run() must return once the sweep is stopped";
}

TEST(IoThread, SweepingGoesOnUntilStopped) {
  IoThread thread;
  thread.startSweeping();
  boost::asio::steady_timer stopAt(thread.context(), 3 * IoThread::kSweepEvery);
  stopAt.async_wait([&thread](boost::system::error_code) { thread.stopSweeping(); });
  const auto started = std::chrono::steady_clock::now();
  thread.run();  // returns only once the sweep no longer re-arms
  EXPECT_GE(std::chrono::steady_clock::now() - started, 3 * IoThread::kSweepEvery);
}

}  // namespace
}  // namespace vroom::server
