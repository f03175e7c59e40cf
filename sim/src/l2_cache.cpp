#include "flashscope/sim/l2_cache.hpp"

#include <algorithm>
#include <cmath>

namespace flashscope::sim {

std::size_t TileKeyHash::operator()(const TileKey& k) const noexcept {
    // A cheap combination; boost::unordered_flat_map mixes the result itself (the hash is not
    // declared avalanching), so no finaliser is needed here.
    const auto a = static_cast<std::uint64_t>(k.head_and_tensor);
    const auto r = static_cast<std::uint64_t>(k.row);
    const auto c = static_cast<std::uint64_t>(k.col);
    return static_cast<std::size_t>(a * 0x9e3779b97f4a7c15ULL ^ r * 0xc2b2ae3d27d4eb4fULL ^ c);
}

L2Cache::L2Cache(std::int64_t capacity_bytes, std::int64_t dirty_limit_bytes, double dirty_weight)
    : m_capacity(capacity_bytes),
      m_dirty_limit(dirty_limit_bytes),
      m_dirty_extra(std::max(0.0, dirty_weight - 1)) {
    if (m_capacity > 0) m_index.reserve(1 << 14);  // grows on demand; avoids early rehashes
}

L2Cache::~L2Cache() {
    m_dirty_order.clear();
}

void L2Cache::compact_uses() {
    // Keep each resident entry's last use, in order; a free entry's `used` is 0.
    std::size_t kept = 0;
    for (std::size_t i = m_uses_head; i < m_uses.size(); ++i)
        if (m_uses[i].entry->used == m_uses[i].at) m_uses[kept++] = m_uses[i];
    m_uses.resize(kept);
    m_uses_head = 0;
    m_uses_limit = std::max<std::size_t>(1024, 4 * kept);
}

void L2Cache::mark_dirty(Entry& e) {
    if (e.dirty) {
        m_dirty_order.erase(m_dirty_order.iterator_to(e));
    } else {
        e.dirty = true;
        m_dirty += e.bytes;
        e.extra = std::llround(double(e.bytes) * m_dirty_extra);
        m_extra += e.extra;
    }
    m_dirty_order.push_front(e);
}

void L2Cache::mark_clean(Entry& e) {
    if (!e.dirty) return;
    m_dirty_order.erase(m_dirty_order.iterator_to(e));
    e.dirty = false;
    m_dirty -= e.bytes;
    m_extra -= e.extra;
    e.extra = 0;
}

void L2Cache::clean_until_under_limit(HbmTraffic& traffic) {
    while (m_dirty > m_dirty_limit && !m_dirty_order.empty()) {
        Entry& oldest = m_dirty_order.back();
        traffic.write_bytes += oldest.bytes;
        mark_clean(oldest);
    }
}

void L2Cache::insert(Entry* e) {
    const TileKey& k = e->key;
    if (!by_row(k)) {
        m_index.emplace(k, e);
        return;
    }
    const auto h = static_cast<std::size_t>(k.head_and_tensor);
    const auto r = static_cast<std::size_t>(k.row);
    if (h >= m_by_row.size()) m_by_row.resize(h + 1);
    std::vector<Entry*>& rows = m_by_row[h];
    if (r >= rows.size()) rows.resize(std::max(r + 1, 2 * rows.size()), nullptr);
    rows[r] = e;
}

void L2Cache::erase(const TileKey& k) {
    if (by_row(k))
        m_by_row[static_cast<std::size_t>(k.head_and_tensor)][static_cast<std::size_t>(k.row)] =
            nullptr;
    else
        m_index.erase(k);
}

L2Cache::Entry* L2Cache::allocate() {
    if (!m_free.empty()) {
        Entry* e = m_free.back();
        m_free.pop_back();
        return e;
    }
    return &m_storage.emplace_back();
}

void L2Cache::evict_until_fits(HbmTraffic& traffic) {
    while (m_resident + m_extra > m_capacity && m_uses_head < m_uses.size()) {
        const Use oldest = m_uses[m_uses_head++];
        if (oldest.entry->used != oldest.at) continue;  // used again later
        Entry& victim = *oldest.entry;
        victim.used = 0;
        if (victim.dirty) {
            traffic.write_bytes += victim.bytes;
            mark_clean(victim);
        }
        m_resident -= victim.bytes;
        erase(victim.key);
        m_free.push_back(&victim);
    }
}

HbmTraffic L2Cache::bypass(std::int64_t bytes, AccessKind kind) {
    // Disabled, or a tile larger than the cache: straight to HBM.
    HbmTraffic traffic;
    if (kind != AccessKind::write) traffic.read_bytes = bytes;
    if (kind != AccessKind::read) traffic.write_bytes = bytes;
    traffic.bypassed = true;
    ++m_misses;
    return traffic;
}

HbmTraffic L2Cache::write_hit(Entry& e) {
    HbmTraffic traffic;
    mark_dirty(e);
    if (m_extra > 0) evict_until_fits(traffic);
    clean_until_under_limit(traffic);
    return traffic;
}

HbmTraffic L2Cache::miss(const TileKey& key, std::int64_t bytes, AccessKind kind) {
    HbmTraffic traffic;
    ++m_misses;
    if (kind != AccessKind::write) traffic.read_bytes = bytes;  // a whole-tile write needs no fill
    Entry* e = allocate();
    e->key = key;
    e->bytes = bytes;
    e->dirty = false;
    touch(*e);
    insert(e);
    m_resident += bytes;
    if (kind != AccessKind::read) mark_dirty(*e);
    evict_until_fits(traffic);
    clean_until_under_limit(traffic);
    return traffic;
}

}  // namespace flashscope::sim
