// The simulator's exceptions as Python exceptions with the same message. A configuration the
// simulator refuses is a ValueError (flashscope.ConfigError, with field, value and limit); a sweep
// file it cannot read is a ValueError too (flashscope.SweepSpecError, with origin, line and key).
// Anything else keeps nanobind's mapping (std::runtime_error: RuntimeError, ...).
#include <nanobind/stl/string.h>

#include "bindings.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sweep/spec_error.hpp"

namespace nb = nanobind;

namespace flashscope::python {
namespace {

struct ErrorTypes {
    PyObject* config = nullptr;
    PyObject* spec = nullptr;
};

// Raises `type(message)` with extra attributes set on the exception object.
template <typename... Attrs>
void raise_with(PyObject* type, const char* message, const Attrs&... attrs) {
    nb::object error = nb::steal(PyObject_CallFunction(type, "s", message));
    if (!error.is_valid()) return;  // the constructor raised; that error stands
    (nb::setattr(error, attrs.first, nb::cast(attrs.second)), ...);
    PyErr_SetObject(type, error.ptr());
}

}  // namespace

void bind_errors(nb::module_& m) {
    static ErrorTypes types;  // module lifetime; Python owns the objects through the module
    types.config = PyErr_NewExceptionWithDoc(
        "flashscope.ConfigError",
        "A configuration the simulator refuses; field, value and limit say which and why.",
        PyExc_ValueError, nullptr);
    types.spec = PyErr_NewExceptionWithDoc(
        "flashscope.SweepSpecError",
        "A sweep specification that cannot be read; origin, line and key say where.",
        PyExc_ValueError, nullptr);
    m.attr("ConfigError") = nb::borrow(types.config);
    m.attr("SweepSpecError") = nb::borrow(types.spec);

    nb::register_exception_translator(
        [](const std::exception_ptr& p, void* payload) {
            const auto* t = static_cast<const ErrorTypes*>(payload);
            try {
                std::rethrow_exception(p);
            } catch (const ConfigError& e) {
                raise_with(t->config, e.what(), std::pair{"field", e.field()},
                           std::pair{"value", e.value()}, std::pair{"limit", e.limit()});
            } catch (const sweep::SpecError& e) {
                raise_with(t->spec, e.what(), std::pair{"origin", e.origin()},
                           std::pair{"line", e.line()}, std::pair{"key", e.key()});
            }
        },
        &types);
}

}  // namespace flashscope::python
