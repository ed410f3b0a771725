# GitCommit.cmake: run at every build (cmake -P) by the anebench_git target.
# Writes OUT, a header defining ANEBENCH_GIT as the short commit of SRC's
# checkout ("unknown" outside a git checkout or without git) and
# ANEBENCH_GIT_DIRTY (1: tracked files differ from that commit, 0: they do
# not, -1: unknown), and rewrites it
# only when that value changed, so an unchanged commit recompiles nothing and a
# new commit recompiles only the files that include the header.
#   cmake -DSRC=<source dir> -DOUT=<header> -P GitCommit.cmake
set(commit "unknown")
set(dirty -1)
find_program(GIT_EXECUTABLE git)
if(GIT_EXECUTABLE)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${SRC} OUTPUT_VARIABLE out RESULT_VARIABLE rc
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0 AND out MATCHES "^[0-9a-f]+$")
    set(commit "${out}")
    execute_process(COMMAND ${GIT_EXECUTABLE} status --porcelain --untracked-files=no
      WORKING_DIRECTORY ${SRC} OUTPUT_VARIABLE st RESULT_VARIABLE rc2 ERROR_QUIET)
    if(rc2 EQUAL 0)
      if(st STREQUAL "")
        set(dirty 0)
      else()
        set(dirty 1)
      endif()
    endif()
  endif()
endif()
set(text "/* Generated at build time by cmake/GitCommit.cmake; do not edit. */\n#define ANEBENCH_GIT \"${commit}\"\n#define ANEBENCH_GIT_DIRTY ${dirty}\n")
set(old "")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUT} "${text}")
endif()
