// flashscope._flashscope: the C++ simulator as a Python module (the package flashscope wraps it).
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include "bindings.hpp"
#include "flashscope/core/version.hpp"

NB_MODULE(_flashscope, m) {
    using namespace flashscope;
    m.doc() = "flashscope's simulator: where attention's bytes and cycles go on a GPU";
    m.attr("__version__") = std::string(version());
    m.attr("git_commit") = std::string(git_commit());
    python::bind_errors(m);
    python::bind_gpu(m);
    python::bind_result(m);
    python::bind_simulate(m);
    python::bind_sweep(m);
    python::bind_validation(m);
}
