#pragma once
// CUDA and cuBLAS failures raised as exceptions carrying the call site and the library's message.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace flashscope::kernels {

class CudaError : public std::runtime_error {
public:
    explicit CudaError(const std::string& what) : std::runtime_error(what) {}
};

void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line);
void throw_cublas_error(cublasStatus_t status, const char* call, const char* file, int line);

}  // namespace flashscope::kernels

#define FLASHSCOPE_CUDA_CHECK(call)                                                      \
    do {                                                                                 \
        const cudaError_t flashscope_status_ = (call);                                   \
        if (flashscope_status_ != cudaSuccess)                                           \
            ::flashscope::kernels::throw_cuda_error(flashscope_status_, #call, __FILE__, \
                                                    __LINE__);                           \
    } while (0)

#define FLASHSCOPE_CUBLAS_CHECK(call)                                                      \
    do {                                                                                   \
        const cublasStatus_t flashscope_status_ = (call);                                  \
        if (flashscope_status_ != CUBLAS_STATUS_SUCCESS)                                   \
            ::flashscope::kernels::throw_cublas_error(flashscope_status_, #call, __FILE__, \
                                                      __LINE__);                           \
    } while (0)

// After a kernel launch: configuration errors surface at once, faults at the next synchronisation.
#define FLASHSCOPE_CHECK_LAUNCH() FLASHSCOPE_CUDA_CHECK(cudaGetLastError())
