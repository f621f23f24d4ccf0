# lyt_add_gtest_suites(TARGET PREFIX prefix [TIMEOUT seconds] [COST n]): one CTest test per
# GoogleTest suite of TARGET, named prefix/Suite and running it with --gtest_filter=Suite.*. A
# COST above the default 0 makes `ctest -j` start these suites before the others (the slow ones
# first, so that no core idles at the end of a fresh build's first run, which has no timings).
#
# Why not gtest_discover_tests: it makes one test, so one process, per TEST, and a process of the
# sanitized test programs costs about half a second of CPU to start and to leak-check at exit:
# some 300 CPU seconds over ~600 tests. A failing suite still names its failing tests.
set(LYT_GTEST_SUITES_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/GTestSuitesToCTest.cmake")

function(lyt_add_gtest_suites target)
  cmake_parse_arguments(ARG "" "PREFIX;TIMEOUT;COST" "" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  if(NOT ARG_COST)
    set(ARG_COST 0)
  endif()
  set(ctest_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_suites.cmake")
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${target}_suites_include.cmake")
  # The list is made after each build of the target (the suites are known only to the program).
  add_custom_command(
    TARGET ${target} POST_BUILD
    COMMAND "${CMAKE_COMMAND}" -D "TEST_EXECUTABLE=$<TARGET_FILE:${target}>" -D "CTEST_FILE=${ctest_file}"
            -D "WORKING_DIR=${CMAKE_CURRENT_BINARY_DIR}" -D "TIMEOUT=${ARG_TIMEOUT}"
            -D "PREFIX=${ARG_PREFIX}" -D "COST=${ARG_COST}" -P "${LYT_GTEST_SUITES_SCRIPT}"
    BYPRODUCTS "${ctest_file}"
    VERBATIM)
  file(WRITE "${include_file}"
       "if(EXISTS \"${ctest_file}\")\n  include(\"${ctest_file}\")\nelse()\n  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\nendif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
