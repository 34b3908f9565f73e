# nf_append_unless_once(<variable> <text> <expected>): appends a line to the problems
# if <expected> is not in <text> exactly once (a message printed by every rank, or
# not at all, fails). Shared by the deck-contract scripts.
function(nf_append_unless_once nf_var nf_text nf_expected)
  set(found "${${nf_var}}")
  string(FIND "${nf_text}" "${nf_expected}" at)
  if(at EQUAL -1)
    string(APPEND found "\n  - stderr lacks the expected text '${nf_expected}'")
  else()
    string(LENGTH "${nf_expected}" length)
    math(EXPR after "${at} + ${length}")
    string(SUBSTRING "${nf_text}" ${after} -1 rest)
    string(FIND "${rest}" "${nf_expected}" again)
    if(NOT again EQUAL -1)
      string(APPEND found "\n  - stderr has the expected text '${nf_expected}' more than once")
    endif()
  endif()
  set(${nf_var} "${found}" PARENT_SCOPE)
endfunction()
