# The fake-Darwin test bed (tests/fakedarwin/): runs the macOS bridge
# (backends/ane_objc.c, harness/host_apple.c), compiled for real with
# -D__APPLE__ against tests/stubs, on x86-64 Linux against a fake Objective-C
# runtime, fake CoreFoundation/IOSurface and fakes of AppleNeuralEngine.framework
# backed by the ane-sim model. Always under ASan+UBSan; the bridge is built with
# coverage and fakedarwin.coverage prints its line coverage.
if(NOT APPLE AND CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64" AND CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  set(FD_DIR ${CMAKE_CURRENT_SOURCE_DIR}/fakedarwin)
  set(FD_SAN -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  set_source_files_properties(${FD_DIR}/msgsend_x86_64.S PROPERTIES LANGUAGE C)

  # The fakes of the runtime, CF and IOSurface.
  add_library(fakedarwin_runtime OBJECT ${FD_DIR}/runtime.c ${FD_DIR}/cf.c ${FD_DIR}/msgsend_x86_64.S)
  target_include_directories(fakedarwin_runtime SYSTEM PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/stubs)
  target_include_directories(fakedarwin_runtime PRIVATE ${CMAKE_SOURCE_DIR} ${FD_DIR})
  target_compile_options(fakedarwin_runtime PRIVATE ${FD_SAN})

  add_executable(test_fakedarwin_runtime ${FD_DIR}/test_runtime.c $<TARGET_OBJECTS:fakedarwin_runtime>)
  target_include_directories(test_fakedarwin_runtime SYSTEM PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/stubs)
  target_include_directories(test_fakedarwin_runtime PRIVATE ${CMOCKA_INCLUDE_DIR} ${FD_DIR})
  target_compile_options(test_fakedarwin_runtime PRIVATE ${FD_SAN})
  target_link_options(test_fakedarwin_runtime PRIVATE ${FD_SAN})
  target_link_libraries(test_fakedarwin_runtime PRIVATE ${CMOCKA_LIBRARY})
  add_test(NAME fakedarwin.runtime COMMAND test_fakedarwin_runtime)
  set_tests_properties(fakedarwin.runtime PROPERTIES TIMEOUT 60)

  if(EXISTS ${CMAKE_SOURCE_DIR}/backends/ane_sim.c AND EXISTS ${FD_DIR}/bridge.cmake)
    include(${FD_DIR}/bridge.cmake)
  endif()
endif()
