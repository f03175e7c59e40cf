#include "json_value.hpp"

#include <nanobind/stl/string.h>

namespace nb = nanobind;

namespace flashscope::python {

nb::object to_python(const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::null:
            return nb::none();
        case boost::json::kind::bool_:
            return nb::bool_(v.get_bool());
        case boost::json::kind::int64:
            return nb::int_(v.get_int64());
        case boost::json::kind::uint64:
            return nb::int_(v.get_uint64());
        case boost::json::kind::double_:
            return nb::float_(v.get_double());
        case boost::json::kind::string:
            return nb::str(v.get_string().data(), v.get_string().size());
        case boost::json::kind::array: {
            nb::list out;
            for (const boost::json::value& item : v.get_array()) out.append(to_python(item));
            return out;
        }
        case boost::json::kind::object: {
            nb::dict out;
            for (const auto& [key, item] : v.get_object())
                out[nb::str(key.data(), key.size())] = to_python(item);
            return out;
        }
    }
    return nb::none();
}

}  // namespace flashscope::python
