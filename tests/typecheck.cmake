# typecheck.objc: compiles the macOS-only files (backends/ane_objc.c,
# harness/host_apple.c) on this machine, with -D__APPLE__ against the
# declaration stubs in tests/stubs, with gcc and with clang, under the
# project's warning flags plus -Werror. A type error in the bridge fails it.
# (On a Mac the real build compiles those files against the real SDK instead.)
if(NOT APPLE)
  find_program(AB_TYPECHECK_GCC NAMES gcc)
  find_program(AB_TYPECHECK_CLANG NAMES clang clang-14 clang-15 clang-16)
  get_directory_property(_ab_tc_opts DIRECTORY ${CMAKE_SOURCE_DIR} COMPILE_OPTIONS)
  set(_ab_tc_warn "")
  foreach(opt ${_ab_tc_opts})
    if(opt MATCHES "^-W")
      list(APPEND _ab_tc_warn ${opt})
    endif()
  endforeach()
  string(REPLACE ";" " " _ab_tc_warn "${_ab_tc_warn}")
  add_test(NAME typecheck.objc COMMAND ${CMAKE_COMMAND}
    -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
    -DSTUBS=${CMAKE_CURRENT_SOURCE_DIR}/stubs
    -DGCC=${AB_TYPECHECK_GCC}
    -DCLANG=${AB_TYPECHECK_CLANG}
    "-DWARN=${_ab_tc_warn}"
    -DOUT=${CMAKE_CURRENT_BINARY_DIR}/typecheck
    -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/typecheck_run.cmake)
  set_tests_properties(typecheck.objc PROPERTIES SKIP_REGULAR_EXPRESSION "typecheck: SKIP" TIMEOUT 120)
endif()
