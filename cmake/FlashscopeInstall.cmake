# `cmake --install`: the programs and configs/ (component runtime), and the CPU libraries, their public headers
# and an exported CMake package (component development), so that another project can write
#   find_package(flashscope 0.1 REQUIRED COMPONENTS sim)
#   target_link_libraries(app PRIVATE flashscope::sim)
# Components are the libraries built here (core, sim, sweep, ...); the CUDA parts are not exported.
include(CMakePackageConfigHelpers)

# The GPU presets (also embedded in the programs), sweep files and validation suites, as examples.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/configs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/flashscope/configs
        COMPONENT runtime)

set(_fs_package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/flashscope)
set(FLASHSCOPE_EXPORTED_COMPONENTS "")
foreach(_component core sim sweep validate_records)
  if(NOT TARGET flashscope_${_component})
    continue()
  endif()
  set_target_properties(flashscope_${_component} PROPERTIES EXPORT_NAME ${_component})
  install(TARGETS flashscope_${_component} EXPORT flashscope-targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
  # Each library's public headers live in <part>/include/flashscope/<part>/.
  get_target_property(_source_dir flashscope_${_component} SOURCE_DIR)
  install(DIRECTORY ${_source_dir}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development)
  list(APPEND FLASHSCOPE_EXPORTED_COMPONENTS ${_component})
endforeach()

list(JOIN FLASHSCOPE_EXPORTED_COMPONENTS ", " FLASHSCOPE_EXPORTED_COMPONENTS_TEXT)  # for messages

install(EXPORT flashscope-targets NAMESPACE flashscope:: FILE flashscopeTargets.cmake
        DESTINATION ${_fs_package_dir} COMPONENT development)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/flashscopeConfig.cmake.in
                              ${CMAKE_CURRENT_BINARY_DIR}/flashscopeConfig.cmake
                              INSTALL_DESTINATION ${_fs_package_dir})
# 0.x: a minor version may break the API.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/flashscopeConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/flashscopeConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/flashscopeConfigVersion.cmake
        DESTINATION ${_fs_package_dir} COMPONENT development)
