#include "flashscope/sweep/digest.hpp"

#include <cstdio>

namespace flashscope::sweep {

Digest& Digest::add(std::string_view text) {
    for (unsigned char c : text) {
        m_hash ^= c;
        m_hash *= 0x100000001b3ULL;  // FNV prime
    }
    return *this;
}

std::string Digest::hex() const {
    std::uint64_t h = m_hash;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
    return text;
}

std::string digest_hex(std::string_view text) {
    return Digest().add(text).hex();
}

bool is_digest_text(std::string_view text) {
    return text.size() == 16 &&
           text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace flashscope::sweep
