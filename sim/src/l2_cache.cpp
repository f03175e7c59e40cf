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
    // Keep each resident tile's last use, in order; a free slot's `used` is 0. When this runs
    // changes nothing that is evicted, only the memory and time stale uses take: with room for
    // four times the uses kept, a use is checked about 4/3 times, here or at eviction.
    std::size_t kept = 0;
    for (std::size_t i = m_uses_head; i < m_uses_tail; ++i)
        if (m_uses[i].slot->used == m_uses[i].at) m_uses[kept++] = m_uses[i];
    m_uses_head = 0;
    m_uses_tail = kept;
    m_uses.resize(std::max(k_min_uses, 4 * kept + 1));
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

L2Cache::Slot* L2Cache::aim(const TileKey& k, RowCursor& cursor) const {
    if (!by_row(k)) {
        const auto it = m_index.find(k);
        return it == m_index.end() ? nullptr : &it->second->own_slot;
    }
    const auto h = static_cast<std::size_t>(k.head_and_tensor);
    const auto r = static_cast<std::size_t>(k.row);
    const std::size_t p = r >> k_page_bits;
    if (h >= m_by_row.size() || p >= m_by_row[h].size() || !m_by_row[h][p]) return nullptr;
    cursor.aim(m_by_row[h][p].get(), k.head_and_tensor,
               static_cast<std::int64_t>(p << k_page_bits));
    Slot& s = m_by_row[h][p][r & (k_page_slots - 1)];
    return s.entry ? &s : nullptr;
}

L2Cache::Slot& L2Cache::by_row_slot(const TileKey& k, RowCursor& cursor) {
    if (Slot* const s = cursor.slot_of(k)) return *s;
    const auto h = static_cast<std::size_t>(k.head_and_tensor);
    const auto r = static_cast<std::size_t>(k.row);
    if (h >= m_by_row.size()) m_by_row.resize(h + 1);
    std::vector<Page>& pages = m_by_row[h];
    const std::size_t p = r >> k_page_bits;
    if (p >= pages.size()) pages.resize(p + 1);
    if (!pages[p]) pages[p] = std::make_unique<Slot[]>(k_page_slots);
    cursor.aim(pages[p].get(), k.head_and_tensor, static_cast<std::int64_t>(p << k_page_bits));
    return pages[p][r & (k_page_slots - 1)];
}

void L2Cache::insert(Entry* e, RowCursor& cursor) {
    if (by_row(e->key)) {
        e->slot = &by_row_slot(e->key, cursor);
    } else {
        e->slot = &e->own_slot;
        m_index.emplace(e->key, e);
    }
    e->slot->entry = e;
}

void L2Cache::erase(Entry& e) {
    e.slot->used = 0;
    e.slot->entry = nullptr;
    if (!by_row(e.key)) m_index.erase(e.key);
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
    while (m_resident + m_extra > m_capacity && m_uses_head < m_uses_tail) {
        const Use oldest = m_uses[m_uses_head++];
        if (oldest.slot->used != oldest.at) continue;  // used again later
        Entry& victim = *oldest.slot->entry;
        if (victim.dirty) {
            traffic.write_bytes += victim.bytes;
            mark_clean(victim);
        }
        m_resident -= victim.bytes;
        erase(victim);
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

HbmTraffic L2Cache::miss(const TileKey& key, std::int64_t bytes, AccessKind kind,
                         RowCursor& cursor) {
    HbmTraffic traffic;
    ++m_misses;
    if (kind != AccessKind::write) traffic.read_bytes = bytes;  // a whole-tile write needs no fill
    Entry* e = allocate();
    e->key = key;
    e->bytes = bytes;
    e->dirty = false;
    insert(e, cursor);
    touch(*e->slot);
    m_resident += bytes;
    if (kind != AccessKind::read) mark_dirty(*e);
    evict_until_fits(traffic);
    clean_until_under_limit(traffic);
    return traffic;
}

}  // namespace flashscope::sim
