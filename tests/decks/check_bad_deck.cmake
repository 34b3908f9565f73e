# Runs one bad deck and checks the deck-error contract:
#   exit code exactly 2; every "# expect: <text>" of the deck's header in stderr;
#   no stack trace or PETSc error dump; nothing written (the output.dir passed on the
#   command line does not exist, and the working directory stays empty); nothing
#   leaked (the run gets -malloc_dump, see leak_report.cmake).
#
# The header of a bad deck, before its first non-comment line:
#   # expect: <substring of stderr>      one or more
#   # args: <extra command-line words>   optional; overrides, or "-- -petsc_option"
#   # known-bug: <what is wrong>         optional; tests/decks/CMakeLists.txt disables it
#
# cmake -DNEUROFIELD=<exe> -DDECK=<bad deck> -DWORK_DIR=<fresh dir> [-DLAUNCHER=<words separated by "|">]
#       -P check_bad_deck.cmake
foreach(var NEUROFIELD DECK WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_bad_deck.cmake: -D${var}=... is required")
  endif()
endforeach()

# Header: "# expect:" and "# args:" lines. Brackets and semicolons are masked while
# the text is a CMake list, so expectations such as "[[0], [a]]" survive intact.
file(READ "${DECK}" text)
include(${CMAKE_CURRENT_LIST_DIR}/crash_markers.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/leak_report.cmake)
string(REPLACE ";" "<nf-sc>" text "${text}")
string(REPLACE "[" "<nf-lb>" text "${text}")
string(REPLACE "]" "<nf-rb>" text "${text}")
string(REPLACE "\n" ";" lines "${text}")
set(expect_count 0)
set(args_text "")
foreach(line IN LISTS lines)
  string(REPLACE "<nf-sc>" ";" line "${line}")
  string(REPLACE "<nf-lb>" "[" line "${line}")
  string(REPLACE "<nf-rb>" "]" line "${line}")
  if(line MATCHES "^#[ \t]*expect:[ \t]?(.*)$")
    math(EXPR expect_count "${expect_count} + 1")
    set(expect_${expect_count} "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^#[ \t]*args:[ \t]*(.*)$")
    string(APPEND args_text " ${CMAKE_MATCH_1}")
  endif()
endforeach()
if(expect_count EQUAL 0)
  message(FATAL_ERROR "${DECK}: the header has no '# expect: <text>' line")
endif()
separate_arguments(extra UNIX_COMMAND "${args_text}")

# output.dir goes last among the overrides (before "--"), so an earlier bad override
# is still the first error, and a deck that wrongly passes would write only there.
set(out_dir "${WORK_DIR}/out")
list(FIND extra "--" dash)
if(dash EQUAL -1)
  list(APPEND extra "output.dir=${out_dir}" "--" "-malloc_dump")
else()
  list(INSERT extra ${dash} "output.dir=${out_dir}")
  list(APPEND extra "-malloc_dump")
endif()

string(REPLACE "|" ";" LAUNCHER "${LAUNCHER}")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/cwd")
set(command ${LAUNCHER} "${NEUROFIELD}" run "${DECK}" ${extra})
execute_process(
  COMMAND ${command}
  WORKING_DIRECTORY "${WORK_DIR}/cwd"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  TIMEOUT 120)

list(JOIN command " " command_text)
set(problems "")
if(NOT rc STREQUAL "2")
  string(APPEND problems "\n  - exit code is '${rc}', expected exactly 2")
endif()
foreach(i RANGE 1 ${expect_count})
  string(FIND "${err}" "${expect_${i}}" at)
  if(at EQUAL -1)
    string(APPEND problems "\n  - stderr lacks the expected text '${expect_${i}}'")
  endif()
endforeach()
nf_append_crash_markers(problems "${err}${out}")
nf_append_leak_report(problems "${err}${out}")
if(EXISTS "${out_dir}")
  string(APPEND problems "\n  - the output folder ${out_dir} was created")
endif()
file(GLOB written LIST_DIRECTORIES true "${WORK_DIR}/cwd/*")
if(written)
  list(JOIN written ", " written_text)
  string(APPEND problems "\n  - files were written in the working directory: ${written_text}")
endif()

if(problems)
  message(FATAL_ERROR
    "bad deck ${DECK} does not fail as it should:${problems}\n"
    "command: ${command_text}\n"
    "---- stderr ----\n${err}\n---- stdout ----\n${out}\n----")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
