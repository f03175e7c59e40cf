# cmake -DPREFIX=... -DCONSUMER_SOURCE=... -DCONSUMER_BUILD=... -DCOMPONENTS=a,b -P build_consumer.cmake:
# configures the consumer against the installed tree in PREFIX (and nothing else of this build),
# builds it and runs it. The output of each step is printed, its line wraps undone, so that the
# test can match a message.
file(REMOVE_RECURSE ${CONSUMER_BUILD})
set(_configure ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE} -B ${CONSUMER_BUILD} -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} "-DFLASHSCOPE_COMPONENTS=${COMPONENTS}"
    -DEXPECTED_VERSION=${EXPECTED_VERSION})
if(CXX_LAUNCHER)
  list(APPEND _configure -DCMAKE_CXX_COMPILER_LAUNCHER=${CXX_LAUNCHER})
endif()
if(LINK_FLAGS)
  list(APPEND _configure "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}")
endif()
foreach(_step configure build run)
  if(_step STREQUAL "configure")
    set(_command ${_configure})
  elseif(_step STREQUAL "build")
    set(_command ${CMAKE_COMMAND} --build ${CONSUMER_BUILD})
  else()
    set(_command ${CONSUMER_BUILD}/consumer)
  endif()
  execute_process(COMMAND ${_command} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  string(REGEX REPLACE "[ \n]+" " " _out "${_out}")
  message("${_out}")
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "consumer ${_step} failed (${_rc})")
  endif()
endforeach()
