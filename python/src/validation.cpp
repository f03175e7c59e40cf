// read_validation(): a `flashscope validate` file (JSON or CSV, schema flashscope.validation/1)
// read by validate's CUDA-free record library, returned as the JSON object the file format defines.
#include <nanobind/stl/filesystem.h>
#include <nanobind/stl/string.h>

#include <boost/json/parse.hpp>

#include "bindings.hpp"
#include "flashscope/validate/validation_file.hpp"
#include "json_value.hpp"

namespace nb = nanobind;

namespace flashscope::python {

void bind_validation(nb::module_& m) {
    m.def(
        "read_validation",
        [](const std::filesystem::path& path) {
            const std::string json = validate::to_json(validate::read_validation(path.string()));
            return to_python(boost::json::parse(json));
        },
        nb::arg("path"),
        "The records of a `flashscope validate` file (.json or .csv) as its JSON object "
        "(schema flashscope.validation/1): the run's device, preset and date, one record per "
        "kernel with predicted and measured metrics, and the error summaries");
}

}  // namespace flashscope::python
