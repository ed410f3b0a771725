# Included by tests/fakedarwin.cmake once the simulator exists: the bridge
# built against the fakes, its tests, the command built on it, and coverage.
set(FD_STUBS ${CMAKE_CURRENT_SOURCE_DIR}/stubs)

# The bridge itself, compiled as on a Mac (-D__APPLE__, the SDK's prototypes
# from tests/stubs), with coverage.
add_library(fakedarwin_bridge OBJECT ${CMAKE_SOURCE_DIR}/backends/ane_objc.c ${CMAKE_SOURCE_DIR}/harness/host_apple.c)
target_compile_definitions(fakedarwin_bridge PRIVATE __APPLE__)
target_include_directories(fakedarwin_bridge SYSTEM PRIVATE ${FD_STUBS})
target_include_directories(fakedarwin_bridge PRIVATE ${CMAKE_SOURCE_DIR})
target_compile_options(fakedarwin_bridge PRIVATE ${FD_SAN} --coverage -O0)

add_library(fakedarwin_framework OBJECT ${FD_DIR}/framework.c ${FD_DIR}/darwin.c)
target_include_directories(fakedarwin_framework SYSTEM PRIVATE ${FD_STUBS})
target_include_directories(fakedarwin_framework PRIVATE ${CMAKE_SOURCE_DIR} ${FD_DIR})
target_compile_options(fakedarwin_framework PRIVATE ${FD_SAN})

set(FD_OBJECTS $<TARGET_OBJECTS:fakedarwin_runtime> $<TARGET_OBJECTS:fakedarwin_framework>
               $<TARGET_OBJECTS:fakedarwin_bridge>)
set(FD_LINK ${FD_SAN} --coverage -Wl,--wrap=dlopen -Wl,--wrap=dlerror -Wl,--wrap=ane_api_select)

add_executable(test_fakedarwin_bridge ${FD_DIR}/test_bridge.c ${FD_OBJECTS})
target_include_directories(test_fakedarwin_bridge SYSTEM PRIVATE ${FD_STUBS})
target_include_directories(test_fakedarwin_bridge PRIVATE ${CMOCKA_INCLUDE_DIR} ${FD_DIR})
target_compile_options(test_fakedarwin_bridge PRIVATE ${FD_SAN})
target_link_options(test_fakedarwin_bridge PRIVATE ${FD_LINK})
target_link_libraries(test_fakedarwin_bridge PRIVATE anebench_core ${CMOCKA_LIBRARY})

# Coverage counts start from zero for each ctest run of the fakedarwin tests.
get_filename_component(_fd_gcda_dir
  ${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/fakedarwin_bridge.dir/__/backends ABSOLUTE)
add_test(NAME fakedarwin.coverage_reset COMMAND ${CMAKE_COMMAND} -E rm -f ${_fd_gcda_dir}/ane_objc.c.gcda)
set_tests_properties(fakedarwin.coverage_reset PROPERTIES FIXTURES_SETUP fakedarwin_cov)

add_test(NAME fakedarwin.bridge COMMAND test_fakedarwin_bridge)
set_tests_properties(fakedarwin.bridge PROPERTIES TIMEOUT 300 FIXTURES_REQUIRED fakedarwin_cov
  ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1")

# anebench's own run and probe with the `ane` backend on the bridge (workers included).
foreach(name seed probe presets doctor families)
  add_test(NAME fakedarwin.e2e_${name} COMMAND /usr/bin/python3 ${FD_DIR}/e2e_${name}.py)
  # RUN_SERIAL: the seed and probe checks measure the simulator's real-time waits.
  set_tests_properties(fakedarwin.e2e_${name} PROPERTIES FIXTURES_REQUIRED fakedarwin_cov
    SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL TRUE
    ENVIRONMENT "FAKEDARWIN_BIN=$<TARGET_FILE:anebench_fakedarwin>;ANEBENCH_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endforeach()

# Line coverage of the bridge from the tests above (gcov, or llvm-cov gcov for clang).
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  find_program(FD_GCOV NAMES gcov-${CMAKE_C_COMPILER_VERSION_MAJOR} gcov)
  set(FD_GCOV_CMD ${FD_GCOV})
else()
  find_program(FD_GCOV NAMES llvm-cov llvm-cov-14 llvm-cov-15 llvm-cov-16)
  set(FD_GCOV_CMD "${FD_GCOV} gcov")
endif()
# Not in the fixture (run alone, it would have its counts deleted first):
# DEPENDS only orders it after the tests it reports on; run alone, or on
# counts older than the build, coverage.sh runs the bridge test itself.
if(FD_GCOV)
  add_test(NAME fakedarwin.coverage COMMAND bash ${FD_DIR}/coverage.sh "${FD_GCOV_CMD}" ${_fd_gcda_dir}
    $<TARGET_FILE:test_fakedarwin_bridge>)
  set_tests_properties(fakedarwin.coverage PROPERTIES
    DEPENDS "fakedarwin.bridge;fakedarwin.e2e_seed;fakedarwin.e2e_probe;fakedarwin.e2e_presets;fakedarwin.e2e_doctor;fakedarwin.e2e_families" TIMEOUT 300
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1")
endif()

# anebench itself with its `ane` backend on the bridge and the fakes.
add_executable(anebench_fakedarwin ${CMAKE_SOURCE_DIR}/bench/main.c ${FD_DIR}/glue.c ${FD_OBJECTS})
set_source_files_properties(${FD_DIR}/glue.c PROPERTIES INCLUDE_DIRECTORIES "${FD_DIR}")
target_include_directories(anebench_fakedarwin SYSTEM PRIVATE ${FD_STUBS})
target_compile_options(anebench_fakedarwin PRIVATE ${FD_SAN})
target_link_options(anebench_fakedarwin PRIVATE ${FD_LINK})
target_link_libraries(anebench_fakedarwin PRIVATE anebench_core)
