# Run by lyt_add_gtest_suites (GTestSuites.cmake) after a test program is built: asks it for its
# tests and writes CTEST_FILE, one add_test per suite. Inputs: TEST_EXECUTABLE, CTEST_FILE,
# WORKING_DIR, TIMEOUT, PREFIX (of the test names), COST.
execute_process(
  COMMAND "${TEST_EXECUTABLE}" --gtest_list_tests
  WORKING_DIRECTORY "${WORKING_DIR}"
  TIMEOUT 60
  OUTPUT_VARIABLE listing
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${TEST_EXECUTABLE} --gtest_list_tests failed (${result}):\n${listing}")
endif()

# A suite line is its name and a dot at the start of the line ("Suite." or "Prefix/Suite/0.",
# maybe followed by "  # TypeParam = ..."); its tests follow, indented.
string(REPLACE "\n" ";" lines "${listing}")
set(content "")
foreach(line IN LISTS lines)
  if(line MATCHES "^([^ #][^ ]*)\\.( .*)?$")
    set(suite "${CMAKE_MATCH_1}")
    if(suite MATCHES "^DISABLED_|/DISABLED_")
      continue()
    endif()
    string(APPEND content
           "add_test([==[${PREFIX}/${suite}]==] [==[${TEST_EXECUTABLE}]==] [==[--gtest_filter=${suite}.*]==] --gtest_brief=1)\n"
           "set_tests_properties([==[${PREFIX}/${suite}]==] PROPERTIES WORKING_DIRECTORY [==[${WORKING_DIR}]==] TIMEOUT ${TIMEOUT} COST ${COST})\n")
  endif()
endforeach()
file(WRITE "${CTEST_FILE}" "${content}")
