# nf_append_crash_markers(<variable> <text>): appends a line to the problems
# for each sign of a crash or stack trace in the program's output (an uncaught C++
# exception, an abort, a PETSc error dump, a Python traceback, a backtrace, a
# segmentation fault). Shared by the deck-contract scripts.
function(nf_append_crash_markers nf_var nf_text)
  set(found "${${nf_var}}")
  foreach(marker "terminate called" "Aborted" "[0]PETSC ERROR" "Traceback" "#0 " "Segmentation fault" "what():")
    string(FIND "${nf_text}" "${marker}" at)
    if(NOT at EQUAL -1)
      string(APPEND found "\n  - the output shows a crash or stack trace ('${marker}')")
    endif()
  endforeach()
  set(${nf_var} "${found}" PARENT_SCOPE)
endfunction()
