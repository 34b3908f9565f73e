# neurofield sweep (docs/sweeps.md; labels decks and sweep), included by
# tests/decks/CMakeLists.txt: check_sweep.py's cases, each asserting the table against
# the chain's characteristic roots and against itself.
#   ranks_mpi2         1 rank and 2 ranks give the same 16 rows to 1e-12
#   kill / kill_mpi2   SIGKILL mid-sweep, rerun: every point once, the recorded ones kept
#   term_mpi2          SIGTERM mid-sweep: exit 4, a complete table, continued by a rerun
#   failing_points     a step above the delay and a negative tau are failed rows
find_program(NF_STOP_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)  # the python3 with h5py
set(_sweep_script ${CMAKE_CURRENT_LIST_DIR}/../check_sweep.py)
set(_pc_sweep ${PROJECT_SOURCE_DIR}/input_decks/pc_sweep.yaml)
foreach(_case "ranks_mpi2|ranks|${_pc_sweep}|2" "kill|kill|${_pc_sweep}|1" "kill_mpi2|kill|${_pc_sweep}|2"
              "term_mpi2|term|${_pc_sweep}|2"
              "failing_points|failing|${CMAKE_CURRENT_LIST_DIR}/failing_points.yaml|1")
  string(REPLACE "|" ";" _case "${_case}")
  list(GET _case 0 _id)
  list(GET _case 1 _mode)
  list(GET _case 2 _deck)
  list(GET _case 3 _ranks)
  set(_launch "")
  if(_ranks EQUAL 2)
    set(_launch ${_mpi})
  endif()
  set(name decks_sweep_${_id})
  add_test(NAME ${name}
    COMMAND ${NF_STOP_PYTHON} ${_sweep_script} ${_mode} ${_exe} ${_deck} ${_work}/${name} ${_launch})
  set_tests_properties(${name} PROPERTIES LABELS "decks;sweep" PROCESSORS ${_ranks} TIMEOUT 120)
endforeach()
