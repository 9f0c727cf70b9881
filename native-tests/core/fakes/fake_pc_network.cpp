// FakePcNetwork: the registry of fake peer connections and the ICE model deciding, from
// their negotiated descriptions, received candidates and broken paths, who is connected.
#include <algorithm>

#include "fake_peer_connection.hpp"

namespace vroom::fakes {

std::unique_ptr<FakePeerConnection> FakePcNetwork::create(const std::string& owner) {
  auto pc = std::make_unique<FakePeerConnection>(*this, nextUid_++, owner);
  pcs_.emplace(pc->uid(), pc.get());
  ++created_[owner];
  if (auto dead = deadNext_.find(owner); dead != deadNext_.end() && dead->second > 0) {
    --dead->second;
    pc->setGathers(false);
  }
  return pc;
}

PeerConnectionFactory FakePcNetwork::factory(const std::string& owner) {
  return [this, owner](
             const std::vector<protocol::IceServer>& servers) -> std::unique_ptr<PeerConnection> {
    ice_.push_back(servers);
    if (failNextCreate_) {
      failNextCreate_ = false;
      return nullptr;
    }
    return create(owner);
  };
}

void FakePcNetwork::setPathBroken(const std::string& a, const std::string& b, bool broken) {
  auto key = std::minmax(a, b);
  if (broken)
    broken_.insert({key.first, key.second});
  else
    broken_.erase({key.first, key.second});
  update();
}

FakePeerConnection* FakePcNetwork::find(std::uint64_t uid) const {
  auto it = pcs_.find(uid);
  return it == pcs_.end() ? nullptr : it->second;
}

std::vector<FakePeerConnection*> FakePcNetwork::all() const {
  std::vector<FakePeerConnection*> out;
  for (auto& [uid, pc] : pcs_) out.push_back(pc);
  return out;
}

std::vector<FakePeerConnection*> FakePcNetwork::openOwnedBy(const std::string& owner) const {
  std::vector<FakePeerConnection*> out;
  for (auto& [uid, pc] : pcs_)
    if (!pc->closed() && pc->owner() == owner) out.push_back(pc);
  return out;
}

void FakePcNetwork::forget(FakePeerConnection* pc) {
  pcs_.erase(pc->uid());
  update();
}

std::int64_t FakePcNetwork::operationDelay() {
  if (!random_ || options_.maxOperationDelayMs <= 0) return 0;
  return static_cast<std::int64_t>(random_->uniform() *
                                   static_cast<double>(options_.maxOperationDelayMs + 1));
}

bool FakePcNetwork::linkUp(FakePeerConnection& p, FakePeerConnection& q) const {
  if (q.closed_ || !q.currentLocal_ || !q.currentRemote_) return false;
  if (q.currentRemote_->pc != p.uid_) return false;
  if (q.currentRemote_->iceGen != p.currentLocal_->iceGen) return false;
  if (p.currentRemote_->iceGen != q.currentLocal_->iceGen) return false;
  if (!p.remoteCandidates_.count(p.currentRemote_->ufrag())) return false;
  if (!q.remoteCandidates_.count(q.currentRemote_->ufrag())) return false;
  auto key = std::minmax(p.owner_, q.owner_);
  return !broken_.count({key.first, key.second});
}

IceConnectionState FakePcNetwork::computeIce(FakePeerConnection& p) {
  if (p.closed_) return IceConnectionState::Closed;
  if (!p.currentLocal_ || !p.currentRemote_ || p.currentLocal_->lines.empty())
    return IceConnectionState::New;
  const std::pair<int, int> gens{p.currentLocal_->iceGen, p.currentRemote_->iceGen};
  FakePeerConnection* q = find(p.currentRemote_->pc);
  const std::int64_t now = clock_.nowMs();
  const auto current = p.ice_;
  const bool restarted = gens != p.failedGens_;
  p.failedGens_ = gens;  // the generation the state below belongs to
  // Failed is final for a generation: only an ICE restart (new credentials) leaves it.
  if (current == IceConnectionState::Failed && !restarted) return IceConnectionState::Failed;
  if (q && linkUp(p, *q)) return IceConnectionState::Connected;
  if (current == IceConnectionState::Connected) return IceConnectionState::Disconnected;
  if (current == IceConnectionState::Disconnected && !restarted)
    return now - p.iceSinceMs_ >= options_.disconnectedFailAfterMs
               ? IceConnectionState::Failed
               : IceConnectionState::Disconnected;
  if (current == IceConnectionState::Checking && !restarted)
    return now - p.iceSinceMs_ >= options_.checkingFailAfterMs ? IceConnectionState::Failed
                                                               : IceConnectionState::Checking;
  if (current == IceConnectionState::Checking) {  // restarted while checking: start over
    p.iceSinceMs_ = now;
    p.schedule([this] { update(); }, options_.checkingFailAfterMs);
  }
  return IceConnectionState::Checking;
}

void FakePcNetwork::update() {
  if (updating_) return;
  updating_ = true;
  for (auto& [uid, pc] : pcs_) {
    if (pc->closed_) continue;
    const auto next = computeIce(*pc);
    if (next == pc->ice_) continue;
    pc->ice_ = next;
    pc->iceSinceMs_ = clock_.nowMs();
    pc->schedule([pc = pc, next] {
      if (pc->closed_) return;
      pc->calls_.push_back("event:ice:" + std::string(toString(next)));
      pc->triggerIceConnectionStateChange(next);
      pc->triggerConnectionStateChange(pc->connectionState());
    });
    const std::int64_t wait = next == IceConnectionState::Disconnected
                                  ? options_.disconnectedFailAfterMs
                                  : options_.checkingFailAfterMs;
    if (next == IceConnectionState::Disconnected || next == IceConnectionState::Checking)
      pc->schedule([this] { update(); }, wait);
  }
  updating_ = false;
}

}  // namespace vroom::fakes
