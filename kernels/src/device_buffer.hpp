#pragma once
// An owned cudaMalloc allocation.
#include <cuda_runtime.h>

#include <cstdint>
#include <utility>

#include "flashscope/kernels/cuda_error.hpp"

namespace flashscope::kernels::detail {

class DeviceBuffer {
public:
    DeviceBuffer() = default;
    explicit DeviceBuffer(std::int64_t bytes) : m_bytes(bytes) {
        if (bytes > 0) FLASHSCOPE_CUDA_CHECK(cudaMalloc(&m_data, static_cast<std::size_t>(bytes)));
    }
    ~DeviceBuffer() {
        if (m_data != nullptr) cudaFree(m_data);
    }
    DeviceBuffer(DeviceBuffer&& other) noexcept
        : m_data(std::exchange(other.m_data, nullptr)), m_bytes(std::exchange(other.m_bytes, 0)) {}
    DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
        std::swap(m_data, other.m_data);
        std::swap(m_bytes, other.m_bytes);
        return *this;
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    void* data() const { return m_data; }
    template <typename T>
    T* as() const {
        return static_cast<T*>(m_data);
    }
    std::int64_t bytes() const { return m_bytes; }

private:
    void* m_data = nullptr;
    std::int64_t m_bytes = 0;
};

}  // namespace flashscope::kernels::detail
