// Boost.JSON is used header-only (the GPU machine has no compiled Boost): its implementation is
// compiled into this one translation unit.
#include <boost/json/src.hpp>
