# compare.cmake: extra ctest pieces of `anebench compare`:
#  - tools/gen_compare_fixture: synthetic results.json files (through the
#    record writer) for tests/e2e/test_compare.sh and bench/perf/compare_speed.sh;
#  - tools/gen_reference: the seed's M5 figures in the result format; the
#    committed results/reference/seed-m5/results.json must be what it writes;
#  - the scipy-made Mann-Whitney table must still be what its script writes.
foreach(tool gen_compare_fixture gen_reference)
  add_executable(${tool} ${CMAKE_CURRENT_SOURCE_DIR}/tools/${tool}.c)
  target_link_libraries(${tool} PRIVATE anebench_core)
  set_target_properties(${tool} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tools)
endforeach()

add_test(NAME compare.reference_fresh
  COMMAND sh -c "\"$1\" \"$2\" && cmp \"$2\" \"$3\""
          sh $<TARGET_FILE:gen_reference> ${CMAKE_CURRENT_BINARY_DIR}/seed-m5-results.json
          ${CMAKE_SOURCE_DIR}/results/reference/seed-m5/results.json)

if(PYTHON3)
  add_test(NAME compare.mwu_expected_fresh
    COMMAND ${PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_mwu_expected.py
            --check ${CMAKE_CURRENT_SOURCE_DIR}/unit/mwu_expected.h)
  set_tests_properties(compare.mwu_expected_fresh PROPERTIES SKIP_RETURN_CODE 77)
endif()

foreach(t e2e.test_compare e2e.test_compare_reference e2e.test_share)
  if(TEST ${t})
    set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
      "GEN_COMPARE_FIXTURE=$<TARGET_FILE:gen_compare_fixture>")
  endif()
endforeach()
