# Runs `neurofield ARGS` (words separated by "|") in a fresh WORK_DIR and checks that
# it exits 0 and prints every EXPECT (substrings separated by "|") on stderr: for
# runs that succeed but must warn (a run stopped before time.t_end).
#
# cmake -DNEUROFIELD=<exe> -DWORK_DIR=<fresh dir> -DARGS=<words> -DEXPECT=<a|b> -P check_warning.cmake
foreach(var NEUROFIELD WORK_DIR ARGS EXPECT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_warning.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
string(REPLACE "|" ";" words "${ARGS}")
string(REPLACE "|" ";" expects "${EXPECT}")
execute_process(COMMAND "${NEUROFIELD}" ${words} WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
set(problems "")
if(NOT rc STREQUAL "0")
  string(APPEND problems "\n  - exit code is '${rc}', expected 0")
endif()
foreach(want IN LISTS expects)
  string(FIND "${err}" "${want}" at)
  if(at EQUAL -1)
    string(APPEND problems "\n  - stderr lacks '${want}'")
  endif()
endforeach()
if(problems)
  message(FATAL_ERROR "the run does not warn as it should:${problems}\n---- stderr ----\n${err}\n---- stdout ----\n${out}\n----")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
