# kernels.cmake: extra ctest pieces of the kernels: the numpy-made fp16
# table must still be what its generator writes (skipped without numpy).
if(PYTHON3)
  add_test(NAME kernels.fp16_expected_fresh
    COMMAND ${PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_fp16_expected.py
            --check ${CMAKE_CURRENT_SOURCE_DIR}/unit/fp16_expected.h)
  set_tests_properties(kernels.fp16_expected_fresh PROPERTIES SKIP_RETURN_CODE 77)
endif()
