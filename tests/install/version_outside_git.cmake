# cmake/write_version.cmake records "unknown" for a source tree that is not a git checkout, even
# when an enclosing directory is one (a release tarball unpacked inside someone's repository).
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/source)
execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${WORK_DIR}/source -DVERSION=9.8.7 -DINPUT=${INPUT}
                        -DOUTPUT=${WORK_DIR}/version_info.cpp -P ${SCRIPT} RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "write_version.cmake exited ${_rc}")
endif()
file(READ ${WORK_DIR}/version_info.cpp _text)
if(NOT _text MATCHES "git_commit\\(\\) { return \"unknown\"; }" OR NOT _text MATCHES "return \"9\\.8\\.7\"")
  message(FATAL_ERROR "expected version 9.8.7 and commit unknown in:\n${_text}")
endif()
