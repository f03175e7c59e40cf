#include "flashscope/kernels/cuda_error.hpp"

namespace flashscope::kernels {

void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line) {
    throw CudaError(std::string("CUDA error ") + cudaGetErrorName(status) + " (" +
                    cudaGetErrorString(status) + ") in " + call + " at " + file + ":" +
                    std::to_string(line));
}

void throw_cublas_error(cublasStatus_t status, const char* call, const char* file, int line) {
    throw CudaError(std::string("cuBLAS error ") + cublasGetStatusName(status) + " (" +
                    cublasGetStatusString(status) + ") in " + call + " at " + file + ":" +
                    std::to_string(line));
}

}  // namespace flashscope::kernels
