# Runner of the typecheck.objc test (tests/typecheck.cmake): cmake -P script.
# Inputs: SOURCE_DIR, STUBS, GCC, CLANG, WARN (space-separated), OUT.
set(files backends/ane_objc.c harness/host_apple.c)
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

# The files must really hold the bridge: a file emptied of its code would pass.
file(READ ${SOURCE_DIR}/backends/ane_objc.c objc_text)
file(READ ${SOURCE_DIR}/harness/host_apple.c host_text)
if(NOT objc_text MATCHES "const ane_api_ops ane_api_objc = " OR NOT host_text MATCHES "int host_apple_thermal\\(")
  message(FATAL_ERROR "typecheck: the bridge's definitions are missing from the sources")
endif()

separate_arguments(warn UNIX_COMMAND "${WARN}")
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
  foreach(f ${files})
    # -fsyntax-only as asked, then -O2 -c for gcc's flow-dependent warnings.
    foreach(mode syntax object)
      if(mode STREQUAL "syntax")
        set(modeflags -fsyntax-only)
      else()
        get_filename_component(base ${f} NAME_WE)
        set(modeflags -O2 -c -o ${OUT}/${base}-${ccname}.o)
      endif()
      execute_process(
        COMMAND ${cc} -std=c11 ${modeflags} -D__APPLE__ -D_GNU_SOURCE -D_DARWIN_C_SOURCE
                ${ccwarn} -Werror -isystem ${STUBS} -I${SOURCE_DIR} ${SOURCE_DIR}/${f}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
      if(rc EQUAL 0)
        message("typecheck: ok   ${cc} ${mode} ${f}")
      else()
        message("typecheck: FAIL ${cc} ${mode} ${f}\n${out}${err}")
        set(failed 1)
      endif()
    endforeach()
  endforeach()
endforeach()
if(failed)
  message(FATAL_ERROR "typecheck: the macOS bridge does not type-check against tests/stubs")
endif()
