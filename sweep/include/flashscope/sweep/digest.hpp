#pragma once
// A 64-bit digest of text, written as 16 hex digits: FNV-1a, then MurmurHash3's fmix64 finaliser,
// so that texts differing in one character get digests that differ everywhere, not only in their
// last digits. It detects mix-ups and damage, not deliberate forgery.
#include <cstdint>
#include <string>
#include <string_view>

namespace flashscope::sweep {

class Digest {
public:
    Digest& add(std::string_view text);
    std::string hex() const;

private:
    std::uint64_t m_hash = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
};

std::string digest_hex(std::string_view text);

// 16 lowercase hex digits, as hex() writes them.
bool is_digest_text(std::string_view text);

}  // namespace flashscope::sweep
