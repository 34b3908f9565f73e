# Runs one bad deck and checks the deck-error contract:
#   exit code exactly 2 (on every rank: mpiexec reports the first non-zero one); every
#   "# expect: <text>" of the deck's header in stderr exactly once (on any number of
#   ranks the message is printed once); no stack trace or PETSc error dump; within
#   TIMEOUT seconds (a rank left waiting in a collective fails here, not in ctest);
#   nothing written (the output.dir passed on the command line does not exist, and the
#   working directory holds only the "# file:" entries); nothing leaked (the run gets
#   -malloc_dump, see leak_report.cmake).
#
# The header of a bad deck, before its first non-comment line:
#   # expect: <substring of stderr>      one or more
#   # args: <extra command-line words>   optional; overrides, or "-- -petsc_option"
#   # output-dir: <path>                 optional; the output.dir passed instead of WORK_DIR/out
#                                        (relative to the working directory)
#   # file: <name>                       optional; an empty regular file made in the working
#                                        directory before the run
#   # ranks: 2                           optional; the rank counts it is bad on (default 1 2)
#   # command: sweep | stability         optional; the subcommand that runs the deck (default run)
#   # known-bug: <what is wrong>         optional; tests/decks/CMakeLists.txt disables it
#
# cmake -DNEUROFIELD=<exe> -DDECK=<bad deck> -DWORK_DIR=<fresh dir> [-DLAUNCHER=<words separated by "|">]
#       [-DTIMEOUT=<s, default 120>] -P check_bad_deck.cmake
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
include(${CMAKE_CURRENT_LIST_DIR}/expect_once.cmake)
string(REPLACE ";" "<nf-sc>" text "${text}")
string(REPLACE "[" "<nf-lb>" text "${text}")
string(REPLACE "]" "<nf-rb>" text "${text}")
string(REPLACE "\n" ";" lines "${text}")
set(expect_count 0)
set(args_text "")
set(files "")
set(subcommand run)
foreach(line IN LISTS lines)
  string(REPLACE "<nf-sc>" ";" line "${line}")
  string(REPLACE "<nf-lb>" "[" line "${line}")
  string(REPLACE "<nf-rb>" "]" line "${line}")
  if(line MATCHES "^#[ \t]*expect:[ \t]?(.*)$")
    math(EXPR expect_count "${expect_count} + 1")
    set(expect_${expect_count} "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^#[ \t]*args:[ \t]*(.*)$")
    string(APPEND args_text " ${CMAKE_MATCH_1}")
  elseif(line MATCHES "^#[ \t]*output-dir:[ \t]*(.*)$")
    set(given_out_dir "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^#[ \t]*command:[ \t]*([a-z]+)")
    set(subcommand "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^#[ \t]*file:[ \t]*(.*)$")
    list(APPEND files "${CMAKE_MATCH_1}")
  endif()
endforeach()
if(expect_count EQUAL 0)
  message(FATAL_ERROR "${DECK}: the header has no '# expect: <text>' line")
endif()
separate_arguments(extra UNIX_COMMAND "${args_text}")

# output.dir goes last among the overrides (before "--"), so an earlier bad override
# is still the first error, and a deck that wrongly passes would write only there.
set(out_dir "${WORK_DIR}/out")
set(out_arg "${out_dir}")
if(DEFINED given_out_dir)
  set(out_arg "${given_out_dir}")
  set(out_dir "${WORK_DIR}/cwd/${given_out_dir}")
  if(IS_ABSOLUTE "${given_out_dir}")
    set(out_dir "${given_out_dir}")
  endif()
endif()
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 120)
endif()
list(FIND extra "--" dash)
if(dash EQUAL -1)
  list(APPEND extra "output.dir=${out_arg}" "--" "-malloc_dump")
else()
  list(INSERT extra ${dash} "output.dir=${out_arg}")
  list(APPEND extra "-malloc_dump")
endif()

string(REPLACE "|" ";" LAUNCHER "${LAUNCHER}")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/cwd")
set(made "")
foreach(f IN LISTS files)
  file(TOUCH "${WORK_DIR}/cwd/${f}")
  list(APPEND made "${WORK_DIR}/cwd/${f}")
endforeach()
# A given output.dir that exists already (a file, or a folder that cannot be written)
# must be left as it was.
set(out_existed FALSE)
set(out_before "")
if(EXISTS "${out_dir}")
  set(out_existed TRUE)
  if(IS_DIRECTORY "${out_dir}")
    file(GLOB out_before LIST_DIRECTORIES true "${out_dir}/*")
  endif()
endif()
set(command ${LAUNCHER} "${NEUROFIELD}" ${subcommand} "${DECK}" ${extra})
execute_process(
  COMMAND ${command}
  WORKING_DIRECTORY "${WORK_DIR}/cwd"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  TIMEOUT ${TIMEOUT})

list(JOIN command " " command_text)
set(problems "")
if(NOT rc STREQUAL "2")
  string(APPEND problems "\n  - exit code is '${rc}', expected exactly 2")
endif()
foreach(i RANGE 1 ${expect_count})
  nf_append_unless_once(problems "${err}" "${expect_${i}}")
endforeach()
nf_append_crash_markers(problems "${err}${out}")
nf_append_leak_report(problems "${err}${out}")
if(NOT out_existed AND EXISTS "${out_dir}")
  string(APPEND problems "\n  - the output folder ${out_dir} was created")
elseif(out_existed AND IS_DIRECTORY "${out_dir}")
  file(GLOB out_after LIST_DIRECTORIES true "${out_dir}/*")
  if(NOT out_after STREQUAL out_before)
    string(APPEND problems "\n  - files were written in the existing output folder ${out_dir}")
  endif()
endif()
file(GLOB written LIST_DIRECTORIES true "${WORK_DIR}/cwd/*")
if(made)
  list(REMOVE_ITEM written ${made})
endif()
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
