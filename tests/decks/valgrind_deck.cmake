# Runs `neurofield run DECK` under valgrind's memcheck and checks that the program
# touches no memory it should not and leaks none of its own:
#   exit code EXPECT_RC (0 for a good deck, 2 for a bad one; valgrind's own code 99
#   means it found errors); "ERROR SUMMARY: 0 errors" with no invalid read, invalid
#   write, use of uninitialised values or definite leak outside valgrind.supp (memory
#   OpenMPI keeps); for a bad deck every "# expect:" of its header in stderr; for a good
#   one, summary.json in the run folder. The summary lines are printed for the record.
#
# The deck's "# args:" header lines (see check_bad_deck.cmake) and ARGS (words
# separated by "|") are passed after the deck; output.dir=WORK_DIR/out goes last before
# any "--".
#
# cmake -DNEUROFIELD=<exe> -DVALGRIND=<valgrind> -DSUPPRESSIONS=<valgrind.supp> -DDECK=<deck>
#       -DWORK_DIR=<fresh dir> [-DEXPECT_RC=0|2] [-DARGS=a|b] [-DTIMEOUT=<s, default 600>]
#       -P valgrind_deck.cmake
foreach(var NEUROFIELD VALGRIND SUPPRESSIONS DECK WORK_DIR)
  if(NOT DEFINED ${var})
    # The work folder, with the report, is kept.
  message(FATAL_ERROR "valgrind_deck.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT DEFINED EXPECT_RC)
  set(EXPECT_RC 0)
endif()
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 600)
endif()

file(STRINGS "${DECK}" header_args REGEX "^#[ \t]*args:")
file(STRINGS "${DECK}" header_expects REGEX "^#[ \t]*expect:")
set(args_text "")
foreach(line IN LISTS header_args)
  string(REGEX REPLACE "^#[ \t]*args:[ \t]*" "" line "${line}")
  string(APPEND args_text " ${line}")
endforeach()
separate_arguments(words UNIX_COMMAND "${args_text}")
string(REPLACE "|" ";" extra "${ARGS}")
list(APPEND words ${extra})
list(FIND words "--" dash)
if(dash EQUAL -1)
  list(APPEND words "output.dir=${WORK_DIR}/out")
else()
  list(INSERT words ${dash} "output.dir=${WORK_DIR}/out")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(log "${WORK_DIR}/memcheck.log")
# Definite leaks count as errors; --num-callers reaches main, so that a suppression
# can name the OpenMPI function a block was allocated under.
set(command "${VALGRIND}" --tool=memcheck --error-exitcode=99 --leak-check=full --show-leak-kinds=definite
            --errors-for-leak-kinds=definite --num-callers=40 --suppressions=${SUPPRESSIONS} --log-file=${log}
            "${NEUROFIELD}" run "${DECK}" ${words})
string(TIMESTAMP start "%s")
execute_process(
  COMMAND ${command}
  WORKING_DIRECTORY "${WORK_DIR}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  TIMEOUT ${TIMEOUT})
string(TIMESTAMP stop "%s")
math(EXPR seconds "${stop} - ${start}")

file(READ "${log}" report)
set(problems "")
if(NOT rc STREQUAL "${EXPECT_RC}")
  string(APPEND problems "\n  - exit code is '${rc}', expected ${EXPECT_RC} (99: memcheck found errors)")
endif()
if(NOT report MATCHES "ERROR SUMMARY: 0 errors")
  string(APPEND problems "\n  - memcheck reports errors")
endif()
foreach(marker "Invalid read" "Invalid write" "Invalid free" "uninitialised" "are definitely lost")
  string(FIND "${report}" "${marker}" at)
  if(NOT at EQUAL -1)
    string(APPEND problems "\n  - memcheck reports '${marker}'")
  endif()
endforeach()
foreach(line IN LISTS header_expects)
  string(REGEX REPLACE "^#[ \t]*expect:[ \t]?" "" want "${line}")
  string(FIND "${err}" "${want}" at)
  if(at EQUAL -1)
    string(APPEND problems "\n  - stderr lacks '${want}'")
  endif()
endforeach()
if(EXPECT_RC STREQUAL "0" AND NOT EXISTS "${WORK_DIR}/out/summary.json")
  string(APPEND problems "\n  - ${WORK_DIR}/out/summary.json is missing")
endif()

string(REGEX MATCHALL "(ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|suppressed): [^\n]*" figures
       "${report}")
list(JOIN figures "; " figures_text)
message(STATUS "memcheck, ${seconds} s: ${figures_text}")
if(problems)
  list(JOIN command " " command_text)
  # The work folder, with the report, is kept.
  message(FATAL_ERROR "memcheck of ${DECK} fails:${problems}\n"
                      "command: ${command_text}\nthe report, with each error's stack: ${log}\n"
                      "---- stderr ----\n${err}\n----")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
