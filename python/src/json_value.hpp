#pragma once
// A Boost.JSON value as the Python object json.loads would give (dict, list, str, int, float,
// bool, None), so that to_dict() holds exactly what the CLI's --format json prints.
#include <nanobind/nanobind.h>

#include <boost/json/value.hpp>

namespace flashscope::python {

nanobind::object to_python(const boost::json::value& value);

}  // namespace flashscope::python
