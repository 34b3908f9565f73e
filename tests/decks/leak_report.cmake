# nf_append_leak_report(<variable> <text>): appends a line to the problems for each
# allocation that PETSc's -malloc_dump reports as never freed ("[ 0] 2144 bytes
# TSCreate() at ..."). Shared by the deck-contract scripts.
#
# One kind is let through: strings copied by PetscStrallocpy() alone. PETSc 3.18's
# PetscOptionsBegin copies the options title and prefix and frees them only in
# PetscOptionsEnd, which a rejected option (an unknown -ts_type) skips; the leaked
# bytes are PETSc's own, not a handle of this program. A leaked object always shows
# its creator (VecCreate(), TSCreate(), PCCreate(), ...), which is caught.
function(nf_append_leak_report nf_var nf_text)
  set(found "${${nf_var}}")
  string(REGEX MATCHALL "\\[ *[0-9]+\\] *[0-9]+ bytes [A-Za-z0-9_]+\\(\\) at [^\n]*" leaks "${nf_text}")
  foreach(leak IN LISTS leaks)
    if(NOT leak MATCHES " bytes PetscStrallocpy\\(\\) at ")
      string(APPEND found "\n  - PETSc reports memory never freed: '${leak}'")
    endif()
  endforeach()
  set(${nf_var} "${found}" PARENT_SCOPE)
endfunction()
