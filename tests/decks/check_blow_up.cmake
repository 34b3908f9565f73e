# Runs a deck that blows up and checks the blow-up contract:
#   exit code exactly 3; stderr names, once, the time, the field, the likely cause and the
#   fix; no stack trace; the run folder holds log.txt ending in FAILED, and neither
#   summary.json nor a final fields.h5/probes.h5 (the records up to the blow-up stay
#   under their .part names: probes.h5.part must be there). With PREVIOUS, a successful
#   run into the same folder goes first, and its files must be in previous_run/.
#
# cmake -DNEUROFIELD=<exe> -DDECK=<deck> -DARGS=<overrides separated by "|"> -DWORK_DIR=<fresh dir>
#       [-DLAUNCHER=<words separated by "|">] [-DPREVIOUS=<overrides>] -P check_blow_up.cmake
foreach(var NEUROFIELD DECK ARGS WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_blow_up.cmake: -D${var}=... is required")
  endif()
endforeach()
include(${CMAKE_CURRENT_LIST_DIR}/crash_markers.cmake)
string(REPLACE "|" ";" extra "${ARGS}")
string(REPLACE "|" ";" LAUNCHER "${LAUNCHER}")
set(out_dir "${WORK_DIR}/out")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
# -DPREVIOUS=<overrides separated by "|">: a successful run into the same folder first.
# Its files must end up in previous_run/, none beside the failed run's.
if(DEFINED PREVIOUS)
  string(REPLACE "|" ";" previous "${PREVIOUS}")
  execute_process(COMMAND ${LAUNCHER} "${NEUROFIELD}" run "${DECK}" ${previous} "output.dir=${out_dir}"
                  WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err TIMEOUT 120)
  if(NOT rc EQUAL 0 OR NOT EXISTS "${out_dir}/summary.json")
    message(FATAL_ERROR "the first, successful run failed (${rc}):\n${err}")
  endif()
endif()
set(command ${LAUNCHER} "${NEUROFIELD}" run "${DECK}" ${extra} "output.dir=${out_dir}")
execute_process(COMMAND ${command} WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err TIMEOUT 240)

set(problems "")
if(NOT rc STREQUAL "3")
  string(APPEND problems "\n  - exit code is '${rc}', expected exactly 3")
endif()
foreach(text "the run blew up: t = " "field 'y' exceeded 1e+150" "Likely cause:" "Fix:")
  string(FIND "${err}" "${text}" at)
  if(at EQUAL -1)
    string(APPEND problems "\n  - stderr lacks '${text}'")
  endif()
endforeach()
# Printed once, whatever the number of ranks.
string(FIND "${err}" "the run blew up: " first)
string(FIND "${err}" "the run blew up: " last REVERSE)
if(NOT first EQUAL last)
  string(APPEND problems "\n  - stderr reports the blow-up more than once")
endif()
nf_append_crash_markers(problems "${err}${out}")
if(EXISTS "${out_dir}/log.txt")
  file(READ "${out_dir}/log.txt" log)
  string(FIND "${log}" "FAILED: t = " at)
  if(at EQUAL -1)
    string(APPEND problems "\n  - log.txt does not record the failure")
  endif()
else()
  string(APPEND problems "\n  - no log.txt in ${out_dir}")
endif()
if(NOT EXISTS "${out_dir}/probes.h5.part")
  string(APPEND problems "\n  - no probes.h5.part: the probe series up to the blow-up is lost")
endif()
foreach(final summary.json fields.h5 probes.h5 series.pvd)
  if(EXISTS "${out_dir}/${final}")
    string(APPEND problems "\n  - ${final} was published for a run that blew up")
  endif()
endforeach()
if(ARGS MATCHES "output.vtk=true" AND NOT EXISTS "${out_dir}/series.pvd.part")
  string(APPEND problems "\n  - no series.pvd.part: the VTK steps up to the blow-up are not listed")
endif()
if(DEFINED PREVIOUS)
  foreach(earlier summary.json probes.h5 log.txt deck.used.yaml series.pvd)
    if(NOT EXISTS "${out_dir}/previous_run/${earlier}")
      string(APPEND problems "\n  - the earlier run's ${earlier} is not in previous_run/")
    endif()
  endforeach()
  string(FIND "${err}" "moved into previous_run/" at)
  if(at EQUAL -1)
    string(APPEND problems "\n  - stderr does not say that the earlier run was moved aside")
  endif()
endif()

if(problems)
  list(JOIN command " " command_text)
  message(FATAL_ERROR "the blow-up run does not stop as it should:${problems}\ncommand: ${command_text}\n"
                      "---- stderr ----\n${err}\n---- stdout ----\n${out}\n----")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
