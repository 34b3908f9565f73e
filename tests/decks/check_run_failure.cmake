# Runs a deck into a run folder where one of the files the run writes is blocked by a
# folder of the same name (so that creating, renaming or committing it fails on rank
# 0), and checks that every rank agrees on the failure:
#   exit code exactly EXPECT_RC (on every rank: mpiexec reports the first non-zero one);
#   EXPECT in stderr exactly once; no stack trace; within TIMEOUT seconds, so a rank
#   left waiting in a collective fails here rather than hanging.
#
# cmake -DNEUROFIELD=<exe> -DDECK=<deck> -DWORK_DIR=<fresh dir> -DOBSTACLE=<file name in the run folder>
#       -DEXPECT_RC=<code> -DEXPECT=<text> [-DARGS=<overrides separated by "|">]
#       [-DLAUNCHER=<words separated by "|">] [-DTIMEOUT=<s, default 60>] -P check_run_failure.cmake
# With -DWORDS=<words separated by "|"> instead of DECK and OBSTACLE, runs
# `neurofield WORDS` (a bad command line) with the same checks.
set(required NEUROFIELD WORK_DIR EXPECT_RC EXPECT)
if(NOT DEFINED WORDS)
  list(APPEND required DECK OBSTACLE)
endif()
foreach(var IN LISTS required)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_run_failure.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 60)
endif()
include(${CMAKE_CURRENT_LIST_DIR}/crash_markers.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/expect_once.cmake)
string(REPLACE "|" ";" extra "${ARGS}")
string(REPLACE "|" ";" LAUNCHER "${LAUNCHER}")
set(out_dir "${WORK_DIR}/out")
file(REMOVE_RECURSE "${WORK_DIR}")
if(DEFINED WORDS)
  file(MAKE_DIRECTORY "${WORK_DIR}")
  string(REPLACE "|" ";" words "${WORDS}")
  set(command ${LAUNCHER} "${NEUROFIELD}" ${words})
else()
  file(MAKE_DIRECTORY "${out_dir}/${OBSTACLE}/blocked")
  set(command ${LAUNCHER} "${NEUROFIELD}" run "${DECK}" ${extra} "output.dir=${out_dir}")
endif()
execute_process(COMMAND ${command} WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err TIMEOUT ${TIMEOUT})

set(problems "")
if(NOT rc STREQUAL "${EXPECT_RC}")
  string(APPEND problems "\n  - exit code is '${rc}', expected exactly ${EXPECT_RC}")
endif()
nf_append_unless_once(problems "${err}" "${EXPECT}")
nf_append_crash_markers(problems "${err}${out}")
if(DEFINED WORDS)  # a refused command line writes nothing
  file(GLOB written "${WORK_DIR}/*")
  if(written)
    string(APPEND problems "\n  - the refused command wrote '${written}'")
  endif()
endif()

if(problems)
  list(JOIN command " " command_text)
  message(FATAL_ERROR "the run does not fail as it should:${problems}\ncommand: ${command_text}\n"
                      "---- stderr ----\n${err}\n---- stdout ----\n${out}\n----")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
