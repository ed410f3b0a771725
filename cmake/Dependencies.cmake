# Finds cJSON, libcsv and a CBLAS; one clear message per missing dependency.
include(FindPkgConfig OPTIONAL)

set(_ab_missing "")
set(_ab_hint_apt "sudo apt-get install")
set(_ab_hint_brew "brew install")

find_path(CJSON_INCLUDE_DIR cjson/cJSON.h PATH_SUFFIXES include)
find_library(CJSON_LIBRARY NAMES cjson)
if(NOT CJSON_INCLUDE_DIR OR NOT CJSON_LIBRARY)
  list(APPEND _ab_missing "cJSON (Debian: libcjson-dev, Homebrew: cjson)")
endif()

find_path(CSV_INCLUDE_DIR csv.h)
find_library(CSV_LIBRARY NAMES csv)
if(NOT CSV_INCLUDE_DIR OR NOT CSV_LIBRARY)
  list(APPEND _ab_missing "libcsv (Debian: libcsv-dev, Homebrew: libcsv)")
endif()

add_library(anebench_deps INTERFACE)
add_library(anebench::deps ALIAS anebench_deps)

if(APPLE)
  find_library(ACCELERATE Accelerate)
  if(NOT ACCELERATE)
    list(APPEND _ab_missing "Accelerate.framework (part of Xcode Command Line Tools)")
  endif()
  find_library(FOUNDATION Foundation)
  find_library(IOSURFACE IOSurface)
  find_library(COREFOUNDATION CoreFoundation)
  # IOKit: power source (IOPSCopyPowerSourcesInfo) in harness/host_apple.c.
  find_library(IOKIT IOKit)
  target_link_libraries(anebench_deps INTERFACE ${ACCELERATE} ${FOUNDATION} ${IOSURFACE} ${COREFOUNDATION} ${IOKIT} objc)
  # New-style LAPACK/CBLAS headers in Accelerate; cblas.h is provided via vecLib.
  target_compile_definitions(anebench_deps INTERFACE ACCELERATE_NEW_LAPACK AB_BLAS_ACCELERATE=1)
  set(AB_BLAS_NAME "Accelerate")
else()
  find_path(CBLAS_INCLUDE_DIR cblas.h PATH_SUFFIXES openblas openblas-pthread)
  find_library(OPENBLAS_LIBRARY NAMES openblas)
  if(NOT CBLAS_INCLUDE_DIR OR NOT OPENBLAS_LIBRARY)
    list(APPEND _ab_missing "OpenBLAS with CBLAS (Debian: libopenblas-dev)")
  else()
    target_include_directories(anebench_deps INTERFACE ${CBLAS_INCLUDE_DIR})
    target_link_libraries(anebench_deps INTERFACE ${OPENBLAS_LIBRARY})
    target_compile_definitions(anebench_deps INTERFACE AB_BLAS_OPENBLAS=1)
  endif()
  set(AB_BLAS_NAME "OpenBLAS")
endif()

if(_ab_missing)
  string(REPLACE ";" "\n  - " _ab_list "${_ab_missing}")
  message(FATAL_ERROR "anebench: missing dependencies:\n  - ${_ab_list}\n"
    "Install them (Debian/Ubuntu: apt-get install libcjson-dev libcsv-dev libopenblas-dev libcmocka-dev; "
    "macOS: brew install cjson libcsv cmocka) or run the README's first command.")
endif()

target_include_directories(anebench_deps INTERFACE ${CJSON_INCLUDE_DIR} ${CSV_INCLUDE_DIR})
target_link_libraries(anebench_deps INTERFACE ${CJSON_LIBRARY} ${CSV_LIBRARY} m)
find_package(Threads REQUIRED)
target_link_libraries(anebench_deps INTERFACE Threads::Threads)
