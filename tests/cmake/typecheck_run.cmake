# Runner of the typecheck.macos test (tests/typecheck.cmake): cmake -P script.
# Compiles every C source the macOS build compiles (the core, the bridge, the
# command, the perf benchmark, the unit tests, tools and fuzz targets) as
# macOS code: -D__APPLE__ with __linux__ undefined, the Accelerate CBLAS, and
# the declaration stubs of tests/stubs for the Apple headers, with gcc and
# with clang, under the project's warning flags plus -Werror.
# Inputs: SOURCE_DIR, STUBS, GENERATED, GCC, CLANG, WARN (space-separated), OUT.
cmake_minimum_required(VERSION 3.16)
set(compilers "")
foreach(cc ${GCC} ${CLANG})
  if(cc AND NOT cc MATCHES "NOTFOUND$")
    list(APPEND compilers ${cc})
  endif()
endforeach()
list(LENGTH compilers ncc)
if(ncc LESS 2)
  message("typecheck: SKIP (need both gcc and clang; found: ${compilers})")
  return()
endif()

# The same globs as the top-level CMakeLists.txt and tests/, so a new file is
# checked the day it is added.
file(GLOB files RELATIVE ${SOURCE_DIR}
  ${SOURCE_DIR}/harness/*.c ${SOURCE_DIR}/kernels/*.c ${SOURCE_DIR}/backends/*.c
  ${SOURCE_DIR}/bench/*.c ${SOURCE_DIR}/bench/perf/*.c
  ${SOURCE_DIR}/tests/unit/*.c ${SOURCE_DIR}/tests/tools/*.c ${SOURCE_DIR}/tests/fuzz/*.c)
list(LENGTH files nfiles)
# The files must really hold the bridge and the command: a file emptied of
# its code, or a glob gone wrong, would pass.
file(READ ${SOURCE_DIR}/backends/ane_objc.c objc_text)
file(READ ${SOURCE_DIR}/harness/host_apple.c host_text)
if(NOT objc_text MATCHES "const ane_api_ops ane_api_objc = " OR NOT host_text MATCHES "int host_apple_thermal\\("
   OR NOT "bench/main.c" IN_LIST files OR nfiles LESS 50)
  message(FATAL_ERROR "typecheck: the sources to check are missing (${nfiles} found)")
endif()

separate_arguments(warn UNIX_COMMAND "${WARN}")
set(macos -U__linux__ -U__linux -Ulinux -U__gnu_linux__ -D__APPLE__ -D_GNU_SOURCE -D_DARWIN_C_SOURCE
          -DAB_BLAS_ACCELERATE=1 -DACCELERATE_NEW_LAPACK "-DANEBENCH_VERSION=\"typecheck\""
          "-DANEBENCH_SOURCE_DIR=\"${SOURCE_DIR}\"")
set(incs -isystem ${STUBS} -I${SOURCE_DIR} -I${GENERATED} -I${SOURCE_DIR}/tests)
# gcc's flow-dependent warnings (-O2) matter where the code differs on macOS.
set(apple_files "")
foreach(f ${files})
  file(STRINGS ${SOURCE_DIR}/${f} hits REGEX "__APPLE__|AB_BLAS_ACCELERATE")
  if(hits)
    list(APPEND apple_files ${f})
  endif()
endforeach()

file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
set(failed 0)
foreach(cc ${compilers})
  # The project's flags may hold gcc-only -Wno-... options; clang must not
  # turn those into errors (its own warnings stay errors).
  set(ccwarn ${warn})
  get_filename_component(ccname ${cc} NAME)
  if(ccname MATCHES "clang")
    list(INSERT ccwarn 0 -Wno-unknown-warning-option)
  endif()
  set(runs syntax)
  if(NOT ccname MATCHES "clang")
    list(APPEND runs object)
  endif()
  foreach(mode ${runs})
    if(mode STREQUAL "syntax")
      set(modeflags -fsyntax-only)
      set(list ${files})
    else()
      set(modeflags -O2 -c)
      set(list ${apple_files})
    endif()
    # One compiler process per file list: its messages name the file.
    set(paths "")
    foreach(f ${list})
      list(APPEND paths ${SOURCE_DIR}/${f})
    endforeach()
    list(LENGTH list n)
    execute_process(
      COMMAND ${cc} -std=c11 ${modeflags} ${macos} ${ccwarn} -Werror ${incs} ${paths}
      WORKING_DIRECTORY ${OUT}
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(rc EQUAL 0)
      message("typecheck: ok   ${cc} ${mode}: ${n} files")
    else()
      message("typecheck: FAIL ${cc} ${mode}\n${out}${err}")
      set(failed 1)
    endif()
  endforeach()
endforeach()
if(failed)
  message(FATAL_ERROR "typecheck: the sources do not compile as macOS code against tests/stubs")
endif()
