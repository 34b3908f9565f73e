# Runs a deck for a short time and checks the run folder.
#
# Mode "deck" (default): `neurofield run DECK time.t_end=T_END output.dir=WORK_DIR/out`
#   must exit 0 and leave, in WORK_DIR/out, summary.json, deck.used.yaml, series.pvd,
#   fields.h5, fields.xdmf, probes.h5 and log.txt, no *.part file anywhere, and a
#   deck.used.yaml that records `t_end: T_END` and every EXPECT_USED (substrings
#   separated by "|").
# Mode "default": `neurofield` with no arguments, in the fresh directory WORK_DIR, must
#   exit 0 and create WORK_DIR/pc_chain/summary.json.
# Mode "command": `neurofield ARGS` (words separated by "|") must exit 0 and print
#   every EXPECT (substrings separated by "|") on stdout.
#
# cmake -DNEUROFIELD=<exe> -DWORK_DIR=<fresh dir> [-DMODE=deck|default|command]
#       [-DDECK=<deck>] [-DT_END=0.05] [-DEXTRA=<overrides separated by "|">] [-DARGS=info] [-DEXPECT=a|b] [-DEXPECT_USED=a|b]
#       [-DLAUNCHER=<words separated by "|", e.g. mpiexec|-n|2>] -P run_deck.cmake
if(NOT DEFINED MODE)
  set(MODE deck)
endif()
if(NOT DEFINED T_END)
  set(T_END 0.05)
endif()
foreach(var NEUROFIELD WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_deck.cmake: -D${var}=... is required")
  endif()
endforeach()

string(REPLACE "|" ";" LAUNCHER "${LAUNCHER}")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(expects "")
if(MODE STREQUAL "default")
  set(command ${LAUNCHER} "${NEUROFIELD}")
  set(out_dir "${WORK_DIR}/pc_chain")
  set(required summary.json)
elseif(MODE STREQUAL "command")
  string(REPLACE "|" ";" words "${ARGS}")
  string(REPLACE "|" ";" expects "${EXPECT}")
  set(command ${LAUNCHER} "${NEUROFIELD}" ${words})
  set(out_dir "")
  set(required "")
elseif(MODE STREQUAL "deck")
  if(NOT DEFINED DECK)
    message(FATAL_ERROR "run_deck.cmake: -DDECK=... is required in mode deck")
  endif()
  set(out_dir "${WORK_DIR}/out")
  string(REPLACE "|" ";" extra "${EXTRA}")
  # A deck's analysis.t_start suits its full length; a few steps fit from t = 0 (an
  # empty fit window, t_start >= t_end, is a deck error).
  file(STRINGS "${DECK}" _t_start REGEX "^[ \t]+t_start:")
  if(_t_start)
    list(PREPEND extra "analysis.t_start=0")
  endif()
  set(command ${LAUNCHER} "${NEUROFIELD}" run "${DECK}" "time.t_end=${T_END}" ${extra} "output.dir=${out_dir}")
  set(required summary.json deck.used.yaml series.pvd fields.h5 fields.xdmf probes.h5 log.txt)
else()
  message(FATAL_ERROR "run_deck.cmake: unknown MODE '${MODE}' (deck, default or command)")
endif()

execute_process(
  COMMAND ${command}
  WORKING_DIRECTORY "${WORK_DIR}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  TIMEOUT 300)

set(problems "")
if(NOT rc STREQUAL "0")
  string(APPEND problems "\n  - exit code is '${rc}', expected 0")
endif()
foreach(name IN LISTS required)
  if(NOT EXISTS "${out_dir}/${name}")
    string(APPEND problems "\n  - ${out_dir}/${name} is missing")
  endif()
endforeach()
foreach(want IN LISTS expects)
  string(FIND "${out}" "${want}" at)
  if(at EQUAL -1)
    string(APPEND problems "\n  - stdout lacks '${want}'")
  endif()
endforeach()
if(out_dir AND EXISTS "${out_dir}")
  file(GLOB_RECURSE parts LIST_DIRECTORIES false "${out_dir}/*.part")
  if(parts)
    list(JOIN parts ", " parts_text)
    string(APPEND problems "\n  - unfinished files remain: ${parts_text}")
  endif()
endif()
if(MODE STREQUAL "deck" AND EXISTS "${out_dir}/deck.used.yaml")
  file(READ "${out_dir}/deck.used.yaml" used)
  string(FIND "${used}" "t_end: ${T_END}" at)
  if(at EQUAL -1)
    string(APPEND problems "\n  - deck.used.yaml does not record 't_end: ${T_END}':\n${used}")
  endif()
  string(REPLACE "|" ";" used_expects "${EXPECT_USED}")
  foreach(want IN LISTS used_expects)
    string(FIND "${used}" "${want}" at)
    if(at EQUAL -1)
      string(APPEND problems "\n  - deck.used.yaml does not record '${want}':\n${used}")
    endif()
  endforeach()
endif()

if(problems)
  list(JOIN command " " command_text)
  message(FATAL_ERROR
    "the run does not complete as it should:${problems}\n"
    "command: ${command_text} (in ${WORK_DIR})\n"
    "---- stderr ----\n${err}\n---- stdout ----\n${out}\n----")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
