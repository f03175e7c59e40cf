# CPack: `cpack -G DEB` makes flashscope (the programs) and flashscope-dev (libraries, headers,
# CMake package); `cpack -G TGZ` one archive of the whole installation.
set(CPACK_PACKAGE_NAME flashscope)
set(CPACK_PACKAGE_VENDOR flashscope)
set(CPACK_PACKAGE_CONTACT "flashscope developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Where attention's bytes and cycles go on a GPU: a memory-hierarchy simulator of naive and FlashAttention")
set(CPACK_RESOURCE_FILE_README ${PROJECT_SOURCE_DIR}/README.md)
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_COMPONENTS_ALL runtime development)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME flashscope)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION science)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)  # yaml-cpp, Qt, ... as dpkg-shlibdeps finds them
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME flashscope-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
# What find_package(flashscope) finds in turn; Boost.JSON needs 1.75 or later (Debian 12: 1.81).
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
    "libyaml-cpp-dev, libboost1.81-dev | libboost-dev (>= ${FLASHSCOPE_BOOST_MIN_VERSION})")

set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)
include(CPack)
