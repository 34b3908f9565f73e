# Produces a run folder (optional), renders it with a postprocess/ script and checks the
# pictures with check_png.py.
#
# cmake -DPYTHON=/usr/bin/python3 -DWORK_DIR=<fresh dir> -DSERIES=<run folder or series.pvd>
#       [-DRUN_COMMAND=<words separated by "|">]   run first, in WORK_DIR; must exit 0 and
#                                                  leave SERIES (e.g. a neurofield run, or
#                                                  make_gaussian_series.py until a 2D model exists)
#       [-DSCRIPT=<renderer.py> -DSCRIPT_ARGS=<words separated by "|">]
#                                                  then `PYTHON SCRIPT SERIES SCRIPT_ARGS`, which
#                                                  must write its pictures into WORK_DIR/pictures
#       [-DEXPECT_PNGS=<names separated by "|">]   exactly these pictures must be written there
#       [-DCHECK=<check_png.py> -DCHECK_ARGS=<words separated by "|">]
#       [-DNEEDS_DISPLAY=ON]                       VTK's OpenGL renderer: without DISPLAY, run
#                                                  the script under xvfb-run -a
#       [-DMODULES=<python modules separated by "|">] the script needs these (checked first)
#       [-DSTEP_TIMEOUT=<s>]                       each step's limit (default 90 s)
#       -P render_check.cmake
# Missing tools fail the test with the package to install (scripts/setup-debian.sh
# installs them all); nothing here skips.
foreach(var PYTHON WORK_DIR SERIES)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "render_check.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${PYTHON}")
  message(FATAL_ERROR "render_check.cmake: the Debian interpreter /usr/bin/python3 is missing "
                      "(package python3; run scripts/setup-debian.sh)")
endif()

# Modules, each with its Debian package.
set(_package_vtkmodules python3-vtk9)
set(_package_numpy python3-numpy)
set(_package_matplotlib python3-matplotlib)
set(_package_h5py python3-h5py)
string(REPLACE "|" ";" modules "${MODULES}")
foreach(module IN LISTS modules)
  execute_process(COMMAND "${PYTHON}" -c "import ${module}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REGEX REPLACE "\\..*" "" top "${module}")
    message(FATAL_ERROR "render_check.cmake: ${PYTHON} cannot import ${module} (package ${_package_${top}}; "
                        "run scripts/setup-debian.sh; note that installing python3-paraview removes "
                        "python3-vtk9, see docs/visualisation.md):\n${err}")
  endif()
endforeach()

set(launcher "")
if(NEEDS_DISPLAY AND "$ENV{DISPLAY}" STREQUAL "")
  find_program(XVFB_RUN xvfb-run)
  if(NOT XVFB_RUN)
    message(FATAL_ERROR "render_check.cmake: DISPLAY is unset and xvfb-run is not installed: VTK's "
                        "renderer needs an X server even offscreen (package xvfb; run scripts/setup-debian.sh)")
  endif()
  # -a takes the first free display from -n on; a random start keeps parallel runs apart.
  string(RANDOM LENGTH 3 ALPHABET 0123456789 offset)
  math(EXPR first_display "100 + ${offset}")
  set(launcher "${XVFB_RUN}" -n ${first_display} -a -s "-screen 0 1280x1024x24")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# Each step is announced before it starts and stopped after STEP_TIMEOUT seconds, well
# inside the test's own TIMEOUT (tests/render/CMakeLists.txt), so a step that hangs or
# crawls on a loaded machine fails here with its name and output instead of being killed
# by ctest with none.
if(NOT DEFINED STEP_TIMEOUT)
  set(STEP_TIMEOUT 90)
endif()
function(run_step what)
  message("${what}: ${ARGN}")
  string(TIMESTAMP start "%s")
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT ${STEP_TIMEOUT})
  string(TIMESTAMP stop "%s")
  math(EXPR seconds "${stop} - ${start}")
  message("${out}${err}${what}: exit '${rc}' after ${seconds} s")
  # The X server, not the script: an Xvfb that xvfb-run -a started on a display another
  # server held without a lock file. Once more, on another display.
  if(NOT rc STREQUAL "0" AND launcher AND "${err}" MATCHES "bad X server connection")
    string(RANDOM LENGTH 3 ALPHABET 0123456789 offset)
    math(EXPR retry_display "1100 + ${offset}")
    set(words ${ARGN})
    list(FIND words "-n" at)
    if(at GREATER_EQUAL 0)
      math(EXPR value_at "${at} + 1")
      list(REMOVE_AT words ${value_at})
      list(INSERT words ${value_at} ${retry_display})
    endif()
    message("${what}: the X server could not be reached; once more on display ${retry_display}")
    execute_process(COMMAND ${words} WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc
                    OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT ${STEP_TIMEOUT})
    message("${out}${err}${what}: exit '${rc}'")
  endif()
  if(NOT rc STREQUAL "0")
    message(FATAL_ERROR "render_check.cmake: ${what} failed (exit '${rc}'; a step is stopped after ${STEP_TIMEOUT} s)")
  endif()
endfunction()

if(DEFINED RUN_COMMAND AND NOT RUN_COMMAND STREQUAL "")
  string(REPLACE "|" ";" run_words "${RUN_COMMAND}")
  run_step("run" ${run_words})
endif()
if(NOT EXISTS "${SERIES}")
  message(FATAL_ERROR "render_check.cmake: ${SERIES} does not exist")
endif()

if(DEFINED SCRIPT AND NOT SCRIPT STREQUAL "")
  string(REPLACE "|" ";" script_args "${SCRIPT_ARGS}")
  run_step("render" ${launcher} "${PYTHON}" "${SCRIPT}" "${SERIES}" ${script_args})
  file(GLOB pictures LIST_DIRECTORIES false "${WORK_DIR}/pictures/*.png")
  list(SORT pictures)
  set(names "")
  foreach(p IN LISTS pictures)
    get_filename_component(n "${p}" NAME)
    list(APPEND names "${n}")
  endforeach()
  if(DEFINED EXPECT_PNGS)
    string(REPLACE "|" ";" expected "${EXPECT_PNGS}")
    list(SORT expected)
    if(NOT names STREQUAL expected)
      message(FATAL_ERROR "render_check.cmake: pictures written: '${names}', expected: '${expected}'")
    endif()
  endif()
  if(DEFINED CHECK AND NOT CHECK STREQUAL "")
    string(REPLACE "|" ";" check_args "${CHECK_ARGS}")
    list(LENGTH pictures count)
    run_step("check" "${PYTHON}" "${CHECK}" --expect ${count} ${check_args} ${pictures})
  endif()
endif()
