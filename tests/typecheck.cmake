# typecheck.macos: compiles every source the macOS build compiles, as macOS
# code (-D__APPLE__, __linux__ undefined) against the declaration stubs in
# tests/stubs, with gcc and with clang, under the project's warning flags plus
# -Werror (tests/cmake/typecheck_run.cmake). A type error in the bridge, an
# Apple API called against its SDK prototype, or a Linux name the stubs
# poison (<cblas.h>, st_mtim) fails it.
# platform.lint: what a compile here cannot see (glibc has st_mtim, /proc
# exists): known Linux-only constructs outside a platform guard
# (tests/tools/platform_lint.py; it checks itself on known snippets first).
# (On a Mac the real build compiles everything against the real SDK instead.)
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
  add_test(NAME typecheck.macos COMMAND ${CMAKE_COMMAND}
    -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
    -DSTUBS=${CMAKE_CURRENT_SOURCE_DIR}/stubs
    -DGENERATED=${ANEBENCH_GENERATED}
    -DGCC=${AB_TYPECHECK_GCC}
    -DCLANG=${AB_TYPECHECK_CLANG}
    "-DWARN=${_ab_tc_warn}"
    -DOUT=${CMAKE_CURRENT_BINARY_DIR}/typecheck
    -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/typecheck_run.cmake)
  set_tests_properties(typecheck.macos PROPERTIES SKIP_REGULAR_EXPRESSION "typecheck: SKIP" TIMEOUT 300)
endif()
if(PYTHON3)
  add_test(NAME platform.lint COMMAND ${PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/tools/platform_lint.py ${CMAKE_SOURCE_DIR})
  set_tests_properties(platform.lint PROPERTIES TIMEOUT 60)
endif()
