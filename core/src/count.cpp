#include "flashscope/core/count.hpp"

namespace flashscope {

namespace {
constexpr const char* k_overflow_limit =
    "exceeds 2^63-1, the largest count flashscope holds; reduce batch, heads or seq";
}  // namespace

CountOverflow::CountOverflow(std::string quantity, std::string operation)
    : CountOverflow(std::move(quantity), std::move(operation), k_overflow_limit) {}

CountOverflow::CountOverflow(std::string quantity, std::string operation, std::string limit)
    : ConfigError(std::move(quantity), std::move(operation), std::move(limit)) {}

namespace detail {

void throw_count_overflow(const char* quantity, std::int64_t a, char op, std::int64_t b) {
    throw CountOverflow(quantity, std::to_string(a) + " " + op + " " + std::to_string(b));
}

}  // namespace detail
}  // namespace flashscope
