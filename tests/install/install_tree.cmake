# cmake -DBUILD_DIR=... -DPREFIX=... -P install_tree.cmake: a fresh install of the development
# component (libraries, headers, CMake package) of BUILD_DIR into PREFIX.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} --component development
                RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${_rc})")
endif()
